"""The pipeline: discover -> parse -> model -> render -> write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from careersite.checks import LinkIndex, check_links, check_method, check_references
from careersite.config import Config, load_config
from careersite.diagnostics import Diagnostic, error, sort_diagnostics
from careersite.discover import discover
from careersite.documents import Asset, Document
from careersite.history_views import with_history
from careersite.model import Plan, build_plan, url_collisions
from careersite.parse import parse_document
from careersite.write import WriteReport


@dataclass(frozen=True)
class Loaded:
    """Every document of a project, parsed, with every problem found."""

    config: Config
    documents: tuple[Document, ...]
    assets: tuple[Asset, ...]
    index: LinkIndex
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    report: WriteReport | None
    """None when nothing was written (errors, or --strict with warnings)."""
    pages: int


def load_project(root: Path, *, today: dt.date) -> Loaded:
    """Read and check the whole plan; nothing is written."""
    config, diags = load_config(root)
    found = discover(root, config.plans_path)
    diags += found.diagnostics
    documents: list[Document] = []
    for source in found.documents:
        try:
            data = source.path.read_bytes()
        except OSError as exc:
            diags.append(unreadable(source.rel, exc))
            continue
        doc, doc_diags = parse_document(source, data)
        documents.append(doc)
        diags += doc_diags
    index, check_diags = check_documents(config, documents, found.assets, today=today)
    return Loaded(config, tuple(documents), found.assets, index,
                  tuple(sort_diagnostics(diags + check_diags)))


def unreadable(rel: str, exc: OSError) -> Diagnostic:
    """A plan file that cannot be read."""
    return Diagnostic(rel, 1, 1, "error", f"cannot read: {exc.strerror}")


def check_documents(config: Config, documents: Sequence[Document], assets: Sequence[Asset],
                    *, today: dt.date) -> tuple[LinkIndex, list[Diagnostic]]:
    """The checks across documents: the link index, and every problem found."""
    index = LinkIndex.build(documents, [a.plan_rel for a in assets], str(config.plans_path))
    diags = url_collisions(documents)
    diags += check_references(documents)
    diags += check_links(documents, index)
    diags += check_method(documents, today=today, review_every_days=config.review_every_days)
    return index, diags


def make_plan(config: Config, documents: Sequence[Document], assets: Sequence[Asset], *,
              today: dt.date, private: bool) -> tuple[Plan, list[Diagnostic]]:
    """The Plan a build renders (the model, then its history from git) and its warnings."""
    plan = build_plan(config, documents, assets, today=today, private=private)
    plan, history_diags = with_history(plan, documents)  # git, once; never fails
    return plan, history_diags


def build(root: Path, output: Path | None = None, *, private: bool = False,
          strict: bool = False, jobs: int | None = None, cache: bool = True) -> BuildResult:
    """Build the site; write it only when the plan has no errors.

    Only what changed since the last build is parsed and rendered again (the cache in
    `.careersite/`, unless cache is False); large plans use `jobs` processes.
    """
    from careersite.incremental import Site

    site = Site(root, output, private=private, strict=strict, jobs=jobs, cache=cache)
    outcome = site.rebuild()
    return BuildResult(outcome.diagnostics, outcome.report, outcome.pages)


def template_diagnostic(exc: jinja2.TemplateError, root: Path) -> Diagnostic:
    """A template problem, located in the template file when Jinja knows where."""
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    try:
        path = Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        path = str(filename)
    line = getattr(exc, "lineno", None) or 1
    return error(path, line, 1, f"template: {exc.message or exc}")
