"""init / new: start a plan, add a goal, prepare a review. Never overwrites a file."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from careersite.config import CONFIG_NAME, load_config
from careersite.diagnostics import PlanError, UsageError, has_errors
from careersite.discover import discover
from careersite.documents import PlanDate
from careersite.fields import Scalar, near_miss, plan_date, resolve_plain
from careersite.model import add_months, build_plan
from careersite.starter import Words, words
from careersite.starter.documents import (
    GITIGNORE,
    Answers,
    Checkin,
    DueMilestone,
    clean_text,
    config_text,
    default_answers,
    first_review_text,
    new_goal_text,
    new_review_text,
    starter_goals,
    vision_text,
)
from careersite.starter.github_pages import WORKFLOW_PATH, workflow_text
from careersite.urls import GENERATED_PAGES, goal_url, slugify_part

PUBLISH_TARGETS = ("github-pages",)
MAX_SLUG = 60


@dataclass(frozen=True)
class InitResult:
    """What `init` did."""

    written: tuple[str, ...]
    """Project-relative paths of the files written, in order."""
    gitignore_hint: bool
    """An existing .gitignore was left alone and lacks output/ or .careersite/."""


@dataclass(frozen=True)
class NewReview:
    """What `new review` wrote."""

    path: Path
    goals: int
    """Active goals listed for the check-in."""
    milestones: int
    """Milestones listed as due since the last review."""
    errors: int
    """Errors in the plan (goals with errors are left out)."""


def parse_date_text(text: str) -> PlanDate | None:
    """A date as careersite reads it written unquoted in frontmatter, or None."""
    text = text.strip()
    if not text:
        return None
    tag, value = resolve_plain(text)
    return plan_date(Scalar(value, text, tag, True, 1, 1))


def goal_slug(title: str) -> str:
    """A goal's file name (its id) from its title."""
    slug = slugify_part(title)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] or slug[:MAX_SLUG]
    if goal_url(slug) in GENERATED_PAGES:
        slug += "-goal"
    return slug


def _create(path: Path, text: str) -> None:
    """Write a new file; an existing one is never touched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise UsageError(f"{path} already exists; careersite never overwrites a file") from None


def _starter_ids(w: Words, answers: Answers) -> list[str]:
    ids: list[str] = []
    pairs = [(answers.long_goal.title, w.long_title, w.long_id)]
    pairs += [(g.title, w.short_title, w.short_id) for g in answers.short_goals]
    for title, default_title, default_id in pairs:
        base = default_id if title == default_title else goal_slug(title)
        slug, n = base, 2
        while slug in ids:
            slug, n = f"{base}-{n}", n + 1
        ids.append(slug)
    return ids


def starter_files(language: str, today: dt.date, *, answers: Answers | None = None,
                  publish: str | None = None) -> dict[str, str]:
    """Every file of a new project: project-relative path -> text."""
    w = words(language)
    answers = answers or default_answers(w, today)
    ids = _starter_ids(w, answers)
    files = {CONFIG_NAME: config_text(w, answers.author), ".gitignore": GITIGNORE,
             "plans/vision.md": vision_text(w, answers, today)}
    files.update({f"plans/{rel}": text
                  for rel, text in starter_goals(w, answers, ids, today).items()})
    files[f"plans/reviews/{today}.md"] = first_review_text(w, ids, today)
    if publish == "github-pages":
        files[WORKFLOW_PATH] = workflow_text()
    return files


def check_new_project(root: Path) -> None:
    """Raise UsageError when root cannot take a new plan (it holds one, or is a file)."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file, not a folder")
    if (root / CONFIG_NAME).exists():
        raise UsageError(f"{root} already holds a plan ({CONFIG_NAME}); add to it with "
                         "`careersite new goal` or `careersite new review`")
    config, _ = load_config(root)
    found = discover(root, config.plans_path)
    if found.documents:
        raise UsageError(f"{root} already holds a plan ({found.documents[0].rel}); add to it "
                         "with `careersite new goal` or `careersite new review`")


def init_project(root: Path, *, today: dt.date, language: str = "en",
                 answers: Answers | None = None, publish: str | None = None) -> InitResult:
    """Write a new plan project into root (created if needed)."""
    check_new_project(root)
    files = starter_files(language, today, answers=answers, publish=publish)
    taken = [rel for rel in files if rel != ".gitignore" and (root / rel).exists()]
    if taken:
        raise UsageError(f"refusing to overwrite {', '.join(taken)} in {root}; "
                         "careersite init never overwrites a file")
    gitignore = root / ".gitignore"
    hint = False
    if gitignore.exists():
        del files[".gitignore"]
        lines = {line.strip().strip("/") for line in
                 gitignore.read_text(encoding="utf-8", errors="replace").splitlines()}
        hint = not {"output", ".careersite"} <= lines
    for rel, text in files.items():
        _create(root / rel, text)
    return InitResult(tuple(files), hint)


def new_goal(root: Path, title: str, *, today: dt.date, horizon: str = "short",
             parent: str | None = None, target: str | None = None) -> Path:
    """Write plans/goals/<slug>.md; returns its path."""
    config, diags = load_config(root)
    if has_errors(diags):
        raise PlanError(diags)
    title = clean_text(title)
    if not title:
        raise UsageError("the goal needs a title: careersite new goal \"Lead a team\"")
    found = discover(root, config.plans_path)
    goal_ids = {s.id: s for s in found.documents if s.kind == "goal"}
    if parent is not None and parent not in goal_ids:
        guess = near_miss(parent, tuple(goal_ids)) if goal_ids else None
        hint = f"; did you mean '{guess}'?" if guess else ""
        raise UsageError(f"--parent: no goal has the id '{parent}'{hint}")
    if target is None:
        target = add_months(today, 12 if horizon == "short" else 48).isoformat()
    elif parse_date_text(target) is None:
        raise UsageError(f"--target: expected a date such as 2027-06-30, 2027-06, 2027-Q2 "
                         f"or 2027, got {target!r}")
    slug = goal_slug(title)
    path = config.plans_path / "goals" / f"{slug}.md"
    clash = next((s for s in goal_ids.values() if goal_url(s.id) == goal_url(slug)), None)
    if clash is not None and not path.exists():
        raise UsageError(f"a goal named '{slug}' would have the same page as {clash.rel}; "
                         "choose another title")
    _create(path, new_goal_text(words(config.language), title, horizon, target.strip(),
                                parent, today))
    return path


def new_review(root: Path, *, today: dt.date, date: dt.date | None = None) -> NewReview:
    """Write plans/reviews/<date>.md, ready for a check-in; returns what it holds."""
    from careersite.build import load_project

    date = date or today
    loaded = load_project(root, today=today)
    config = loaded.config
    path = config.plans_path / "reviews" / f"{date}.md"
    if path.exists():
        raise UsageError(f"{path} already exists; careersite never overwrites a file")
    # The review is the owner's own check-in: private goals and reviews count too (a
    # public build leaves their check-ins and the private block below out).
    plan = build_plan(config, loaded.documents, loaded.assets, today=today, private=True)
    checkins = [Checkin(g.id, g.progress, g.status)
                for g in plan.goals.values() if g.status == "active"]
    earlier = [r for r in plan.reviews if r.date < date]
    last = earlier[-1] if earlier else None
    since = last.date if last is not None else None
    due = sorted(
        (DueMilestone(g.id, m.title, m.due.last, m.done_on, m.done, g.doc.private)
         for g in plan.goals.values() if g.status != "dropped"
         for m in g.milestones
         if m.due is not None and m.due.last <= date and (since is None or m.due.last > since)),
        key=lambda m: (m.due, m.goal_id, m.title))
    link = None
    if last is not None:
        rel = posixpath.relpath(last.doc.source.plan_rel, "reviews")
        link = (quote(rel), last.date)
    text = new_review_text(words(config.language), date, checkins, due, link)
    _create(path, text)
    errors = sum(1 for d in loaded.diagnostics if d.severity == "error")
    return NewReview(path, len(checkins), len(due), errors)
