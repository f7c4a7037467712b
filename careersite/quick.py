"""The edited documents' own pages first, in milliseconds, before the full rebuild.

When an editor saves a document, serve calls quick_update() before Site.rebuild(): it
parses only the saved files, makes their records (Goal, Review...) with model.build_plan
on just their neighbourhood (the goals and reviews those records are made from), patches
them into the last good plan, and renders and writes only their own pages. The rebuild
that follows checks the whole plan, renders every other page the edit touched, and
renders these pages again: it always has the last word, so a page written here can only
be early, never stay wrong. Anything unusual (a new, deleted or renamed file, a plan
error, a changed title, privacy, date or set of parents) is left to the rebuild.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from careersite.checks import check_links
from careersite.diagnostics import has_errors
from careersite.documents import Document, GoalFields, ReviewFields, VisionFields
from careersite.model import Note, Plan, build_plan
from careersite.parse import parse_document
from careersite.render import common_context, core_pages, page_context, render_page
from careersite.views import goal_ref
from careersite.write import TEMP_PREFIX

if TYPE_CHECKING:
    from careersite.incremental import Site
    from careersite.state import Outcome

MAX_FILES = 3
"""More files saved at once than this: a checkout, not an edit; the rebuild does it all."""

DocKey = tuple[str, str]


def quick_update(site: Site, paths: Iterable[str]) -> Outcome | None:
    """Write the new pages of the edited documents; None when the rebuild must do it."""
    from careersite.state import Outcome, Parsed, digest, stat_of

    snapshot, config, env = site.snapshot, site.config, site.env
    if snapshot is None or config is None or env is None or not site.ok:
        return None
    plans = str(config.plans_path) + os.sep
    plan = snapshot.plan
    edited: dict[DocKey, Document] = {}
    for path in sorted(set(paths)):
        if not path.startswith(plans) or len(edited) >= MAX_FILES:
            return None
        entry = site.parsed.get(Path(path[len(plans):]).as_posix())
        st = stat_of(path)
        if entry is None or st is None or entry.document is None:
            return None  # not a known document (a new one, an asset, a deleted file)
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        hashed = digest(data)
        if hashed == entry.digest:
            continue
        doc, diags = parse_document(entry.source, data)
        if has_errors(diags) or check_links([doc], snapshot.index):
            return None
        old = plan.all_documents.get((doc.kind, doc.id))
        if old is None or not _same_shape(old, doc) or not _references_ok(plan, doc):
            return None
        edited[(doc.kind, doc.id)] = doc
        site.parsed[entry.source.plan_rel] = Parsed(entry.source, st, 0, hashed, doc,
                                                    tuple(diags))
    if not edited:
        return None
    hybrid = _patched_plan(plan, edited, site.private)
    refs = dict(snapshot.refs)  # every other goal's ref is as it was: make only theirs
    refs.update((gid, goal_ref(goal, hybrid.today)) for gid, goal in hybrid.goals.items()
                if goal is not plan.goals.get(gid))
    ctx = page_context(hybrid, env, snapshot.index, refs)
    common = common_context(hybrid)
    wanted = {hybrid.urls[key] for key in edited if key in hybrid.urls}
    written: list[str] = []
    for url, template, variables in core_pages(hybrid, ctx):
        if url not in wanted:
            continue
        data = render_page(env, hybrid, template, url, variables, common)
        record = site.records.get(url)
        target = site.output / url
        if record is not None and record.digest == digest(data):
            continue
        _replace(target, data)
        written.append(url)
        if record is not None:  # so that the rebuild does not report it changed again
            record.digest, record.out_stat = digest(data), stat_of(target)
    return Outcome((), None, len(site.records), tuple(sorted(wanted)), tuple(written),
                   quick=True)


def _same_shape(old: Document, new: Document) -> bool:
    """Nothing other pages show of the document list changed in a way the shortcut skips."""
    if old.title != new.title or old.private != new.private:
        return False
    if (old.fields is None) != (new.fields is None) or type(old.fields) is not type(new.fields):
        return False
    if isinstance(old.fields, ReviewFields) and isinstance(new.fields, ReviewFields):
        return old.fields.date == new.fields.date
    return True


def _references_ok(plan: Plan, doc: Document) -> bool:
    """Parents and check-ins name existing goals, and no parent cycle goes through doc."""
    goal_ids = {gid for kind, gid in plan.all_documents if kind == "goal"}
    fields = doc.fields
    if isinstance(fields, ReviewFields):
        return all(c.goal.id in goal_ids for c in fields.checkins)
    if not isinstance(fields, GoalFields):
        return True
    if any(ref.id not in goal_ids for ref in fields.parents):
        return False
    seen: set[str] = set()
    stack = [ref.id for ref in fields.parents]
    while stack:
        gid = stack.pop()
        if gid == doc.id:
            return False
        if gid in seen:
            continue
        seen.add(gid)
        parent = plan.all_documents.get(("goal", gid))
        if parent is not None and isinstance(parent.fields, GoalFields):
            stack.extend(ref.id for ref in parent.fields.parents)
    return True


def _patched_plan(plan: Plan, edited: dict[DocKey, Document], private: bool) -> Plan:
    """The last good plan with the edited documents' records made again."""
    documents = {**plan.all_documents, **edited}
    related: dict[DocKey, Document] = dict(edited)
    mentioned: set[str] = set()  # goals whose progress a review may have changed
    for (kind, doc_id), doc in edited.items():
        if kind == "goal" and isinstance(doc.fields, GoalFields):
            goal = plan.goals.get(doc_id)
            ids = [ref.id for ref in doc.fields.parents] + list(goal.children if goal else ())
            related.update(_goals(documents, ids))
            related.update(_reviews_of(plan, documents, [doc_id]))
        elif kind == "review" and isinstance(doc.fields, ReviewFields):
            old = plan.all_documents[(kind, doc_id)].fields
            ids = [c.goal.id for c in doc.fields.checkins]
            if isinstance(old, ReviewFields):
                ids += [c.goal.id for c in old.checkins]
            mentioned.update(ids)
            related.update(_goals(documents, ids))
            related.update(_reviews_of(plan, documents, ids))
    small = build_plan(plan.config, sorted(related.values(), key=lambda d: d.source.plan_rel),
                       plan.assets, today=plan.today, private=private)
    goals = dict(plan.goals)
    for kind, doc_id in edited:
        if kind == "goal" and doc_id in small.goals:
            goals[doc_id] = small.goals[doc_id]
    for gid in mentioned:
        if gid in goals and gid in small.goals and (("goal", gid) not in edited):
            new = small.goals[gid]
            goals[gid] = dataclasses.replace(goals[gid], progress=new.progress,
                                             progress_source=new.progress_source,
                                             checkins=new.checkins)
    reviews = {r.id: r for r in small.reviews if ("review", r.id) in edited}
    notes = tuple(Note(edited.get(("note", n.doc.id), n.doc), n.url) for n in plan.notes)
    vision, vision_fields = plan.vision, plan.vision_fields
    new_vision = edited.get(("vision", "vision"))
    if vision is not None and new_vision is not None:
        vision = new_vision
        vision_fields = new_vision.fields if isinstance(new_vision.fields, VisionFields) else None
    return dataclasses.replace(
        plan, goals=goals, all_documents=documents, notes=notes, vision=vision,
        vision_fields=vision_fields, reviews=tuple(reviews.get(r.id, r) for r in plan.reviews))


def _goals(documents: dict[DocKey, Document], ids: Iterable[str]) -> dict[DocKey, Document]:
    return {("goal", gid): documents[("goal", gid)] for gid in ids if ("goal", gid) in documents}


def _reviews_of(plan: Plan, documents: dict[DocKey, Document], goal_ids: Iterable[str]
                ) -> dict[DocKey, Document]:
    """Every review that checks in on one of the goals (they make its progress)."""
    found: dict[DocKey, Document] = {}
    for gid in goal_ids:
        goal = plan.goals.get(gid)
        for checkin in goal.checkins if goal else ():
            key = ("review", checkin.review_id)
            found[key] = documents[key]
    return found


def _replace(target: Path, data: bytes) -> None:
    """Write a page atomically (a temporary file that the next build would clean up)."""
    tmp = target.with_name(f"{TEMP_PREFIX}{os.urandom(6).hex()}")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
