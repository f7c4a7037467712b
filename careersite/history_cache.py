"""The plan's history, read from git once per build and cached under `.careersite/`.

JSON files (never pickle: a cache folder handed over with a repository must not be able
to run code). `history-public.json` and `history-private.json` hold the finished history
for each kind of build, keyed by HEAD and the plans folder's place in the repository: a
build with unchanged history runs one `git rev-parse` and reads one file (the public one
holds no commit subject). `history-log.json` holds the parsed `git log`: when HEAD moves
forward only the new commits are read. `history-blobs.json` holds each revision's parsed
snapshot keyed by path and blob id: a new commit costs only the files it changed.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from careersite import __version__
from careersite.config import Config
from careersite.diagnostics import Diagnostic, warning
from careersite.history import (
    Change,
    Commit,
    GitError,
    Log,
    RepoState,
    find_git_dir,
    git_executable,
    read_blobs,
    read_log,
    read_new_commits,
    repo_state,
    shallow_signature,
)
from careersite.history_model import Built, History, Lineage, build_history, chains
from careersite.history_snapshot import (
    UNREADABLE,
    Snapshot,
    body_facts,
    snapshot,
    source_for,
)

log = logging.getLogger(__name__)

CACHE_FORMAT = 2
"""Bump when what is cached, or how it is computed, changes."""
PUBLIC_FILE = "history-public.json"
PRIVATE_FILE = "history-private.json"
LOG_FILE = "history-log.json"
BLOBS_FILE = "history-blobs.json"

State = Literal["ok", "no-git", "not-repo", "no-commits", "failed"]


@dataclass(frozen=True)
class LoadedHistory:
    """The committed history, or why there is none."""

    history: History | None
    state: State
    diagnostics: tuple[Diagnostic, ...] = ()
    cached: bool = False
    """Read from the cache (nothing parsed)."""


def load_history(config: Config, *, private: bool) -> LoadedHistory:
    """The plan's committed history as a public or private build may show it; never raises
    (problems become warnings)."""
    plans = config.plans_path
    where = config.plans_dir.rstrip("/") or "plans"
    if not plans.is_dir():
        return LoadedHistory(None, "not-repo")
    git = git_executable()
    if git is None:
        if find_git_dir(plans) is None:
            return LoadedHistory(None, "no-git")
        return LoadedHistory(None, "no-git", (warning(
            where, 1, 1, "git is not installed, so the plan's history is left out"),))
    try:
        state = repo_state(git, plans)
        if state is None:
            return LoadedHistory(None, "not-repo")
        if state.head is None:
            return LoadedHistory(History((), (), state.shallow), "no-commits")
        history, cached, missing = _history(git, plans, state, config.cache_path, private)
    except GitError as exc:
        return LoadedHistory(None, "failed", (warning(
            where, 1, 1, f"history from git left out: {exc}"),))
    except Exception as exc:  # history must never fail the build
        log.debug("reading history", exc_info=True)
        return LoadedHistory(None, "failed", (warning(
            where, 1, 1, f"history from git left out: {type(exc).__name__}: {exc}"),))
    diags: list[Diagnostic] = []
    if history.shallow and history.commits:
        first = history.commits[0]
        diags.append(warning(
            where, 1, 1, f"shallow clone: history starts at {first.date.isoformat()} "
            f"(commit {first.sha[:10]}); run 'git fetch --unshallow' (in CI: fetch the full "
            "history) to see when goals were set"))
    if missing:
        diags.append(warning(where, 1, 1, f"{missing} revision(s) could not be read from git "
                                          "(a partial clone?); their history is left out"))
    return LoadedHistory(history, "ok", tuple(diags), cached)


def _history(git: str, plans: Path, state: RepoState, cache: Path, private: bool
             ) -> tuple[History, bool, int]:
    key = [CACHE_FORMAT, __version__, state.head, state.prefix, shallow_signature(state)]
    files = {True: cache / PRIVATE_FILE, False: cache / PUBLIC_FILE}
    remembered = _MEMO.get(files[private])
    if remembered is not None and remembered[0] == (_stat(files[private]), key):
        return remembered[1], True, remembered[2]  # serve: this process read it already
    stored = {private: _read_json(files[private])}
    mine = stored[private]
    if mine is not None and mine.get("key") == key:
        try:
            history = history_from_json(mine["history"])
            total = int(mine.get("missing_total", 0))
            _MEMO[files[private]] = ((_stat(files[private]), key), history, total)
            return history, True, total
        except (KeyError, IndexError, TypeError, ValueError):
            pass
    stored[not private] = _read_json(files[not private])
    reuse, missing_of = _reusable(stored[True], stored[False])
    log_ = _log(git, plans, state, cache)
    commits = tuple(c for c, _ in log_)
    chains_ = chains(log_)
    signatures = [chain.signature(commits) for chain in chains_]
    known = _known_snapshots(cache)
    parsed: dict[str, Snapshot] = {}
    wanted: dict[str, list[str]] = {}
    for chain, sig in zip(chains_, signatures, strict=True):
        if sig in reuse:
            continue
        for _, path, blob in chain.revs:
            key_ = f"{path}\0{blob}"
            if blob is None or key_ in parsed:
                continue
            data = known.get(key_)
            if data is not None:
                try:
                    parsed[key_] = Snapshot.from_json(data)
                    continue
                except (IndexError, TypeError, ValueError):
                    pass  # a damaged entry: read the blob again
            paths = wanted.setdefault(blob, [])
            if path not in paths:
                paths.append(path)
    parsed.update(_parse_blobs(git, plans, wanted))
    missing: dict[str, int] = {}  # revisions not in this clone (partial or damaged)
    for chain, sig in zip(chains_, signatures, strict=True):
        if sig in reuse:
            count = missing_of.get(sig, 0)
        else:
            count = sum(1 for _, path, blob in chain.revs
                        if blob is not None and f"{path}\0{blob}" not in parsed)
        if count:
            missing[sig] = count

    def snap(path: str, blob: str | None) -> Snapshot:
        return parsed.get(f"{path}\0{blob}", UNREADABLE)  # unreadable: never shown publicly

    build = build_history(commits, chains_, signatures, snap, shallow=state.shallow,
                          reuse=reuse)
    used: dict[str, Any] = {}
    for chain in chains_:
        for _, path, blob in chain.revs:
            key_ = f"{path}\0{blob}"
            if key_ in parsed:
                used[key_] = parsed[key_].to_json()
            elif key_ in known:
                used[key_] = known[key_]
    _write_json(cache, BLOBS_FILE, {"format": [CACHE_FORMAT, __version__], "snapshots": used})
    total = sum(missing.values())
    for mode, target in files.items():
        kept = [(sig, b[0] if mode else b[1]) for sig, b in
                zip(signatures, build.built, strict=True)]
        kept = [(sig, lin) for sig, lin in kept if lin is not None]
        data = {
            "shallow": build.shallow,
            "commits": [[c.sha, c.date.toordinal(), c.subject if mode else "", c.boundary]
                        for c in build.commits],  # a public history holds no subject
            "lineages": [lin for _, lin in kept],
        }
        _write_json(cache, target.name, {"key": key, "history": data,
                                         "signatures": [sig for sig, _ in kept],
                                         "missing": missing, "missing_total": total})
    return build.history(private), False, total


_MEMO: dict[Path, tuple[tuple[object, list[Any]], History, int]] = {}
"""Histories this process read, by file, with the file's stat and key (a long-running
`serve` reads a large history once, not at every rebuild)."""


def _stat(path: Path) -> object:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _reusable(private: dict[str, Any] | None, public: dict[str, Any] | None
              ) -> tuple[dict[str, Built], dict[str, int]]:
    """Lineages of the last history, by chain signature, when both files can be trusted."""
    try:
        if private is None or public is None or private["key"][:2] != [
                CACHE_FORMAT, __version__] or public["key"] != private["key"]:
            return {}, {}
        public_of = dict(zip(public["signatures"], public["history"]["lineages"], strict=True))
        reuse: dict[str, Built] = {
            sig: (lin, public_of.get(sig))
            for sig, lin in zip(private["signatures"], private["history"]["lineages"],
                                strict=True)}
        return reuse, {str(k): int(v) for k, v in private.get("missing", {}).items()}
    except (KeyError, IndexError, TypeError, ValueError):
        return {}, {}


def _known_snapshots(cache: Path) -> dict[str, Any]:
    blobs = _read_json(cache / BLOBS_FILE)
    if blobs is not None and blobs.get("format") == [CACHE_FORMAT, __version__]:
        found = blobs.get("snapshots")
        if isinstance(found, dict):
            return found
    return {}


def _parse_blobs(git: str, plans: Path, wanted: Mapping[str, list[str]]
                 ) -> dict[str, Snapshot]:
    """Read the wanted blobs with one `git cat-file --batch`, parsing each as it arrives
    (while git reads the next ones)."""
    parsed: dict[str, Snapshot] = {}
    facts = body_facts({})

    def handle(blob: str, data: bytes) -> None:
        for path in wanted[blob]:
            parsed[f"{path}\0{blob}"] = snapshot(source_for(path), data, facts)

    read_blobs(git, plans, wanted, handle)
    return parsed


def _log(git: str, plans: Path, state: RepoState, cache: Path) -> Log:
    """The log, from the cache when HEAD has not moved, else extended with the new
    commits only when they continue the cached history, else read whole."""
    ident = [CACHE_FORMAT, __version__, state.prefix, shallow_signature(state)]
    stored = _read_json(cache / LOG_FILE)
    log_: Log | None = None
    if stored is not None and stored.get("ident") == ident:
        try:
            old_head, old = str(stored["head"]), log_from_json(stored["log"])
        except (KeyError, IndexError, TypeError, ValueError):
            old_head, old = "", []
        if old_head and old_head == state.head:
            log_ = old
        elif old_head:
            last = old[-1][0].sha if old else None
            new = read_new_commits(git, plans, state, old_head, last)
            log_ = None if new is None else old + new
    if log_ is None:
        log_ = read_log(git, plans, state)
    if stored is None or stored.get("head") != state.head:
        _write_json(cache, LOG_FILE, {"ident": ident, "head": state.head,
                                      "log": log_to_json(log_)})
    return log_


def log_to_json(log_: Log) -> list[Any]:
    """The log as JSON-ready data."""
    return [[c.sha, c.date.toordinal(), c.subject, c.boundary,
             [[ch.status, ch.path, ch.old_path, ch.blob] for ch in changes]]
            for c, changes in log_]


def log_from_json(data: list[Any]) -> Log:
    """The log back from `log_to_json`."""
    return [(Commit(str(sha), dt.date.fromordinal(int(day)), str(subject), bool(b)),
             [Change(str(st), str(path), old, blob) for st, path, old, blob in changes])
            for sha, day, subject, b, changes in data]


def history_from_json(data: Mapping[str, Any]) -> History:
    """A history from the "history" entry of history-public.json or history-private.json."""
    commits = tuple(Commit(str(sha), dt.date.fromordinal(int(day)), str(subject), bool(b))
                    for sha, day, subject, b in data["commits"])
    lineages = tuple(Lineage.from_json(lin) for lin in data["lineages"])
    return History(commits, lineages, bool(data["shallow"]))


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(folder: Path, name: str, data: object) -> None:
    """Write atomically; a cache that cannot be written is only slower next time."""
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# careersite's cache: never committed\n*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:  # dumps: json.dump would not use the C encoder
                f.write(json.dumps(data, separators=(",", ":")).encode("ascii"))
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError, TypeError):
        log.debug("cannot write the history cache", exc_info=True)
