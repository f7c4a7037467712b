"""careersite: a static site generator for career plans kept as Markdown in git."""

from __future__ import annotations

__version__ = "0.1.0"
