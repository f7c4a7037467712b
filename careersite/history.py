"""git -> the plan's committed history: one `git log` pass, one `git cat-file --batch`.

git runs without a shell, with `--` before paths, with options that keep a repository's
own configuration from running commands (fsmonitor, external diff, textconv, signature
checks, pager), and with an environment cleaned of variables that would point it at
another repository (a build started from a git hook).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

GIT_TIMEOUT = 300.0
"""Seconds a git command may take before history is given up (with a warning)."""

SAFE_OPTIONS = (
    "--no-pager",
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "log.showSignature=false",
    "-c", "core.quotePath=false",
)
"""Global options for every git command: nothing in the repository's config runs."""

_DROPPED_ENV = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE",
    "GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
    "GIT_SHALLOW_FILE", "GIT_REPLACE_REF_BASE", "GIT_GRAFT_FILE", "GIT_TRACE",
)
_LOG_FORMAT = "%x01%H %P%x02%aI%x02%s"
"""Commit header: \\x01 sha parents \\x02 author date \\x02 subject (see parse_log)."""


class GitError(Exception):
    """git could not be run, or failed; the message says why, for a warning."""


@dataclass(frozen=True)
class Commit:
    """One commit of the first-parent history that changed the plans folder."""

    sha: str
    date: dt.date
    """Author date, as the calendar date written in its own time zone."""
    subject: str
    """First line of the message (shown only in a private build)."""
    boundary: bool
    """The oldest commit of a shallow clone: its 'added' files may be older."""
    parent: str = ""
    """First parent as the log gave it (not cached; see read_new_commits)."""


@dataclass(frozen=True)
class Change:
    """One file changed by a commit, paths relative to the plans folder."""

    status: str
    """A (added), M (modified), D (deleted) or R (renamed)."""
    path: str
    old_path: str | None
    """The path before a rename, else None."""
    blob: str | None
    """The new content's blob id; None for a deletion or a non-file (symlink, submodule)."""


@dataclass(frozen=True)
class RepoState:
    """Where the plans folder sits in its repository, and which commit is checked out."""

    prefix: str
    """Path of the plans folder inside the repository, "" or ending in "/"."""
    head: str | None
    """The checked-out commit; None in a repository with no commits yet."""
    shallow: bool
    git_dir: str


def git_executable() -> str | None:
    """Absolute path of git, or None when it is not installed."""
    return shutil.which("git")


def find_git_dir(start: Path) -> Path | None:
    """The nearest `.git` at or above start, found without running git."""
    for folder in (start, *start.parents):
        candidate = folder / ".git"
        if candidate.exists():
            return candidate
    return None


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV
           and not k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_NO_REPLACE_OBJECTS="1",
               GIT_LITERAL_PATHSPECS="1", GIT_NO_LAZY_FETCH="1", LC_ALL="C")
    return env


def _command(git: str, *args: str) -> list[str]:
    return [git, *SAFE_OPTIONS, *args]


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").strip()
    return text.splitlines()[0] if text else "no message"


def _run(git: str, cwd: Path, *args: str, ok_codes: tuple[int, ...] = (0,)) -> tuple[int, bytes]:
    try:
        proc = subprocess.run(_command(git, *args), cwd=cwd, env=_env(), capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=GIT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} took over {GIT_TIMEOUT:.0f} s") from exc
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from exc
    if proc.returncode not in ok_codes:
        raise GitError(f"git {args[0]} failed: {_first_line(proc.stderr)}")
    return proc.returncode, proc.stdout


def repo_state(git: str, plans: Path) -> RepoState | None:
    """The repository holding the plans folder; None when it is not in one."""
    code, out = _run(git, plans, "rev-parse", "--is-shallow-repository", "--absolute-git-dir",
                     "--show-prefix", "--verify", "-q", "HEAD", ok_codes=(0, 1, 128))
    if code == 128:
        return None
    lines = os.fsdecode(out).split("\n")
    if len(lines) < 4 or lines[0] not in ("true", "false"):
        raise GitError("git rev-parse gave an unexpected answer")
    head = lines[3].strip() if code == 0 else ""
    return RepoState(prefix=lines[2], head=head or None, shallow=lines[0] == "true",
                     git_dir=lines[1])


def shallow_signature(state: RepoState) -> str:
    """What identifies a shallow clone's boundary (changes when it is deepened)."""
    if not state.shallow:
        return ""
    try:
        st = os.stat(os.path.join(state.git_dir, "shallow"))
    except OSError:
        return "shallow"
    return f"{st.st_size}:{st.st_mtime_ns}"


_LOG_OPTIONS = ("--no-ext-diff", "--no-textconv", "--no-color", "--first-parent", "-m", "-M",
                "--raw", "--no-abbrev", "-z", "--encoding=UTF-8", f"--format={_LOG_FORMAT}")
Log = list[tuple[Commit, list[Change]]]


def read_log(git: str, plans: Path, state: RepoState) -> Log:
    """Every first-parent commit that changed the plans folder, oldest first."""
    if state.head is None:
        return []
    _, out = _run(git, plans, "log", *_LOG_OPTIONS, state.head,
                  "--", ".")  # the plans folder: git runs in it
    commits = parse_log(out, state.prefix, shallow=state.shallow)
    commits.reverse()
    return commits


def read_new_commits(git: str, plans: Path, state: RepoState, old_head: str,
                     last: str | None) -> Log | None:
    """The commits since old_head that changed the plans folder, oldest first, when they
    continue the history up to old_head (whose last commit changing the folder is last);
    None when they do not (history rewritten, HEAD moved back, another branch)."""
    if state.head is None:
        return None
    _, out = _run(git, plans, "log", *_LOG_OPTIONS, "--parents", state.head, "^" + old_head,
                  "--", ".")
    commits = parse_log(out, state.prefix, shallow=False)
    if not commits:  # nothing new in the folder: fine if HEAD moved forward
        code, _ = _run(git, plans, "merge-base", "--is-ancestor", old_head, state.head,
                       ok_codes=(0, 1))
        return [] if code == 0 else None
    commits.reverse()
    # With --parents the parent is rewritten to the nearest commit that changed the folder,
    # or stops at old_head: either way the new commits continue the cached history.
    return commits if commits[0][0].parent in (old_head, last) else None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return dt.date(1970, 1, 1)


def parse_log(out: bytes, prefix: str, *, shallow: bool) -> list[tuple[Commit, list[Change]]]:
    """`git log -z --raw` output -> commits with their changes (newest first, as git gives)."""
    tokens = out.split(b"\0")
    raw_prefix = os.fsencode(prefix)
    cut = len(raw_prefix)
    result: list[tuple[Commit, list[Change]]] = []
    changes: list[Change] = []
    i, n = 0, len(tokens)

    def plan_path(raw: bytes) -> str | None:
        return os.fsdecode(raw[cut:]) if raw.startswith(raw_prefix) else None

    while i < n:
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x01"):
            head, _, rest = token[1:].partition(b"\x02")
            date, _, subject = rest.partition(b"\x02")
            sha, *parents = head.decode("ascii", errors="replace").split()
            changes = []
            result.append((Commit(sha, _date(date.decode("ascii", errors="replace")),
                                  subject.decode("utf-8", errors="replace"),
                                  shallow and not parents, parents[0] if parents else ""),
                           changes))
        elif token.startswith(b":") and result:
            meta = token[1:].split()
            if len(meta) < 5:
                continue
            status = meta[4][:1].decode("ascii", errors="replace")
            mode, blob = meta[1], meta[3].decode("ascii")
            old = None
            if status in ("R", "C"):
                old, i = tokens[i], i + 1
            new, i = tokens[i], i + 1
            path = plan_path(new)
            is_file = mode.startswith(b"100")  # not a symlink (120000) or submodule (160000)
            content = blob if status != "D" and is_file else None
            old_path = plan_path(old) if old is not None else None
            if status == "C" or (status == "R" and old_path is None):
                status, old_path = "A", None
            elif status not in ("A", "D", "R"):
                status = "M"  # M, T (type change), U
            if path is not None:
                changes.append(Change(status, path, old_path, content))
            elif old_path is not None:  # renamed out of the plans folder
                changes.append(Change("D", old_path, None, None))
    return result


def read_blobs(git: str, plans: Path, ids: Iterable[str],
               handle: Callable[[str, bytes], None]) -> None:
    """Stream the contents of blobs through one `git cat-file --batch` process."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return
    try:
        proc = subprocess.Popen(_command(git, "cat-file", "--batch"), cwd=plans, env=_env(),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, bufsize=1 << 16)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from exc
    assert proc.stdin is not None and proc.stdout is not None
    stdin = proc.stdin

    def feed() -> None:  # a thread, so a full output pipe never blocks our writes
        try:
            stdin.write("".join(f"{b}\n" for b in wanted).encode("ascii"))
            stdin.close()
        except OSError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for blob, data in _batch_answers(proc.stdout, len(wanted)):
            handle(blob, data)
    finally:
        proc.stdout.close()
        writer.join(GIT_TIMEOUT)
        try:
            proc.wait(GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _batch_answers(stream: IO[bytes], count: int) -> Iterator[tuple[str, bytes]]:
    read, readline = stream.read, stream.readline
    for _ in range(count):
        header = readline()
        if not header:
            raise GitError("git cat-file stopped early")
        parts = header.split()
        if len(parts) != 3:  # "<id> missing": not in this (partial or shallow) clone
            continue
        size = int(parts[2])
        data = read(size + 1)[:size]
        if parts[1] == b"blob":
            yield parts[0].decode("ascii"), data
