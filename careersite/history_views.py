"""History as one build shows it: per-document facts and events, the changelog, history.html.

A public build shows only what FORMAT.md allows (History of privacy): the public track of a
document that is published today, or of a deleted document that was never private; no
commit message, no author, no uncommitted change. A private build shows every revision,
commit subjects and uncommitted changes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from careersite.diagnostics import Diagnostic, warning
from careersite.documents import Document
from careersite.history import Commit
from careersite.history_cache import LoadedHistory, load_history
from careersite.history_model import History, Lineage, Track
from careersite.i18n import localizer

if TYPE_CHECKING:
    from careersite.model import Plan
    from careersite.views import PageContext

log = logging.getLogger(__name__)

CHANGELOG_TYPES = frozenset({"added", "removed", "renamed", "title", "achieved", "dropped",
                             "target", "revised"})
"""What history.html lists; goal pages list every event of their goal."""
_KIND_RANK = {"goal": 0, "review": 1, "vision": 2, "note": 3}
"""Order of a commit's changes on history.html."""
CHANGELOG_LIMIT = 2000
"""Most events history.html lists (the newest); goal pages keep their full history."""


@dataclass(frozen=True)
class HistoryEvent:
    """One change, ready for a template (templates turn it into words)."""

    day: dt.date
    type: str
    """See history_model.Event.type."""
    kind: str
    """The document's kind: goal, review, vision or note."""
    title: str
    """The document's title at that revision."""
    url: str | None
    """The document's page in this build; None when it is gone."""
    name: str = ""
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class DocHistory:
    """What a document page shows of its history."""

    created: dt.date | None
    created_exact: bool
    """False when history starts at a shallow clone's boundary (created may be earlier)."""
    changed: dt.date | None
    revisions: int
    uncommitted: str | None
    """"modified" or "new" when the file differs from HEAD (private builds only)."""
    events: tuple[HistoryEvent, ...]
    """Newest first."""
    points: tuple[tuple[dt.date, int, str], ...]
    """(day, the goal's own progress, label) for each commit that changed it, oldest first."""


@dataclass(frozen=True)
class CommitGroup:
    subject: str | None
    """The commit's subject line in a private build; always None in a public one."""
    events: tuple[HistoryEvent, ...]


@dataclass(frozen=True)
class DayGroup:
    day: dt.date
    commits: tuple[CommitGroup, ...]


@dataclass(frozen=True)
class Uncommitted:
    """A document whose file differs from HEAD (private builds only)."""

    kind: str
    title: str
    url: str | None
    change: str
    """"modified", "new" or "deleted"."""


@dataclass(frozen=True)
class PlanHistory:
    """The plan's history as this build shows it."""

    state: str
    """ok, no-git, not-repo, no-commits or failed (see history_cache.State)."""
    shallow_since: dt.date | None
    """A shallow clone's first date: history starts there."""
    docs: Mapping[tuple[str, str], DocHistory]
    """(kind, id) of every published document -> its history."""
    by_url: Mapping[str, DocHistory]
    days: tuple[DayGroup, ...]
    """The changelog, newest first."""
    hidden: int
    """Older changelog events left off history.html."""
    uncommitted: tuple[Uncommitted, ...]

    def goal(self, goal_id: str) -> DocHistory | None:
        """The history of a published goal."""
        return self.docs.get(("goal", goal_id))


def with_history(plan: Plan, documents: Sequence[Document]) -> tuple[Plan, list[Diagnostic]]:
    """The plan with its history attached; a failure is a warning, never a failed build."""
    loaded = load_history(plan.config, private=plan.private)
    diags = list(loaded.diagnostics)
    try:
        history = plan_history(plan, documents, loaded)
    except Exception as exc:
        log.debug("history views", exc_info=True)
        diags.append(warning(plan.config.plans_dir, 1, 1,
                             f"history from git left out: {type(exc).__name__}: {exc}"))
        history = empty_history("failed")
    return dataclasses.replace(plan, history=history), diags


def empty_history(state: str) -> PlanHistory:
    """No history at all (and why)."""
    return PlanHistory(state, None, {}, {}, (), 0, ())


def plan_history(plan: Plan, documents: Sequence[Document], loaded: LoadedHistory) -> PlanHistory:
    """What this build (public or private) shows of the committed history."""
    history = loaded.history or History((), (), False)
    private = plan.private
    by_path = {d.source.plan_rel: d for d in documents}
    commits = history.commits
    label = localizer(plan.config.language).gettext("Committed change")
    docs: dict[tuple[str, str], DocHistory] = {}
    changelog: list[tuple[int, int, HistoryEvent]] = []
    gone: list[Uncommitted] = []
    for order, lin in enumerate(history.lineages):
        doc = by_path.get(lin.path) if lin.live else None
        url = plan.urls.get((doc.kind, doc.id)) if doc is not None else None
        if lin.live and url is None and not private:
            continue  # private (or not there) today: nothing of it in a public build
        track = lin.track
        events = [(e.commit, HistoryEvent(commits[e.commit].date, e.type, lin.kind, e.title,
                                          url, e.name, e.old, e.new)) for e in track.events]
        changelog += [(c, order, e) for c, e in events if e.type in CHANGELOG_TYPES]
        if doc is not None and url is not None:
            points = tuple((commits[c].date, p, commits[c].subject if private and
                            commits[c].subject else label) for c, p in track.points)
            docs[(doc.kind, doc.id)] = _doc_history(track, commits, events, points,
                                                    _change(doc, lin) if private else None)
        elif lin.live and private:
            gone.append(Uncommitted(lin.kind, _last_title(lin), None, "deleted"))
    uncommitted: list[Uncommitted] = []
    for doc in documents:
        url = plan.urls.get((doc.kind, doc.id))
        if url is None:
            continue
        if (doc.kind, doc.id) not in docs:
            new = "new" if private and loaded.state in ("ok", "no-commits") else None
            docs[(doc.kind, doc.id)] = DocHistory(None, True, None, 0, new, (), ())
        change = docs[(doc.kind, doc.id)].uncommitted
        if change:
            uncommitted.append(Uncommitted(doc.kind, doc.title, url, change))
    by_url = {plan.urls[key]: h for key, h in docs.items()}
    # Newest first by date (author dates may run out of commit order after a rebase), then
    # by commit, then goals before reviews, the vision and notes, then by title.
    changelog.sort(key=lambda item: (-item[2].day.toordinal(), -item[0],
                                     _KIND_RANK.get(item[2].kind, 9), item[2].title.casefold(),
                                     item[1]))
    hidden = max(0, len(changelog) - CHANGELOG_LIMIT)
    days = _group(changelog[:CHANGELOG_LIMIT], commits, private)
    shallow_since = commits[0].date if history.shallow and commits else None
    return PlanHistory(loaded.state, shallow_since, docs, by_url, days, hidden,
                       (*uncommitted, *gone))


def _doc_history(track: Track, commits: Sequence[Commit], events: list[tuple[int, HistoryEvent]],
                 points: tuple[tuple[dt.date, int, str], ...], change: str | None) -> DocHistory:
    shown = track.commits
    return DocHistory(
        created=commits[shown[0]].date if shown else None,
        created_exact=track.created_exact,
        changed=commits[shown[-1]].date if shown else None,
        revisions=len(shown), uncommitted=change,
        events=tuple(e for _, e in sorted(  # newest first; stable within a commit
            events, key=lambda item: (-item[1].day.toordinal(), -item[0]))),
        points=points)


def _last_title(lin: Lineage) -> str:
    return next((e.title for e in reversed(lin.track.events) if e.title), lin.path)


def _group(items: Sequence[tuple[int, int, HistoryEvent]], commits: Sequence[Commit],
           private: bool) -> tuple[DayGroup, ...]:
    """Events, newest first, grouped by day and, within a day, by commit."""
    days: list[DayGroup] = []
    by_commit: list[tuple[int, list[HistoryEvent]]] = []
    for commit, _, event in items:
        if by_commit and by_commit[-1][0] == commit:
            by_commit[-1][1].append(event)
        else:
            by_commit.append((commit, [event]))
    current: list[CommitGroup] = []
    day: dt.date | None = None
    for commit, events in by_commit:
        when = commits[commit].date
        if when != day and current and day is not None:
            days.append(DayGroup(day, tuple(current)))
            current = []
        day = when
        subject = commits[commit].subject if private else None
        current.append(CommitGroup(subject or None, tuple(events)))
    if current and day is not None:
        days.append(DayGroup(day, tuple(current)))
    return tuple(days)


def _change(doc: Document, lin: Lineage) -> str | None:
    """"modified" when the file on disk is not the blob at HEAD (no git process needed)."""
    if lin.head_blob is None:
        return "modified"
    try:
        data = doc.source.path.read_bytes()
    except OSError:
        return "modified"
    digest = hashlib.sha256 if len(lin.head_blob) == 64 else hashlib.sha1
    for candidate in (data, data.replace(b"\r\n", b"\n")):  # core.autocrlf checkouts
        if digest(b"blob %d\0" % len(candidate) + candidate).hexdigest() == lin.head_blob:
            return None
    return "modified"


def page_history(plan: Plan, url: str) -> DocHistory | None:
    """The history of the document whose page is url (None for other pages)."""
    history = plan.history
    return history.by_url.get(url) if history is not None else None


def history_pages(plan: Plan, ctx: PageContext) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """history.html: the plan's changelog (a page source for render.page_sources)."""
    changelog = plan.history or empty_history("failed")
    yield "history.html", "history.html", {"title": ctx.gettext("History"),
                                           "changelog": changelog}


def goal_event_day(plan: Plan, goal_id: str, event_type: str) -> dt.date | None:
    """The day of a goal's latest history event of a type ("added": the goal was set;
    "achieved": its status became achieved), when history knows it."""
    found = plan.history.goal(goal_id) if plan.history is not None else None
    return next((e.day for e in found.events if e.type == event_type), None) if found else None


def goal_progress_points(plan: Plan, goal_id: str) -> tuple[tuple[dt.date, int, str], ...]:
    """(day, progress, label) for each commit that changed a goal's own progress."""
    found = plan.history.goal(goal_id) if plan.history is not None else None
    return found.points if found else ()
