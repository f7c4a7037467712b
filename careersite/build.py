"""The pipeline: discover -> parse -> model -> render -> write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from careersite.checks import LinkIndex, check_links, check_method, check_references
from careersite.config import Config, load_config
from careersite.diagnostics import Diagnostic, error, has_errors, sort_diagnostics
from careersite.discover import discover
from careersite.documents import Asset, Document
from careersite.model import build_plan, url_collisions
from careersite.parse import parse_document
from careersite.render import build_date, make_environment, render_site
from careersite.write import WriteReport, check_output_dir, write_site


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
            diags.append(Diagnostic(source.rel, 1, 1, "error", f"cannot read: {exc.strerror}"))
            continue
        doc, doc_diags = parse_document(source, data)
        documents.append(doc)
        diags += doc_diags
    index = LinkIndex.build(documents, [a.plan_rel for a in found.assets],
                            str(config.plans_path))
    diags += url_collisions(documents)
    diags += check_references(documents)
    diags += check_links(documents, index)
    diags += check_method(documents, today=today, review_every_days=config.review_every_days)
    return Loaded(config, tuple(documents), found.assets, index,
                  tuple(sort_diagnostics(diags)))


def build(root: Path, output: Path | None = None, *, private: bool = False,
          strict: bool = False) -> BuildResult:
    """Build the site; write it only when the plan has no errors."""
    today = build_date()
    loaded = load_project(root, today=today)
    config = loaded.config
    out = output if output is not None else config.output_path
    check_output_dir(out, project_root=root, plans_dir=config.plans_path)
    diags = loaded.diagnostics
    if has_errors(diags) or (strict and diags):
        return BuildResult(diags, None, 0)
    plan = build_plan(config, loaded.documents, loaded.assets, today=today, private=private)
    env = make_environment(config.templates_path)
    try:
        files = render_site(plan, env, loaded.index)
    except jinja2.TemplateError as exc:
        return BuildResult((*diags, template_diagnostic(exc, root)), None, 0)
    pages = len(files)
    for asset in plan.assets:
        files[asset.plan_rel] = asset.path.read_bytes()
    report = write_site(out, files)
    return BuildResult(diags, report, pages)


def template_diagnostic(exc: jinja2.TemplateError, root: Path) -> Diagnostic:
    """A template problem, located in the template file when Jinja knows where."""
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    try:
        path = Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        path = str(filename)
    line = getattr(exc, "lineno", None) or 1
    return error(path, line, 1, f"template: {exc.message or exc}")
