"""Plan -> plan.json: the whole published plan as JSON, described by schemas/plan.schema.json.

A public build's plan.json holds exactly what its pages show: no private document, no
`private:` field, no `::: private` block, no check-in on a private goal. A `--private`
build's plan.json holds the private documents too, and each document's `private:`
mapping as "private_fields" (see docs/OUTPUTS.md).
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import math
from collections.abc import Hashable, Mapping
from functools import partial
from typing import Any
from urllib.parse import quote

from careersite import __version__
from careersite.documents import Document, ValueItem
from careersite.links import links_in
from careersite.model import Goal, Note, Plan, Review
from careersite.outputs import DocMemo
from careersite.views import PageContext

PLAN_JSON_URL = "plan.json"
SCHEMA_NAME = "plan.schema.json"
FORMAT_VERSION = 1

Json = dict[str, Any]


def plan_json_files(plan: Plan, ctx: PageContext) -> Mapping[str, bytes]:
    """The site's plan.json."""
    return {PLAN_JSON_URL: plan_json_bytes(plan, ctx)}


def _dumps(value: Any) -> str:
    # No indent: only the compact form uses json's C encoder (5x faster on a large plan).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class _Memo:
    """Each document's JSON text from the previous build of this process (serve)."""

    documents = DocMemo()


def plan_json_bytes(plan: Plan, ctx: PageContext) -> bytes:
    """plan.json as compact UTF-8 JSON, keys in a fixed order.

    Each document's JSON is made once and kept while its inputs stay the same
    (outputs.DocMemo); the file is those texts joined, exactly as json.dumps would.
    """
    memo = _Memo.documents
    memo.start(plan, ctx)
    vision = plan.vision
    vision_json = "null" if vision is None else memo.get(
        vision, ("vision.html", plan.vision_fields),
        lambda: _dumps(_vision(plan, ctx)))
    goals = [memo.get(g.doc, _goal_inputs(g), partial(_goal_json, plan, ctx, g))
             for g in plan.goals.values()]
    reviews = [memo.get(r.doc, (r.url, r.checkins), partial(_review_json, plan, ctx, r))
               for r in plan.reviews]
    notes = [memo.get(n.doc, (n.url,), partial(_note_json, plan, ctx, n))
             for n in plan.notes]
    parts = [f"{_dumps(key)}:{_dumps(value)}" for key, value in _head(plan).items()]
    parts += [
        f'"vision":{vision_json}',
        f'"goals":[{",".join(goals)}]',
        f'"reviews":[{",".join(reviews)}]',
        f'"notes":[{",".join(notes)}]',
        f'"development":{_dumps(_development(plan))}',
    ]
    return ("{" + ",".join(parts) + "}\n").encode("utf-8")


def schema() -> Json:
    """The JSON Schema of plan.json, as shipped in the package."""
    resource = importlib.resources.files("careersite").joinpath("schemas", SCHEMA_NAME)
    data: Json = json.loads(resource.read_text(encoding="utf-8"))
    return data


def _head(plan: Plan) -> Json:
    """The keys before the documents."""
    config = plan.config
    return {
        "format": "careersite-plan",
        "format_version": FORMAT_VERSION,
        "generator": f"careersite {__version__}",
        "site": {"title": config.title, "author": config.author,
                 "language": config.language, "base_url": config.base_url},
        "build": {"date": plan.today.isoformat(), "private": plan.private},
        "review_every_days": config.review_every_days,
    }


def _development(plan: Plan) -> list[Json]:
    return [{"area": area, "goals": list(ids)} for area, ids in plan.develop.items()]


def _goal_inputs(goal: Goal) -> Hashable:
    """What a goal's JSON holds besides its document: what the plan derived for it."""
    return (goal.url, goal.start, goal.target, goal.achieved, goal.parents, goal.children,
            goal.progress, goal.progress_source, goal.done_count, goal.total_count)


def _goal_json(plan: Plan, ctx: PageContext, goal: Goal) -> str:
    return _dumps(_goal(plan, ctx, goal))


def _review_json(plan: Plan, ctx: PageContext, review: Review) -> str:
    return _dumps(_review(plan, ctx, review))


def _note_json(plan: Plan, ctx: PageContext, note: Note) -> str:
    return _dumps(_document(plan, ctx, note.doc, note.url))


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _document(plan: Plan, ctx: PageContext, doc: Document, url: str) -> Json:
    """What every document has: id, title, url, body HTML, links, extra keys."""
    data: Json = {"id": doc.id, "title": doc.title, "url": url,
                  "private": doc.private,
                  "html": str(ctx.body(doc, PLAN_JSON_URL)),
                  "links": _links(plan, ctx, doc),
                  "meta": plain(doc.meta)}
    if plan.private:
        data["private_fields"] = plain(doc.private_meta)
    return data


def _links(plan: Plan, ctx: PageContext, doc: Document) -> list[Json]:
    """Published documents and assets the body links to, in order, each once."""
    html = doc.body.html_private if plan.private else doc.body.html
    found: dict[tuple[str, str], Json] = {}
    for link in links_in(html, doc.body.links):
        target = ctx.index.resolve(doc.source.plan_rel, link)
        if isinstance(target, str):
            found.setdefault(("asset", target),
                             {"kind": "asset", "id": target, "url": quote(target)})
        elif target is not None and target in plan.urls:
            found.setdefault(target, {"kind": target[0], "id": target[1],
                                      "url": plan.urls[target]})
    return list(found.values())


def _values(items: tuple[ValueItem, ...]) -> list[Json]:
    return [{"label": v.label, "text": v.text} for v in items]


def _vision(plan: Plan, ctx: PageContext) -> Json | None:
    vision = plan.vision
    if vision is None:
        return None
    fields = plan.vision_fields
    data = _document(plan, ctx, vision, "vision.html")
    data["updated"] = _date(fields.updated.first if fields and fields.updated else None)
    data["hard_values"] = _values(fields.hard_values) if fields else []
    data["soft_values"] = _values(fields.soft_values) if fields else []
    return data


def _goal(plan: Plan, ctx: PageContext, goal: Goal) -> Json:
    fields = goal.fields
    data = _document(plan, ctx, goal.doc, goal.url)
    data.update({
        "horizon": goal.horizon,
        "status": goal.status,
        "start": goal.start.isoformat(),
        "target": goal.target.isoformat(),
        "target_as_written": fields.target.text,
        "achieved": _date(goal.achieved),
        "parents": list(goal.parents),
        "children": list(goal.children),
        "progress": goal.progress,
        "progress_source": goal.progress_source,
        "done_count": goal.done_count,
        "total_count": goal.total_count,
        "milestones": [{"title": m.title, "due": _date(m.due.last if m.due else None),
                        "done": m.done, "done_on": _date(m.done_on)}
                       for m in goal.milestones],
        "actions": [{"text": a.text, "done": a.done} for a in goal.actions],
        "develop": list(fields.develop),
        "tags": list(fields.tags),
    })
    return data


def _review(plan: Plan, ctx: PageContext, review: Review) -> Json:
    data = _document(plan, ctx, review.doc, review.url)
    data.update({
        "date": review.date.isoformat(),
        "mood": review.fields.mood,
        "checkins": [{"goal": c.goal.id, "progress": c.progress, "status": c.status,
                      "note": c.note} for c in review.checkins],
    })
    return data


def plain(value: Any) -> Any:
    """Frontmatter values as JSON values: dates as ISO strings, NaN and infinity as null."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
