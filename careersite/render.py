"""(Plan, templates) -> {site path: bytes}. Pure: never touches the output folder."""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from careersite import __version__
from careersite.calendar import calendar_files
from careersite.checks import LinkIndex
from careersite.deps import GOALS, REVIEWS
from careersite.excerpt import page_description
from careersite.feed import feed_files
from careersite.history_views import history_pages, page_history
from careersite.i18n import use_language
from careersite.interview import interview_pages
from careersite.model import Goal, Note, Plan, Review
from careersite.planjson import plan_json_files
from careersite.sitemap import sitemap_files
from careersite.timeline import dashboard_timeline
from careersite.timeline_events import timeline_pages
from careersite.timeline_svg import svg_globals
from careersite.urls import slugify_part
from careersite.views import GoalRef, PageContext

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


def make_environment(project_templates: Path | None, language: str = "en") -> jinja2.Environment:
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
    use_language(env, language)  # `_()`, `date` and `days_ago`; render_site sets the plan's
    env.filters["area_id"] = area_id
    env.globals.update(svg_globals())  # timeline_svg(), progress_chart_svg(), ...
    return env



def area_id(area: str) -> str:
    """Anchor of a development area on development.html."""
    return "dev-" + (slugify_part(area) or "area")


def root_of(url: str) -> str:
    """Relative prefix from a page to the site root: "", "../", "../../"."""
    return "../" * url.count("/")


Variables = dict[str, Any] | Callable[[], dict[str, Any]]
"""A page's template variables, or a function making them when the page is rendered.

A function (core_pages) must read the plan only through the PageContext's view builders,
which record what they read (deps.py): the incremental engine then re-renders the page
only when one of those inputs changes. A plain dict is compared with the previous one.
"""
PageSpec = tuple[str, str, Variables]
"""(site URL, template name, template variables) of one page."""
PageSource = Callable[[Plan, PageContext], Iterable[PageSpec]]
FileSource = Callable[[Plan, PageContext], Mapping[str, bytes]]


def page_sources() -> list[PageSource]:
    """Every producer of HTML pages; a feature module adds its own here."""
    return [core_pages, interview_pages, timeline_pages, history_pages]


def file_sources() -> list[FileSource]:
    """Every producer of non-HTML files (feeds, calendars, JSON)."""
    return [calendar_files, feed_files, plan_json_files]


def render_site(plan: Plan, env: jinja2.Environment, index: LinkIndex) -> dict[str, bytes]:
    """Every page of the site (assets excluded) as bytes."""
    ctx = page_context(plan, env, index)
    specs, pages = site_outputs(plan, ctx, env)
    for url, template, variables in specs:
        pages[url] = render_page(env, plan, template, url, variables)
    return pages


def page_context(plan: Plan, env: jinja2.Environment, index: LinkIndex,
                 refs: Mapping[str, GoalRef] | None = None) -> PageContext:
    """The view builders for one plan, in the plan's language (installed into env)."""
    loc = use_language(env, plan.config.language)
    env.globals["_"] = env.globals["gettext"] = fast_gettext(loc.gettext)
    return PageContext(plan, index, private_word=loc.gettext("private"), gettext=loc.gettext,
                       refs=refs)


def fast_gettext(gettext: Callable[[str], str]) -> Callable[..., Markup]:
    """Jinja's "newstyle" `_()` for autoescaped templates, each string looked up once.

    Same result as the i18n extension's own (a Markup, %-formatted with the escaped
    keyword arguments), without its three calls through the template context on each of
    the ~80 strings a page shows: 7% of a page's rendering time.
    """
    cache: dict[str, Markup] = {}

    def translate(string: str, **variables: Any) -> Markup:
        found = cache.get(string)
        if found is None:
            found = cache[string] = Markup(gettext(string))
        return found % variables if "%" in found else found

    return translate


def site_outputs(plan: Plan, ctx: PageContext, env: jinja2.Environment
                 ) -> tuple[list[PageSpec], dict[str, bytes]]:
    """Every page of the site, not yet rendered, and every other file (assets excluded).

    The three steps (page_specs, file_sources, last_files) are also run one by one by the
    incremental engine, which renders pages and runs file sources in parallel: a new kind
    of output belongs in one of them.
    """
    specs = page_specs(plan, ctx)
    files: dict[str, bytes] = {}
    for file_source in file_sources():
        files.update(file_source(plan, ctx))
    files.update(last_files(plan, env, [url for url, _, _ in specs] + list(files)))
    return specs, files


def page_specs(plan: Plan, ctx: PageContext) -> list[PageSpec]:
    """Every page of the site, not yet rendered."""
    return [spec for page_source in page_sources() for spec in page_source(plan, ctx)]


def last_files(plan: Plan, env: jinja2.Environment, made: list[str]) -> dict[str, bytes]:
    """The files made after all others: the sitemap (of every page and file made) and the
    static templates."""
    files = dict(sitemap_files(plan, made))
    for name in STATIC_TEMPLATES:
        text, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        files[name] = text.encode("utf-8")
    return files


def common_context(plan: Plan) -> dict[str, Any]:
    """The part of every page's context that is the same on every page."""
    config = plan.config
    return {
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
    }


def render_page(
    env: jinja2.Environment, plan: Plan, template: str, url: str, variables: Variables,
    common: dict[str, Any] | None = None,
) -> bytes:
    """One page (common: common_context(plan), when the caller has it already)."""
    if callable(variables):
        variables = variables()
    context = {
        **(common if common is not None else common_context(plan)),
        "page_url": url,
        "root": root_of(url),
        "history": page_history(plan, url),  # a document's history (None on other pages)
        "description": page_description(variables),
        **variables,
    }
    try:
        return env.get_template(template).render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError:
        raise
    except jinja2.TemplateError as exc:
        raise PageError.of(exc, url) from None


class PageError(jinja2.TemplateError):
    """A template failed while rendering a page, located in the template; it survives
    pickling, so a worker process can raise it to the build process."""

    def __init__(self, message: str, filename: str | None, lineno: int | None) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno

    def __reduce__(self) -> tuple[type[PageError], tuple[str, str | None, int | None]]:
        return type(self), (self.message or "", self.filename, self.lineno)

    @classmethod
    def of(cls, exc: jinja2.TemplateError, url: str) -> PageError:
        """Jinja puts the template's file and line in the traceback's frames."""
        where = [frame for frame in traceback.extract_tb(exc.__traceback__)
                 if not frame.filename.endswith(".py")]
        last = where[-1] if where else None
        return cls(f"{exc.message or exc} (in {url})", last.filename if last else None,
                   last.lineno if last else None)


def core_pages(plan: Plan, ctx: PageContext) -> Iterator[PageSpec]:
    """Dashboard, vision, goals, development, reviews, notes and 404.

    Each page's variables are made when it is rendered, reading through ctx (see Variables).
    """

    def dashboard() -> dict[str, Any]:
        ctx.read(GOALS)
        ctx.read(REVIEWS)  # dashboard_timeline reads both
        overdue, soon = ctx.due_items()
        last_review, review_age, review_due = ctx.latest_review()
        return {
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
            "timeline": dashboard_timeline(plan),
        }

    def vision_page() -> dict[str, Any]:
        hard, soft = ctx.values()  # records the vision
        vision = plan.vision
        return {
            "title": vision.title if vision else ctx.gettext("Vision"),
            "doc": vision,
            "updated": plan.vision_fields.updated.first
            if plan.vision_fields and plan.vision_fields.updated else None,
            "hard_values": hard,
            "soft_values": soft,
            "body": ctx.body(vision, "vision.html") if vision else "",
            "private_meta": vision.private_meta if vision and plan.private else {},
        }

    def reviews_index() -> dict[str, Any]:
        ctx.read(REVIEWS)
        return {"title": ctx.gettext("Reviews"), "reviews": list(reversed(plan.reviews))}

    yield "index.html", "index.html", dashboard
    yield "vision.html", "vision.html", vision_page
    yield "goals/index.html", "goals.html", lambda: {
        "title": ctx.gettext("Goals"), "goals": list(ctx.refs.values()),
    }
    for goal in plan.goals.values():
        yield goal.url, "goal.html", partial(_goal_page, ctx, goal)
    yield "development.html", "development.html", lambda: {
        "title": ctx.gettext("Development"), "areas": ctx.development(),
    }
    yield "reviews/index.html", "reviews.html", reviews_index
    for review in plan.reviews:
        yield review.url, "review.html", partial(_review_page, ctx, review)
    for note in plan.notes:
        yield note.url, "note.html", partial(_note_page, ctx, note)
    yield "404.html", "404.html", lambda: {"title": ctx.gettext("Page not found")}


def _goal_page(ctx: PageContext, goal: Goal) -> dict[str, Any]:
    return {"title": goal.title, **ctx.goal(goal)}


def _review_page(ctx: PageContext, review: Review) -> dict[str, Any]:
    return {"title": review.doc.title, **ctx.review(review)}


def _note_page(ctx: PageContext, note: Note) -> dict[str, Any]:
    return {
        "title": note.doc.title, "doc": note.doc, "body": ctx.body(note.doc, note.url),
        "private_meta": note.doc.private_meta if ctx.plan.private else {},
    }


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()

