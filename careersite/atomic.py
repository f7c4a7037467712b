"""One file of the site, safely: atomic writes through temporary files, and their errors.

A file is written to a temporary file ``.careersite-tmp-*`` beside it (or in the output
folder, for a staged page) and moved into place with ``os.replace``: a reader, or a build
killed with SIGKILL, sees the complete old or the complete new file, never a partial one.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from careersite.diagnostics import UsageError

TEMP_PREFIX = ".careersite-tmp-"
"""Prefix of temporary files; any left over from a killed build are removed."""
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class OutputWriteError(UsageError):
    """Writing a file of the site failed; the message names the file."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path

    def __reduce__(self) -> tuple[type[OutputWriteError], tuple[str, Path]]:
        return type(self), (str(self), self.path)  # raised in a worker, re-raised here


class DiskFullError(OutputWriteError):
    """The disk (or quota) was full while writing a file of the site."""


def write_new(temp: Path, data: bytes, target: Path) -> None:
    """Create temp (which must not exist) holding data; errors name target, the file meant."""
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise write_error(exc, target, len(data)) from exc
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except BaseException as exc:
        unlink_quietly(temp)
        if isinstance(exc, OSError):
            raise write_error(exc, target, len(data)) from exc
        raise


def write_atomic(target: Path, data: bytes) -> None:
    """Write data to target through a temporary file in the same folder and os.replace."""
    temp = target.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    write_new(temp, data, target)
    try:
        os.replace(temp, target)
    except OSError as exc:
        unlink_quietly(temp)
        raise write_error(exc, target, len(data)) from exc


def write_error(exc: OSError, target: Path, size: int) -> OutputWriteError:
    if exc.errno in _FULL_ERRNOS:
        return DiskFullError(
            f"no space left on the device while writing {target} ({size:,} bytes): free "
            "some space and build again; files already on disk are complete (old or new)",
            target)
    reason = exc.strerror or str(exc)
    return OutputWriteError(f"cannot write {target}: {reason}", target)


def _existing(target: Path) -> os.stat_result | None:
    """What is at target now (None: nothing); UsageError if it is a folder."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(st.st_mode):
        raise UsageError(f"cannot write {target}: a folder is in the way; remove it")
    return st


def move_into_place(temp: Path, target: Path) -> None:
    """Replace target by a staged temporary file (a folder in the way is refused)."""
    _existing(target)
    try:
        os.replace(temp, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise write_error(exc, target, 0) from exc
        # Another file system is mounted inside the output folder: write a copy there.
        write_atomic(target, temp.read_bytes())
        unlink_quietly(temp)


def same_bytes(target: Path, data: bytes) -> bool:
    """True if target is a regular file holding exactly data (size compared first)."""
    st = _existing(target)
    if st is None or not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
        return False
    with open(target, "rb") as handle:
        return handle.read() == data


def unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
