"""Bytes -> output folder: atomic writes, only changed files, manifest-based clean.

Safety rules:

- The output folder is never the project root, the plans folder, inside it or a parent of
  it, nor ``/``, the home folder, careersite's cache or a symbolic link
  (careersite.outdir.check_output_dir).
- careersite writes into a folder only if it is missing, empty, or holds the marker file
  ``.careersite-output`` that careersite put there.
- Every file is written atomically (careersite.atomic): a reader, or a build killed with
  SIGKILL, sees the complete old or the complete new file. Leftover temporary files of a
  killed build are removed by the next build. Pages rendered by worker processes are
  written ahead by the workers themselves (:class:`Stage`), as temporary files in the
  output folder that write_site moves into place: the build process never holds their
  bytes, and a build that fails before write_site changes no file of the site.
- A file whose bytes did not change is not touched, so its mtime is kept.
- The manifest ``.careersite-manifest`` lists every file careersite wrote; only those are
  ever removed when a build no longer produces them. Before writing, the manifest is
  widened to the union of the old and new lists, so even a killed build leaves every file
  it may have written listed for the next build to clean (a private page left over from a
  ``--private`` build is always removed by the next public build).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import stat
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from careersite.atomic import (
    TEMP_PREFIX,
    DiskFullError,
    OutputWriteError,
    move_into_place,
    same_bytes,
    unlink_quietly,
    write_atomic,
    write_error,
    write_new,
)
from careersite.diagnostics import UsageError

__all__ = ["MANIFEST_NAME", "MARKER_NAME", "TEMP_PREFIX", "DiskFullError", "OutputWriteError",
           "Stage", "Staged", "WriteReport", "write_site"]

log = logging.getLogger(__name__)

MARKER_NAME = ".careersite-output"
"""File that marks a folder as careersite's output."""
MANIFEST_NAME = ".careersite-manifest"
"""JSON file listing the site-relative paths careersite wrote."""

_MARKER_TEXT = (b"This folder is written by careersite. Files it did not write are kept;\n"
                b"files it wrote and no longer produces are removed on the next build.\n")
_MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class WriteReport:
    """What a write_site call did."""

    written: int
    """Files created or rewritten because their bytes changed."""
    unchanged: int
    """Files already on disk with the same bytes (not touched)."""
    removed: int
    """Files of an earlier build that this build no longer produces."""


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
                    raise write_error(exc, folder, 0) from exc
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
        write_atomic(output / MARKER_NAME, _MARKER_TEXT)
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


def _remove_leftover_temps(folders: _Folders, candidates: Iterable[tuple[str, ...]],
                           spare: str | None = None) -> None:
    """Remove temporary files a killed build left in the folders careersite writes to
    (but not those whose name starts with `spare`: this build's stage)."""
    for parts in candidates:
        if not folders.is_real(parts):
            continue  # never look through a link out of the output folder
        folder = folders.output.joinpath(*parts)
        try:
            with os.scandir(folder) as entries:
                leftovers = [e.path for e in entries
                             if e.name.startswith(TEMP_PREFIX) and not e.is_dir()
                             and not (spare and e.name.startswith(spare))]
        except OSError:
            continue
        for leftover in leftovers:
            log.debug("removing leftover %s", leftover)
            os.unlink(leftover)


@dataclass(frozen=True)
class Staged:
    """A file's new bytes, already on disk as a temporary file of the output folder."""

    temp: str
    """Its name in the output folder (TEMP_PREFIX, the stage's token, a number)."""


class Stage:
    """New files written ahead as temporary files, for write_site to move into place.

    Made in the build process before rendering; worker processes forked from it call put()
    for each page they render, so page bytes never travel back to the build process. The
    temporary files live in the output folder itself (os.replace cannot cross file
    systems) and are never listed in the manifest: discard() removes what write_site did
    not use, and a killed build's are removed by the next build like any leftover.
    """

    def __init__(self, output: Path) -> None:
        _prepare(output)  # the output folder exists and is careersite's
        self.output = output
        self.prefix = f"{TEMP_PREFIX}{secrets.token_hex(6)}-"
        self._count = 0

    def put(self, path: str, data: bytes) -> Staged | None:
        """Stage data for output/path; None when that file already holds exactly data."""
        target = self.output.joinpath(*_check_site_path(path))
        try:
            if same_bytes(target, data):
                return None
        except (UsageError, OSError):
            pass  # a folder in the way, or unreadable: write_site reports it
        self._count += 1
        name = f"{self.prefix}{os.getpid()}-{self._count}"
        write_new(self.output / name, data, target)
        return Staged(name)

    def discard(self) -> None:
        """Remove every temporary file of this stage still in the output folder."""
        try:
            with os.scandir(self.output) as entries:
                names = [e.name for e in entries if e.name.startswith(self.prefix)]
        except OSError:
            return
        for name in names:
            unlink_quietly(self.output / name)


def write_site(output: Path, files: Mapping[str, bytes | Staged],
               keep: Collection[str] = (), stage: Stage | None = None) -> WriteReport:
    """Write files (site-relative path -> bytes) into output; see the module docstring.

    keep: paths of the site that an earlier call wrote and whose bytes the caller knows are
    current (the incremental engine, for pages it did not render again): they stay listed
    and in place, and are not read. Staged files come from `stage`, whose temporary files
    are moved into place (and are not taken for a killed build's leftovers).
    """
    parsed = {path: _check_site_path(path) for path in (*files, *keep)}
    new_folders = {parts[:depth] for parts in parsed.values() for depth in range(len(parts))}
    for path, parts in parsed.items():
        if parts in new_folders:
            raise ValueError(f"path is both a file and a folder of the site: {path!r}")
    try:
        return _write_site(output, files, parsed, new_folders, stage)
    except OSError as exc:  # anything not already reported with the file it concerns
        raise OutputWriteError(f"cannot update the output folder {output}: {exc}",
                               output) from exc


def _write_site(output: Path, files: Mapping[str, bytes | Staged],
                parsed: dict[str, tuple[str, ...]], new_folders: set[tuple[str, ...]],
                stage: Stage | None) -> WriteReport:
    """write_site once the paths are known to be safe."""
    previous = _prepare(output)
    old = set(previous)
    stale = old - parsed.keys()
    old_folders = {tuple(p.split("/"))[:-1] for p in old}
    folders = _Folders(output)
    _remove_leftover_temps(folders, {p[:-1] for p in parsed.values()} | old_folders | {()},
                           spare=stage.prefix if stage is not None else None)

    # Widen the manifest first: whatever happens next, every file written is listed.
    widened = old | parsed.keys()
    if widened != old:
        write_atomic(output / MANIFEST_NAME, _manifest_bytes(widened))

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
        if isinstance(data, Staged):
            move_into_place(output / data.temp, target)
            written += 1
            continue
        if same_bytes(target, data):
            unchanged += 1
            continue
        write_atomic(target, data)
        written += 1

    removed += _remove_stale(output, stale - in_the_way, folders, new_folders)
    final = _manifest_bytes(parsed)
    if not same_bytes(output / MANIFEST_NAME, final):
        write_atomic(output / MANIFEST_NAME, final)
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
