"""The rebuild engine: re-parse what changed, re-render what read it, write what differs.

A Site keeps, between rebuilds, the last parsed documents (by path, with the file's stat
and content hash), the last good plan, and for every page the inputs it read while it was
rendered (deps.py). A rebuild re-reads only files whose stat changed and re-parses only
those whose bytes changed, rebuilds the plan (cheap), compares it with the last good one
and re-renders only the pages that read a changed input. write.py writes only files whose
bytes differ; unchanged pages are not even rendered. The state can be saved to
`.careersite/` (cache.py) so that `careersite build` starts from the last build.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from careersite import pool
from careersite.build import check_documents, make_plan, template_diagnostic, unreadable
from careersite.checks import LinkIndex
from careersite.config import Config, load_config
from careersite.deps import (
    EVERYTHING,
    SITE,
    Key,
    Snapshot,
    TemplateDigests,
    changed_keys,
    pages_reading,
)
from careersite.diagnostics import Diagnostic, has_errors, sort_diagnostics
from careersite.discover import Discovery, discover
from careersite.documents import Asset, Document, SourceFile
from careersite.outdir import check_output_dir
from careersite.parse import parse_document
from careersite.render import (
    FileSource,
    PageSpec,
    build_date,
    common_context,
    file_sources,
    last_files,
    make_environment,
    page_context,
    page_specs,
    render_page,
)
from careersite.state import (
    HEAVY_PAGES,
    RACY_NS,
    Changes,
    Outcome,
    PageRecord,
    Parsed,
    Stat,
    digest,
    stat_of,
)
from careersite.views import PageContext
from careersite.write import Stage, Staged, write_site

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class _Rendered:
    """A page rendered (by a worker): its bytes' digest, and where they are staged."""

    url: str
    digest: bytes
    staged: Staged | None
    """None: the output file already holds these bytes."""
    reads: frozenset[Key] | None


@dataclass
class _Pass:
    """One rebuild's inputs, worked out before rendering."""

    config: Config
    found: Discovery
    parsed: dict[str, Parsed]
    documents: list[Document]
    diagnostics: list[Diagnostic] = field(default_factory=list)


class Site:
    """A project's site, kept up to date by rebuild(); see the module docstring."""

    def __init__(self, root: Path, output: Path | None = None, *, private: bool = False,
                 strict: bool = False, jobs: int | None = None, cache: bool = True,
                 preview: bool = False) -> None:
        self.root = root
        self.output_arg = output
        self.preview = preview
        """The output is careersite's own preview folder in .careersite/ (serve)."""
        self.private = private
        self.strict = strict
        self.jobs = jobs if jobs is not None else pool.default_jobs()
        self.use_cache = cache
        self.config: Config | None = None
        self.config_diags: list[Diagnostic] = []
        self.env: jinja2.Environment | None = None
        self.templates: TemplateDigests | None = None
        self.parsed: dict[str, Parsed] = {}
        self.assets: dict[str, tuple[Stat | None, bytes]] = {}
        """Each asset's stat and content digest, as last copied."""
        self.snapshot: Snapshot | None = None
        self.records: dict[str, PageRecord] = {}
        self.readers: dict[Key, set[str]] = {}
        self.files: dict[str, tuple[bytes, Stat | None]] = {}
        """Digest and stat of each non-page file last written (feeds, JSON, style.css...)."""
        self.sourced: tuple[str, ...] = ()
        """The paths the file sources made last time."""
        self.loaded_cache = False
        self.good: tuple[tuple[tuple[str, bytes], ...], tuple[Asset, ...], dt.date] | None = None
        """(documents, assets, today) of the last good build, for the cache."""
        self.restored: Any = None
        """The state loaded from the cache, until the snapshot it describes is rebuilt."""
        self.cached_parsed: dict[str, Parsed] | None = None
        """The parsed entries as last read from or written to the cache."""
        self.cached_state = False
        """True when the cache holds this site's current state."""
        self.ok = False
        """True when the last rebuild was good (no errors)."""
        self.autosave = True
        """Save to the cache after every good rebuild (serve saves only its first)."""
        self.timings: dict[str, float] = {}
        """Seconds per stage of the last rebuild (the benchmark shows them)."""
        self._last_lap = 0.0

    @property
    def output(self) -> Path:
        """The folder the site is written to."""
        assert self.config is not None
        return self.output_arg if self.output_arg is not None else self.config.output_path

    # -- one rebuild ---------------------------------------------------------------------

    def rebuild(self, changes: Changes | None = None) -> Outcome:
        """Bring the output folder up to date; changes=None checks everything.

        A plan with errors leaves the last good site as it is.
        """
        was_enabled = gc.isenabled()
        gc.disable()  # a build makes millions of objects and frees few: collecting is waste
        try:
            return self._rebuild(changes or Changes(config=True, templates=True))
        finally:
            if was_enabled:
                gc.enable()

    def quick(self, paths: Iterable[str]) -> Outcome | None:
        """Write the edited documents' own pages at once (quick.py); call rebuild() next."""
        from careersite.quick import quick_update

        return quick_update(self, paths)

    def _lap(self, stage: str) -> None:
        """Time spent since the last lap, as `stage` (Outcome.timings; the benchmark)."""
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last_lap
        self._last_lap = now

    def _rebuild(self, changes: Changes) -> Outcome:
        self.ok = False
        self.timings = {}
        self._last_lap = time.perf_counter()
        if self.config is None or changes.config:
            self._load_config()
        assert self.config is not None
        if not self.preview:
            check_output_dir(self.output, project_root=self.root,
                             plans_dir=self.config.plans_path)
        if self.use_cache and not self.loaded_cache:
            self.loaded_cache = True
            from careersite.cache import load_state

            load_state(self)
            self._lap("cache load")
        if self.env is None or changes.templates:
            self.env = make_environment(self.config.templates_path, self.config.language)
            self.env.auto_reload = False  # a template change makes a new Environment
            self.templates = TemplateDigests(self.env)
        today = build_date()
        self._lap("start")
        work = self._read_plan(changes)
        diags = self.config_diags + work.diagnostics
        index, check_diags = check_documents(self.config, work.documents, work.found.assets,
                                             today=today)
        diags = sort_diagnostics(diags + check_diags)
        self._lap("check")
        self.parsed = work.parsed
        if has_errors(diags) or (self.strict and diags):
            return Outcome(tuple(diags), None, 0, ())
        plan, history_diags = make_plan(self.config, work.documents, work.found.assets,
                                        today=today, private=self.private)
        diags = sort_diagnostics(diags + history_diags)
        self._lap("plan")
        try:
            return self._render(plan, index, work, tuple(diags))
        except jinja2.TemplateError as exc:
            return Outcome((*diags, template_diagnostic(exc, self.root)), None, 0, ())

    def _load_config(self) -> None:
        config, diags = load_config(self.root)
        if config != self.config:
            self.snapshot = None  # every page changes: render all
            self.env = None
        self.config, self.config_diags = config, diags

    def _read_plan(self, changes: Changes) -> _Pass:
        """Discover the plans folder; re-read changed files, re-parse changed bytes."""
        assert self.config is not None
        found = discover(self.root, self.config.plans_path)
        self._lap("discover")
        touched = changes.paths
        parsed: dict[str, Parsed] = {}
        todo: list[tuple[SourceFile, bytes, Stat | None, bytes]] = []
        now = time.time_ns()
        diags = list(found.diagnostics)
        for source in found.documents:
            old = self.parsed.get(source.plan_rel)
            st = stat_of(source.path)
            if old is not None and str(source.path) not in touched and old.fresh(source, st):
                parsed[source.plan_rel] = old
                continue
            try:
                data = source.path.read_bytes()
            except OSError as exc:
                parsed[source.plan_rel] = Parsed(source, None, now, b"", None,
                                                 (unreadable(source.rel, exc),))
                continue
            hashed = digest(data)
            if old is not None and old.digest == hashed and old.source == source \
                    and old.document is not None:
                parsed[source.plan_rel] = Parsed(source, st, now, hashed, old.document,
                                                 old.diagnostics)
            else:
                todo.append((source, data, st, hashed))
        self._lap("read")
        results = pool.run(_parse_one, [(s, d) for s, d, _, _ in todo], jobs=self.jobs,
                           minimum=pool.MIN_PARSE_JOBS)
        self._lap("parse")
        for (source, _, st, hashed), (doc, doc_diags) in zip(todo, results, strict=True):
            parsed[source.plan_rel] = Parsed(source, st, now, hashed, doc, tuple(doc_diags))
        documents: list[Document] = []
        for source in found.documents:
            entry = parsed[source.plan_rel]
            diags += entry.diagnostics
            if entry.document is not None:
                documents.append(entry.document)
        return _Pass(self.config, found, parsed, documents, diags)

    # -- rendering -----------------------------------------------------------------------

    def _render(self, plan: Any, index: LinkIndex, work: _Pass,
                diags: tuple[Diagnostic, ...]) -> Outcome:
        assert self.env is not None and self.templates is not None
        env = self.env
        ctx = page_context(plan, env, index)
        common = common_context(plan)
        snapshot = Snapshot(plan, index, common, ctx.all_refs)
        specs = page_specs(plan, ctx)
        self._lap("views")
        if self.snapshot is None and self.restored is not None:
            from careersite.cache import restored_snapshot

            self.snapshot = restored_snapshot(self, self.restored)
        self.restored = None
        old = self.snapshot
        full = old is None
        changed: set[Key] = set() if old is None else changed_keys(
            old, snapshot, (k for k in self.readers if k[0] == "link"))
        everything = full or EVERYTHING in changed or SITE in changed
        dirty_reads = pages_reading(changed, self.readers)
        out = self.output
        dirty: list[PageSpec] = []
        clean: list[str] = []
        for spec in specs:
            url, template, variables = spec
            record = self.records.get(url)
            if record is None or everything or record.template != template \
                    or record.template_digest != self.templates.digest(template):
                dirty.append(spec)
            elif callable(variables) != (record.reads is not None):
                dirty.append(spec)
            elif record.reads is None and not record.same_variables(variables):
                dirty.append(spec)
            elif url in dirty_reads or record.out_stat != stat_of(out / url):
                dirty.append(spec)
            else:
                clean.append(url)
        # The file sources read the whole plan: when no input changed, their files are too.
        kept = list(self.sourced) if old is not None and not changed and all(
            stat_of(out / p) == self.files.get(p, (b"", None))[1] for p in self.sourced) else []
        self._lap("compare")
        # Compile every template before forking: workers inherit them, and a template with
        # a syntax error fails the build before any page is staged.
        for name in {template for _, template, _ in dirty}:
            env.get_template(name)
        stage = Stage(out) if dirty else None
        try:
            rendered, files = self._render_pages(plan, ctx, common, _first_the_heavy(dirty),
                                                 stage, with_files=not kept)
            self.sourced = tuple(kept or files)
            self._lap("render")
            files.update(last_files(plan, env,
                                    [url for url, _, _ in specs] + list(self.sourced)))
            return self._write(snapshot, specs, rendered, clean + kept, files, work, diags,
                               full, stage)
        finally:
            if stage is not None:
                stage.discard()

    def _render_pages(self, plan: Any, ctx: PageContext, common: dict[str, Any],
                      specs: list[PageSpec], stage: Stage | None, *, with_files: bool
                      ) -> tuple[list[_Rendered], dict[str, bytes]]:
        """The pages (staged), and every file source's files: in a process pool when there
        are many."""
        env = self.env
        assert env is not None

        def task(job: PageSpec | FileSource) -> _Rendered | Mapping[str, bytes]:
            if not isinstance(job, tuple):
                return job(plan, ctx)
            url, template, variables = job
            assert stage is not None
            ctx.reads = {SITE} if callable(variables) else None
            try:
                data = render_page(env, plan, template, url, variables, common)
                reads = frozenset(ctx.reads) if ctx.reads else None
            finally:
                ctx.reads = None
            return _Rendered(url, digest(data), stage.put(url, data), reads)

        jobs: list[PageSpec | FileSource] = [*(file_sources() if with_files else ()), *specs]
        heavy = len(jobs) - len(specs) + sum(1 for spec in specs if spec[0] in HEAVY_PAGES)
        rendered: list[_Rendered] = []
        files: dict[str, bytes] = {}
        # On a large plan a page listing every goal, or a file source, takes seconds: a few
        # of them are worth the pool (an edit's dashboard, lists, calendar and feed).
        minimum = 2 if len(plan.goals) >= pool.LARGE_PLAN else pool.MIN_RENDER_JOBS
        for result in pool.run(task, jobs, jobs=self.jobs, minimum=minimum,
                               heavy=heavy):
            if isinstance(result, _Rendered):
                rendered.append(result)
            else:
                files.update(result)
        return rendered, files

    def _write(self, snapshot: Snapshot, specs: Sequence[PageSpec], rendered: list[_Rendered],
               clean: list[str], files: dict[str, bytes], work: _Pass,
               diags: tuple[Diagnostic, ...], full: bool, stage: Stage | None) -> Outcome:
        assert self.templates is not None
        out = self.output
        writes: dict[str, bytes | Staged] = dict(files)
        keep = list(clean)
        for page in rendered:
            if page.staged is None:
                keep.append(page.url)  # the worker found these very bytes on disk
            else:
                writes[page.url] = page.staged
        assets: dict[str, tuple[Stat | None, bytes]] = {}
        now = time.time_ns()
        changed_assets: list[str] = []
        for asset in work.found.assets:
            st = stat_of(asset.path)
            last = self.assets.get(asset.plan_rel)
            copy = stat_of(out / asset.plan_rel)
            in_place = copy is not None and st is not None and copy[1] == st[1] and not full
            if last is not None and in_place and st is not None and last[0] == st \
                    and st[0] + RACY_NS < now:
                assets[asset.plan_rel] = last
                keep.append(asset.plan_rel)
                continue
            data = asset.path.read_bytes()
            assets[asset.plan_rel] = (st, digest(data))
            if last is not None and in_place and last[1] == digest(data):
                keep.append(asset.plan_rel)
            else:
                writes[asset.plan_rel] = data
                changed_assets.append(asset.plan_rel)
        report = write_site(out, writes, keep=keep, stage=stage)
        changed: list[str] = []
        variables = {url: v for url, _, v in specs}
        templates = {url: t for url, t, _ in specs}
        for page in rendered:
            old = self.records.get(page.url)
            hashed = page.digest
            if old is None or old.digest != hashed:
                changed.append(page.url)
            if old is not None and old.reads:
                for key in old.reads:
                    self.readers.get(key, set()).discard(page.url)
            if page.reads:
                for key in page.reads:
                    self.readers.setdefault(key, set()).add(page.url)
            template = templates[page.url]
            given = variables[page.url]
            self.records[page.url] = PageRecord(
                template, self.templates.digest(template), page.reads,
                None if callable(given) else given, None, hashed, stat_of(out / page.url))
        for path, data in files.items():
            hashed = digest(data)
            if self.files.get(path, (None,))[0] != hashed:
                changed.append(path)
            self.files[path] = (hashed, stat_of(out / path))
        changed += changed_assets
        produced = set(variables)
        removed = [url for url in self.records if url not in produced]
        removed += [p for p in self.files if p not in files and p not in keep]
        removed += [a for a in self.assets if a not in assets]
        for url in removed:
            record = self.records.pop(url, None)
            if record is not None and record.reads:
                for key in record.reads:
                    self.readers.get(key, set()).discard(url)
            self.files.pop(url, None)
        self.assets = assets
        self.snapshot = snapshot
        self.good = (tuple((d.source.plan_rel, work.parsed[d.source.plan_rel].digest)
                           for d in work.documents), tuple(work.found.assets), snapshot.plan.today)
        writes.clear()  # the files' bytes are on disk now: free them before pickling
        if self.use_cache and self.autosave:
            from careersite.cache import save_state

            save_state(self, changed=bool(rendered or changed or removed))
        self._lap("write")
        self.ok = True
        return Outcome(diags, report, len(specs) + len(files), tuple(r.url for r in rendered),
                       tuple(changed), tuple(removed), full)


def _parse_one(item: tuple[SourceFile, bytes]) -> tuple[Document, list[Diagnostic]]:
    source, data = item
    return parse_document(source, data)


def _first_the_heavy(specs: list[PageSpec]) -> list[PageSpec]:
    """Pages listing every goal or review first: in a pool, the slowest must start first."""
    return sorted(specs, key=lambda spec: spec[0] not in HEAVY_PAGES)
