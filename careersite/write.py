"""Bytes -> output folder: atomic writes, only changed files, manifest-based clean.

Safety rules:

- The output folder is never the project root, the plans folder, inside it or a parent of
  it, nor ``/``, the home folder, careersite's cache or a symbolic link
  (:func:`check_output_dir`).
- careersite writes into a folder only if it is missing, empty, or holds the marker file
  ``.careersite-output`` that careersite put there.
- Every file is written to a temporary file ``.careersite-tmp-*`` in its own folder and
  moved into place with ``os.replace``: a reader (or a build killed with SIGKILL) sees the
  complete old or the complete new file, never a partial one. Leftover temporary files of
  a killed build are removed by the next build.
- A file whose bytes did not change is not touched, so its mtime is kept.
- The manifest ``.careersite-manifest`` lists every file careersite wrote; only those are
  ever removed when a build no longer produces them. Before writing, the manifest is
  widened to the union of the old and new lists, so even a killed build leaves every file
  it may have written listed for the next build to clean (a private page left over from a
  ``--private`` build is always removed by the next public build).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import secrets
import stat
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from careersite.diagnostics import UsageError

log = logging.getLogger(__name__)

MARKER_NAME = ".careersite-output"
"""File that marks a folder as careersite's output."""
MANIFEST_NAME = ".careersite-manifest"
"""JSON file listing the site-relative paths careersite wrote."""
TEMP_PREFIX = ".careersite-tmp-"
"""Prefix of temporary files; any left over from a killed build are removed."""

_MARKER_TEXT = (b"This folder is written by careersite. Files it did not write are kept;\n"
                b"files it wrote and no longer produces are removed on the next build.\n")
_MANIFEST_FORMAT = 1
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_HINT = "choose an output folder such as output/"


class OutputWriteError(UsageError):
    """Writing a file of the site failed; the message names the file."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class DiskFullError(OutputWriteError):
    """The disk (or quota) was full while writing a file of the site."""


@dataclass(frozen=True)
class WriteReport:
    """What a write_site call did."""

    written: int
    """Files created or rewritten because their bytes changed."""
    unchanged: int
    """Files already on disk with the same bytes (not touched)."""
    removed: int
    """Files of an earlier build that this build no longer produces."""


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


def _check_site_path(path: str) -> tuple[str, ...]:
    """The parts of a site-relative path; ValueError if it could leave the output folder."""
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path \
            or "\0" in path:
        raise ValueError(f"not a site-relative path: {path!r}")
    parts = tuple(path.split("/"))
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"not a normalised site-relative path: {path!r}")
    if path in (MARKER_NAME, MANIFEST_NAME) or any(p.startswith(TEMP_PREFIX) for p in parts):
        raise ValueError(f"path reserved for careersite's own files: {path!r}")
    return parts


def _read_manifest(output: Path) -> list[str] | None:
    """Paths listed in the manifest; None if it is missing or unreadable."""
    try:
        data = json.loads((output / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return None
    kept: list[str] = []
    for entry in files:
        try:
            _check_site_path(entry)
        except ValueError:
            log.warning("ignoring %r in %s", entry, output / MANIFEST_NAME)
            continue
        kept.append(entry)
    return kept


def _manifest_bytes(paths: Iterable[str]) -> bytes:
    data = {"generator": "careersite", "format": _MANIFEST_FORMAT, "files": sorted(paths)}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _write_atomic(target: Path, data: bytes) -> None:
    """Write data to target through a temporary file in the same folder and os.replace."""
    while True:
        tmp = target.parent / f"{TEMP_PREFIX}{secrets.token_hex(6)}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _write_error(exc, target, len(data)) from exc
        break
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _write_error(exc, target, len(data)) from exc
        raise


def _write_error(exc: OSError, target: Path, size: int) -> OutputWriteError:
    if exc.errno in _FULL_ERRNOS:
        return DiskFullError(
            f"no space left on the device while writing {target} ({size:,} bytes): free "
            "some space and build again; files already on disk are complete (old or new)",
            target)
    reason = exc.strerror or str(exc)
    return OutputWriteError(f"cannot write {target}: {reason}", target)


def _unchanged(target: Path, data: bytes) -> bool:
    """True if target is a regular file holding exactly data (size compared first)."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(st.st_mode):
        raise UsageError(f"cannot write {target}: a folder is in the way; remove it")
    if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
        return False
    with open(target, "rb") as handle:
        return handle.read() == data


class _Folders:
    """Makes and checks folders inside output, each once per build."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.ready: set[tuple[str, ...]] = {()}

    def ensure(self, parts: tuple[str, ...]) -> None:
        """Make output/<parts> a real folder; UsageError if a link or a file is in the way."""
        for depth in range(1, len(parts) + 1):
            key = parts[:depth]
            if key in self.ready:
                continue
            folder = self.output.joinpath(*key)
            try:
                st = os.lstat(folder)
            except FileNotFoundError:
                try:
                    os.mkdir(folder)
                except OSError as exc:
                    raise _write_error(exc, folder, 0) from exc
            else:
                if stat.S_ISLNK(st.st_mode):
                    raise UsageError(f"refusing to write into {folder}: it is a symbolic link; "
                                     "careersite writes only real folders: remove the link")
                if not stat.S_ISDIR(st.st_mode):
                    raise UsageError(f"cannot write into {folder}: a file is in the way; "
                                     "remove it")
            self.ready.add(key)

    def is_real(self, parts: tuple[str, ...]) -> bool:
        """True if every folder of output/<parts> is a real folder (no link on the way)."""
        for depth in range(1, len(parts) + 1):
            if parts[:depth] in self.ready:
                continue
            try:
                st = os.lstat(self.output.joinpath(*parts[:depth]))
            except OSError:
                return False
            if not stat.S_ISDIR(st.st_mode):
                return False
        return True


def _prepare(output: Path) -> list[str]:
    """Make output ready for a build; the paths of the previous build's manifest."""
    if os.path.islink(output):
        raise UsageError(f"refusing to write the site into {output}: it is a symbolic link")
    try:
        with os.scandir(output) as entries:
            names = {entry.name for entry in entries}
    except FileNotFoundError:
        output.mkdir(parents=True)
        names = set()
    except NotADirectoryError:
        raise UsageError(f"refusing to write the site into {output}: it is not a folder") \
            from None
    if MARKER_NAME not in names:
        if names:
            raise UsageError(
                f"refusing to write the site into {output}: the folder is not empty and "
                f"careersite did not create it (no {MARKER_NAME} file); empty it or "
                "choose another output folder")
        _write_atomic(output / MARKER_NAME, _MARKER_TEXT)
        return []
    previous = _read_manifest(output)
    if previous is None:
        if any(n not in (MARKER_NAME, MANIFEST_NAME) and not n.startswith(TEMP_PREFIX)
               for n in names):
            raise UsageError(
                f"{output / MANIFEST_NAME} is missing or unreadable, so careersite cannot "
                f"tell its files from yours: empty {output} and build again")
        return []
    return previous


def _remove_leftover_temps(folders: _Folders, candidates: Iterable[tuple[str, ...]]) -> None:
    """Remove temporary files a killed build left in the folders careersite writes to."""
    for parts in candidates:
        if not folders.is_real(parts):
            continue  # never look through a link out of the output folder
        folder = folders.output.joinpath(*parts)
        try:
            with os.scandir(folder) as entries:
                leftovers = [e.path for e in entries
                             if e.name.startswith(TEMP_PREFIX) and not e.is_dir()]
        except OSError:
            continue
        for leftover in leftovers:
            log.debug("removing leftover %s", leftover)
            os.unlink(leftover)


def write_site(output: Path, files: Mapping[str, bytes],
               keep: Collection[str] = ()) -> WriteReport:
    """Write files (site-relative path -> bytes) into output; see the module docstring.

    keep: paths of the site that an earlier call wrote and whose bytes the caller knows are
    current (the incremental engine, for pages it did not render again): they stay listed
    and in place, and are not read.
    """
    parsed = {path: _check_site_path(path) for path in (*files, *keep)}
    new_folders = {parts[:depth] for parts in parsed.values() for depth in range(len(parts))}
    for path, parts in parsed.items():
        if parts in new_folders:
            raise ValueError(f"path is both a file and a folder of the site: {path!r}")
    try:
        return _write_site(output, files, parsed, new_folders)
    except OSError as exc:  # anything not already reported with the file it concerns
        raise OutputWriteError(f"cannot update the output folder {output}: {exc}",
                               output) from exc


def _write_site(output: Path, files: Mapping[str, bytes], parsed: dict[str, tuple[str, ...]],
                new_folders: set[tuple[str, ...]]) -> WriteReport:
    """write_site once the paths are known to be safe."""
    previous = _prepare(output)
    old = set(previous)
    stale = old - parsed.keys()
    old_folders = {tuple(p.split("/"))[:-1] for p in old}
    folders = _Folders(output)
    _remove_leftover_temps(folders, {p[:-1] for p in parsed.values()} | old_folders | {()})

    # Widen the manifest first: whatever happens next, every file written is listed.
    widened = old | parsed.keys()
    if widened != old:
        _write_atomic(output / MANIFEST_NAME, _manifest_bytes(widened))

    in_the_way = _in_the_way(stale, parsed, new_folders)
    removed = _remove_stale(output, in_the_way, folders, new_folders)
    written = unchanged = 0
    for path in sorted(parsed):
        parts = parsed[path]
        if path not in files:  # kept
            unchanged += 1
            continue
        data = files[path]
        folders.ensure(parts[:-1])
        target = output.joinpath(*parts)
        if _unchanged(target, data):
            unchanged += 1
            continue
        _write_atomic(target, data)
        written += 1

    removed += _remove_stale(output, stale - in_the_way, folders, new_folders)
    final = _manifest_bytes(parsed)
    if not _unchanged(output / MANIFEST_NAME, final):
        _write_atomic(output / MANIFEST_NAME, final)
    log.debug("%s: %d written, %d unchanged, %d removed", output, written, unchanged, removed)
    return WriteReport(written=written, unchanged=unchanged, removed=removed)


def _in_the_way(stale: set[str], parsed: Mapping[str, tuple[str, ...]],
                new_folders: set[tuple[str, ...]]) -> set[str]:
    """Stale files where the new site needs a folder, or inside a folder now needed as a file."""
    blocking: set[str] = set()
    for path in stale:
        parts = path.split("/")
        if tuple(parts) in new_folders or any("/".join(parts[:depth]) in parsed
                                              for depth in range(1, len(parts))):
            blocking.add(path)
    return blocking


def _remove_stale(output: Path, stale: set[str], folders: _Folders,
                  keep: set[tuple[str, ...]]) -> int:
    """Remove careersite's files no longer produced, then the folders they leave empty."""
    removed = 0
    emptied: set[tuple[str, ...]] = set()
    for path in sorted(stale):
        parts = tuple(path.split("/"))
        if not folders.is_real(parts[:-1]):
            continue  # never follow a link out of the output folder
        target = output.joinpath(*parts)
        try:
            if stat.S_ISDIR(os.lstat(target).st_mode):
                continue
            os.unlink(target)
        except FileNotFoundError:
            continue
        removed += 1
        emptied.update(parts[:depth] for depth in range(1, len(parts)))
    for parts in sorted(emptied - keep, key=len, reverse=True):
        try:
            os.rmdir(output.joinpath(*parts))
        except OSError:
            pass  # not empty: something else (perhaps the user's) lives there
    return removed
