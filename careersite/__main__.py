"""`python -m careersite`."""

from __future__ import annotations

import sys

from careersite.cli import main

sys.exit(main())
