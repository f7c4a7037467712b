"""The on-disk cache in `.careersite/`: parsed documents and the last build's state.

`parsed/*.pickle` hold every plan file as last parsed, keyed by path and content hash
(state.Parsed), shared by every build of the project. `state-<id>.pickle` holds, for
one output folder and one kind of build (public or private), what the last good build was
made of (its documents by path and content hash, in `parsed/`) and what every page read
when it was rendered. With them `careersite build` re-parses only the files whose bytes
changed and renders only the pages whose inputs changed. A cache file is ignored, never
trusted, when it was written by another version of careersite or its libraries, when it
is not the user's own, or when it does not match the project; a damaged cache costs time,
never a wrong site.

Reading a cache runs no code from it: the unpickler builds only careersite's own data
classes and a few standard value types (_SafeUnpickler).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib
import importlib.util
import io
import logging
import os
import pickle
import secrets
import stat
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careersite import __version__
from careersite.config import Config
from careersite.deps import Snapshot
from careersite.documents import Asset

if TYPE_CHECKING:
    from careersite.incremental import Site
    from careersite.state import PageRecord, Parsed

log = logging.getLogger(__name__)

MAGIC = b"careersite-cache 1\n"
PARSED_DIR = "parsed"
"""Parsed documents, in SHARDS files: an edit rewrites one small file, and pickling one
at a time keeps the pickler's memory small."""
SHARDS = 64
PARSER = "careersite.parse"
"""The parsed documents depend only on this module and what it uses."""
_LIBRARIES = ("markdown_it", "mdit_py_plugins", "nh3", "yaml", "jinja2", "markupsafe")
_SAFE_GLOBALS = frozenset({
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"),
    ("pathlib", "PosixPath"), ("pathlib", "PurePosixPath"), ("pathlib", "Path"),
    ("pathlib", "WindowsPath"), ("pathlib", "PureWindowsPath"),
    ("markupsafe", "Markup"), ("builtins", "frozenset"), ("builtins", "set"),
    ("collections", "OrderedDict"),
})
_fingerprints: dict[str, bytes] = {}


def _module_files(root: str) -> list[Path]:
    """The files of `root` and of every careersite module it uses, transitively."""
    seen: set[str] = set()
    stack = [root]
    while stack:
        name = stack.pop()
        module = sys.modules.get(name)
        if name in seen or module is None:
            continue
        seen.add(name)
        for value in vars(module).values():
            used = value.__name__ if isinstance(value, types.ModuleType) \
                else getattr(value, "__module__", None)
            if isinstance(used, str) and used.startswith("careersite") and used not in seen:
                stack.append(used)
    files = [Path(f) for name in seen if (f := getattr(sys.modules[name], "__file__", None))]
    return sorted(files)


def code_fingerprint(root: str = "careersite") -> bytes:
    """Changes whenever the code of `root` (a module and what it uses), Python or a
    parsing library changes; "careersite": any of careersite's modules."""
    found = _fingerprints.get(root)
    if found is None:
        hashed = hashlib.blake2b(digest_size=16)
        hashed.update(f"{__version__} {sys.version}".encode())
        if root == "careersite":
            files = sorted(Path(__file__).resolve().parent.glob("*.py"))
        else:
            importlib.import_module(root)
            files = _module_files(root)
        for name in _LIBRARIES:
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.origin:
                files.append(Path(spec.origin))
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue
            hashed.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        found = _fingerprints[root] = hashed.digest()
    return found


class _SafeUnpickler(pickle.Unpickler):
    """Builds careersite's data classes and plain values, nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        if module.startswith("careersite.") and module in sys.modules:
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and dataclasses.is_dataclass(found) \
                    and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"not allowed in a careersite cache: {module}.{name}")


def _trusted(path: Path) -> bool:
    """The user's own file, not writable by others."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return stat.S_ISREG(st.st_mode) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path, code: bytes) -> Any:
    """What _write wrote to path, or None if it is missing, foreign or from other code."""
    if not _trusted(path):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = MAGIC + code
    if not data.startswith(head):
        return None
    try:
        return _SafeUnpickler(io.BytesIO(data[len(head):])).load()
    except Exception as exc:  # a damaged or foreign cache is ignored, never fatal
        log.debug("ignoring %s: %s", path, exc)
        return None


def _write(path: Path, code: bytes, obj: Any) -> bool:
    """Write obj atomically; False (and nothing written) if it cannot be pickled."""
    tmp = path.with_name(f".tmp-{secrets.token_hex(6)}")
    try:
        path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        with open(tmp, "xb") as handle:
            handle.write(MAGIC + code)
            pickle.dump(obj, handle, protocol=5)
        os.replace(tmp, path)
    except BaseException as exc:  # Ctrl-C too: never leave the temporary file
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if not isinstance(exc, OSError | pickle.PicklingError | TypeError | AttributeError):
            raise
        log.debug("not caching %s: %s", path, exc)
        return False
    return True


def _state_name(site: Site) -> str:
    key = f"{site.output.resolve()}\0{site.private}\0{site.root.resolve()}"
    return f"state-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}.pickle"


def value_digest(value: Any) -> bytes | None:
    """A digest of a value's pickle: equal digests mean equal values (not always the
    reverse); None when it cannot be pickled.

    The pickler runs without its memo, so that a value holding one object twice and an
    equal value holding two equal objects pickle alike (with the memo, the first would
    pickle as a back-reference: the page was rendered again after every clean build).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo (deprecated for self-referential values: none here)
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return None
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


@dataclass(frozen=True)
class PersistedState:
    """What the cache keeps of a Site between two runs."""

    config: Config
    documents: tuple[tuple[str, bytes], ...]
    """(plan_rel, content digest) of the documents of the last good build, in order."""
    assets: tuple[Asset, ...]
    asset_stats: dict[str, tuple[tuple[int, int, int] | None, bytes]]
    today: dt.date
    history: Any
    """The last good plan's history (git may have moved on since), compared by value: a
    digest of its pickle would not do, equal values can pickle differently."""
    records: dict[str, PageRecord]
    files: dict[str, tuple[bytes, tuple[int, int, int] | None]]
    sourced: tuple[str, ...]


def persisted(site: Site) -> PersistedState:
    """What the cache keeps of a site (after a good build)."""
    assert site.config is not None and site.snapshot is not None and site.good is not None
    records = {}
    for url, record in site.records.items():
        if record.variables is not None and record.variables_digest is None:
            record.variables_digest = value_digest(record.variables)
        records[url] = dataclasses.replace(record, variables=None)
    documents, assets, today = site.good
    return PersistedState(site.config, documents, assets, dict(site.assets), today,
                          site.snapshot.plan.history, records, dict(site.files),
                          site.sourced)


def restore(site: Site, state: PersistedState) -> None:
    """Start a site from a kept state (its snapshot is made again when first needed)."""
    site.records = dict(state.records)
    site.readers = {}
    for url, record in site.records.items():
        for key in record.reads or ():
            site.readers.setdefault(key, set()).add(url)
    site.files = dict(state.files)
    site.sourced = state.sourced
    site.assets = dict(state.asset_stats)
    site.restored = state


def restored_snapshot(site: Site, state: PersistedState) -> Snapshot | None:
    """The last good build's snapshot, made again from its cached documents."""
    from careersite.build import make_plan
    from careersite.checks import LinkIndex
    from careersite.render import common_context, page_context

    assert site.config is not None and site.env is not None
    cached = site.cached_parsed or {}
    documents = []
    for rel, hashed in state.documents:
        entry = cached.get(rel)
        if entry is None or entry.digest != hashed or entry.document is None:
            return None
        documents.append(entry.document)
    old_plan, _ = make_plan(site.config, documents, state.assets, today=state.today,
                            private=site.private)
    if old_plan.history != state.history:
        return None  # git moved on: render everything again
    index = LinkIndex.build(documents, [a.plan_rel for a in state.assets],
                            str(site.config.plans_path))
    ctx = page_context(old_plan, site.env, index)
    return Snapshot(old_plan, index, common_context(old_plan), ctx.all_refs)


def shard_of(plan_rel: str) -> str:
    """The file of parsed/ that keeps a document: one of SHARDS, by a hash of its path."""
    return f"{hashlib.blake2b(plan_rel.encode(), digest_size=1).digest()[0] % SHARDS:02x}"


def load_state(site: Site) -> None:
    """Fill site with what the last build left in the cache (if it can be trusted)."""
    assert site.config is not None
    folder = site.config.cache_path
    code = code_fingerprint(PARSER)
    parsed: dict[str, Parsed] = {}
    for path in sorted((folder / PARSED_DIR).glob("*.pickle")):
        shard = _read(path, code)
        if isinstance(shard, dict):
            parsed.update(shard)
    if not parsed:
        return
    site.parsed = {rel: p for rel, p in parsed.items() if p.source.path.is_relative_to(site.root)}
    site.cached_parsed = dict(site.parsed)
    state = _read(folder / _state_name(site), code_fingerprint())
    if isinstance(state, PersistedState) and state.config == site.config:
        restore(site, state)
        site.cached_state = True


def save_state(site: Site, *, changed: bool) -> None:
    """Write site's parsed documents (the shards holding a change) and state to the cache."""
    assert site.config is not None
    folder = site.config.cache_path
    parsed = site.parsed
    cached = site.cached_parsed or {}
    dirty = {shard_of(rel) for rel, entry in parsed.items() if cached.get(rel) is not entry}
    dirty |= {shard_of(rel) for rel in cached if rel not in parsed}
    if dirty:
        shards: dict[str, dict[str, Parsed]] = {name: {} for name in dirty}
        for rel, entry in parsed.items():
            name = shard_of(rel)
            if name in shards:
                shards[name][rel] = entry
        code = code_fingerprint(PARSER)
        for name, entries in sorted(shards.items()):
            if not _write(folder / PARSED_DIR / f"{name}.pickle", code, entries):
                return
        site.cached_parsed = dict(parsed)
    if changed or not site.cached_state:
        site.cached_state = _write(folder / _state_name(site), code_fingerprint(),
                                   persisted(site))
