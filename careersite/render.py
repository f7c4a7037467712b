"""(Plan, templates) -> {site path: bytes}. Pure: never touches the output folder."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2

from careersite import __version__
from careersite.checks import LinkIndex
from careersite.model import Plan
from careersite.urls import slugify_part
from careersite.views import PageContext

STATIC_TEMPLATES = ("style.css",)
"""Templates copied to the site as they are (overridable like any other)."""


def builtin_templates() -> Path:
    """The built-in templates: `templates/` of a checkout, or the installed package data."""
    here = Path(__file__).resolve().parent
    checkout = here.parent / "templates"
    if (checkout / "base.html").is_file():
        return checkout
    import importlib.resources

    return Path(str(importlib.resources.files("careersite.templates")))


def make_environment(project_templates: Path | None) -> jinja2.Environment:
    """One Environment per build: project templates first, built-ins also as `default/`."""
    builtin = jinja2.FileSystemLoader(str(builtin_templates()))
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders += [builtin, jinja2.PrefixLoader({"default": builtin})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = format_date
    env.filters["days_ago"] = days_ago
    env.filters["area_id"] = area_id
    return env


def format_date(value: dt.date | None) -> str:
    """30 Jun 2027."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%b')} {value.year}"


def days_ago(days: int) -> str:
    """'today', 'yesterday', '12 days ago', 'in 3 days'."""
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    return f"{days} days ago" if days > 0 else f"in {-days} days"


def area_id(area: str) -> str:
    """Anchor of a development area on development.html."""
    return "dev-" + (slugify_part(area) or "area")


def root_of(url: str) -> str:
    """Relative prefix from a page to the site root: "", "../", "../../"."""
    return "../" * url.count("/")


PageSpec = tuple[str, str, dict[str, Any]]
"""(site URL, template name, template variables) of one page."""
PageSource = Callable[[Plan, PageContext], Iterable[PageSpec]]
FileSource = Callable[[Plan, PageContext], Mapping[str, bytes]]


def page_sources() -> list[PageSource]:
    """Every producer of HTML pages; a feature module adds its own here."""
    return [core_pages]


def file_sources() -> list[FileSource]:
    """Every producer of non-HTML files (feeds, calendars, JSON)."""
    return []


def render_site(plan: Plan, env: jinja2.Environment, index: LinkIndex) -> dict[str, bytes]:
    """Every page of the site (assets excluded) as bytes."""
    ctx = PageContext(plan, index)
    pages: dict[str, bytes] = {}
    for page_source in page_sources():
        for url, template, variables in page_source(plan, ctx):
            pages[url] = render_page(env, plan, template, url, variables)
    for file_source in file_sources():
        pages.update(file_source(plan, ctx))
    for name in STATIC_TEMPLATES:
        text, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        pages[name] = text.encode("utf-8")
    return pages


def render_page(
    env: jinja2.Environment, plan: Plan, template: str, url: str, variables: dict[str, Any]
) -> bytes:
    """One page."""
    config = plan.config
    context = {
        "site": {
            "title": config.title,
            "author": config.author,
            "language": config.language,
            "base_url": config.base_url,
            "has_vision": plan.vision is not None,
            "has_notes": bool(plan.notes),
            "notes": [{"title": n.doc.title, "url": n.url} for n in plan.notes],
        },
        "build": {"private": plan.private, "today": plan.today, "version": __version__},
        "page_url": url,
        "root": root_of(url),
        **variables,
    }
    return env.get_template(template).render(context).encode("utf-8")


def core_pages(plan: Plan, ctx: PageContext) -> Iterator[PageSpec]:
    """Dashboard, vision, goals, development, reviews, notes and 404."""
    overdue, soon = ctx.due_items()
    last_review, review_age, review_due = ctx.latest_review()
    hard, soft = ctx.values()
    yield "index.html", "index.html", {
        "title": plan.config.title,
        "vision_summary": ctx.vision_summary(),
        "tree": ctx.tree(),
        "overdue": overdue,
        "soon": soon,
        "last_review": last_review,
        "review_age": review_age,
        "review_due": review_due,
        "review_every_days": plan.config.review_every_days,
        "goals": list(ctx.refs.values()),
    }
    vision = plan.vision
    yield "vision.html", "vision.html", {
        "title": vision.title if vision else "Vision",
        "doc": vision,
        "updated": plan.vision_fields.updated.first
        if plan.vision_fields and plan.vision_fields.updated else None,
        "hard_values": hard,
        "soft_values": soft,
        "body": ctx.body(vision, "vision.html") if vision else "",
        "private_meta": vision.private_meta if vision and plan.private else {},
    }
    yield "goals/index.html", "goals.html", {"title": "Goals", "goals": list(ctx.refs.values())}
    for goal in plan.goals.values():
        yield goal.url, "goal.html", {"title": goal.title, **ctx.goal(goal)}
    yield "development.html", "development.html", {
        "title": "Development", "areas": ctx.development(),
    }
    reviews = list(reversed(plan.reviews))
    yield "reviews/index.html", "reviews.html", {"title": "Reviews", "reviews": reviews}
    for review in plan.reviews:
        yield review.url, "review.html", {"title": review.doc.title, **ctx.review(review)}
    for note in plan.notes:
        yield note.url, "note.html", {
            "title": note.doc.title, "doc": note.doc, "body": ctx.body(note.doc, note.url),
            "private_meta": note.doc.private_meta if plan.private else {},
        }
    yield "404.html", "404.html", {"title": "Page not found"}


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()

