"""Where a site may be written: the output folder's safety checks.

The output folder is never the project root, the plans folder, inside it or a parent of
it, nor ``/``, the home folder, careersite's cache or a symbolic link. What careersite
writes inside it, and how, is careersite.write's job.
"""

from __future__ import annotations

import os
from pathlib import Path

from careersite.diagnostics import UsageError

_HINT = "choose an output folder such as output/"


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _within(child: Path, parent: Path) -> bool:
    return any(_same(p, parent) for p in (child, *child.parents))


def check_output_dir(output: Path, *, project_root: Path, plans_dir: Path) -> None:
    """Raise UsageError unless output is a safe folder to write the site into."""
    if os.path.islink(output):
        raise UsageError(f"refusing to write the site into {output}: it is a symbolic link; "
                         "give the folder it points to, or another folder")
    out = output.resolve()
    root = project_root.resolve()
    plans = plans_dir.resolve()
    if out == Path(out.anchor):
        raise UsageError(f"refusing to write the site into the file system root {out}: {_HINT}")
    try:
        home: Path | None = Path.home().resolve()
    except (RuntimeError, KeyError):
        home = None
    if home is not None and _same(out, home):
        raise UsageError(f"refusing to write the site into the home folder {out}: {_HINT}")
    if _same(out, root):
        raise UsageError(f"refusing to write the site into the project root {out}: {_HINT}")
    if _same(out, plans):
        raise UsageError(f"refusing to write the site into the plans folder {out}: {_HINT}")
    if _within(out, plans):
        raise UsageError(f"refusing to write the site into {out}, inside the plans folder "
                         f"{plans}: {_HINT}")
    if _within(plans, out):
        raise UsageError(f"refusing to write the site into {out}, a parent of the plans "
                         f"folder {plans}: {_HINT}")
    cache = root / ".careersite"
    if _within(out, cache):
        raise UsageError(f"refusing to write the site into careersite's cache folder "
                         f"{cache}: {_HINT}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"refusing to write the site into {out}: it is not a folder")
