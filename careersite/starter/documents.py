"""Starter files as text: config, vision, goals and reviews, from Words and answers."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from careersite.fields import resolve_plain
from careersite.model import add_months
from careersite.starter import Words

GITIGNORE = """\
# careersite: the generated site and the cache
/output/
/.careersite/
"""

_PLAIN = re.compile(r"\w[\w .,()/'’+\-–—?!%]*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~&])")
_LINE_START = re.compile(r"^(?=[#:+\-=|])")
_ORDERED = re.compile(r"^(\d+)([.)])")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class GoalAnswer:
    """A goal as the person named it."""

    title: str
    target: str
    """A date in one of the four forms, as written."""


@dataclass(frozen=True)
class Answers:
    """What a new plan starts from: the defaults, or the answers to `init --interactive`."""

    author: str
    vision: str
    hard_values: tuple[tuple[str, str], ...]
    soft_values: tuple[tuple[str, str], ...]
    long_goal: GoalAnswer
    short_goals: tuple[GoalAnswer, ...]


@dataclass(frozen=True)
class Checkin:
    """A goal's line in a new review's `goals:`."""

    goal_id: str
    progress: int
    status: str


@dataclass(frozen=True)
class DueMilestone:
    """A milestone listed in a new review."""

    goal_id: str
    title: str
    due: dt.date
    done_on: dt.date | None
    done: bool
    private: bool
    """Its goal is private: listed inside a `::: private` block."""


def default_answers(words: Words, today: dt.date) -> Answers:
    """The answers `init` uses when nobody is asked."""
    return Answers(
        author="",
        vision=words.vision_prompt,
        hard_values=words.hard_values,
        soft_values=words.soft_values,
        long_goal=GoalAnswer(words.long_title, add_months(today, 48).isoformat()),
        short_goals=(GoalAnswer(words.short_title, add_months(today, 12).isoformat()),),
    )


def clean_text(text: str) -> str:
    """One line of user text without the characters frontmatter refuses."""
    return " ".join(_UNSAFE.sub(" ", text).split())


def yaml_scalar(text: str) -> str:
    """Text as a YAML scalar that careersite reads back as the same string."""
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and resolve_plain(text)[0] == "str":
        return text
    return json.dumps(text, ensure_ascii=False)


def markdown_text(text: str) -> str:
    """Plain text for a Markdown body: nothing in it becomes markup or a link."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub("\\\\", text))


def _line(key: str, value: str, comment: str = "") -> str:
    text = f"{key}: {value}" if value else f"{key}:"
    return f"{text:<24}  {comment}".rstrip() if comment else text


def config_text(words: Words, author: str, review_every_days: int = 30) -> str:
    """careersite.toml."""
    title = words.site_title_author.format(author=author) if author else words.site_title
    return "\n".join([
        words.config_header,
        f"title = {json.dumps(title, ensure_ascii=False)}",
        f"author = {json.dumps(author, ensure_ascii=False)}",
        f'language = "{words.language}"',
        f'base_url = ""  {words.config_base_url}',
        f"review_every_days = {review_every_days}  {words.config_review}",
        "",
    ])


def vision_text(words: Words, answers: Answers, today: dt.date) -> str:
    """plans/vision.md: the statement, the hard and soft values, the questions."""
    lines = ["---", f"title: {yaml_scalar(words.vision_title)}", f"updated: {today}"]
    for key, values in (("hard_values", answers.hard_values),
                        ("soft_values", answers.soft_values)):
        lines.append(f"{key}:")
        lines += [f"  {yaml_scalar(label)}: {yaml_scalar(text)}" for label, text in values]
    lines += [_line("private", "", words.comment_private),
              f'  {yaml_scalar(words.salary_key)}: ""', "---", "",
              markdown_text(answers.vision), "", words.vision_guide, ""]
    return "\n".join(lines)


def goal_text(
    words: Words, *, title: str, horizon: str, start: dt.date, target: str, status: str,
    parents: Sequence[str] | None, milestones: Sequence[tuple[str, dt.date]],
    develop: Sequence[str], body: str, actions: Sequence[str],
) -> str:
    """A goal file with complete frontmatter and an action plan."""
    lines = ["---", f"title: {yaml_scalar(title)}",
             _line("horizon", horizon, words.comment_horizon),
             f"start: {start}",
             _line("target", target, words.comment_target),
             _line("status", status, words.comment_status)]
    if parents is not None:
        value = ("[" + ", ".join(yaml_scalar(p) for p in parents) + "]" if len(parents) != 1
                 else yaml_scalar(parents[0]))
        lines.append(_line("parent", value, words.comment_parent))
    if milestones:
        lines.append(_line("milestones", "", words.comment_milestones))
        for m_title, due in milestones:
            lines += [f"  - title: {yaml_scalar(m_title)}", f"    due: {due}",
                      "    done: false"]
    else:
        lines.append(_line("milestones", "[]", words.comment_milestones))
    if develop:
        lines.append(_line("develop", "", words.comment_develop))
        lines += [f"  - {yaml_scalar(area)}" for area in develop]
    else:
        lines.append(_line("develop", "[]", words.comment_develop))
    lines += ["tags: []", "---", "", body, "", f"## {words.action_plan}", "",
              words.action_plan_intro, ""]
    lines += [f"- [ ] {markdown_text(action)}" for action in actions]
    return "\n".join(lines) + "\n"


def new_goal_text(words: Words, title: str, horizon: str, target: str,
                  parent: str | None, today: dt.date) -> str:
    """`careersite new goal`: a planned goal, ready to fill in."""
    return goal_text(words, title=title, horizon=horizon, start=today, target=target,
                     status="planned",
                     parents=[parent] if parent else [] if horizon == "short" else None,
                     milestones=(), develop=(), body=words.new_goal_body,
                     actions=(words.new_goal_action,))


def starter_goals(words: Words, answers: Answers, ids: Sequence[str],
                  today: dt.date) -> dict[str, str]:
    """The long-term goal and its short-term goals: plans-relative path -> text."""
    long_id, short_ids = ids[0], ids[1:]
    files = {f"goals/{long_id}.md": goal_text(
        words, title=answers.long_goal.title, horizon="long", start=today,
        target=answers.long_goal.target, status="active", parents=None,
        milestones=[(t, add_months(today, m)) for t, m in words.long_milestones],
        develop=words.long_develop,
        body=words.long_body.format(vision_link=f"[{words.vision_title.lower()}](../vision.md)"),
        actions=words.long_actions)}
    for goal_id, goal in zip(short_ids, answers.short_goals, strict=True):
        files[f"goals/{goal_id}.md"] = goal_text(
            words, title=goal.title, horizon="short", start=today, target=goal.target,
            status="active", parents=[long_id],
            milestones=[(t, add_months(today, m)) for t, m in words.short_milestones],
            develop=words.short_develop, body=words.short_body, actions=words.short_actions)
    return files


def first_review_text(words: Words, ids: Sequence[str], today: dt.date,
                      review_every_days: int = 30) -> str:
    """The first review: the day the plan was written."""
    lines = ["---", f"title: {yaml_scalar(words.first_review_title)}", f"date: {today}",
             "goals:"]
    for n, goal_id in enumerate(ids):
        note = words.first_review_note_long if n == 0 else words.first_review_note_short
        lines += [f"  {yaml_scalar(goal_id)}:", "    status: active",
                  f"    note: {yaml_scalar(note)}"]
    next_date = today + dt.timedelta(days=review_every_days)
    lines += ["---", "", f"## {words.went_well}", "", words.first_review_went_well, "",
              f"## {words.to_improve}", "", words.prompt_to_improve, "",
              f"## {words.next_steps}", "", "- " + words.first_review_next.format(date=next_date),
              ""]
    return "\n".join(lines)


def new_review_text(words: Words, date: dt.date, checkins: Sequence[Checkin],
                    due: Sequence[DueMilestone], last: tuple[str, dt.date] | None) -> str:
    """`careersite new review`: every active goal to check in on, the milestones due."""
    lines = ["---", f"date: {date}", _line("mood", "", words.comment_mood)]
    if checkins:
        lines.append(_line("goals", "", words.comment_goals))
        for c in checkins:
            lines += [f"  {yaml_scalar(c.goal_id)}:", f"    progress: {c.progress}",
                      f"    status: {c.status}", "    note:"]
    else:
        lines.append(_line("goals", "{}", words.comment_goals))
    lines += ["---", "", f"## {words.due_heading}", ""]
    if last is not None:
        link = f"[{last[1]}]({last[0]})"
        lines += [words.due_since.format(link=link), ""]
    elif due:
        lines += [words.due_first, ""]
    public = [_due_line(words, m) for m in due if not m.private]
    private = [_due_line(words, m) for m in due if m.private]
    if public:
        lines += [*public, ""]
    if private:
        lines += ["::: private", *private, ":::", ""]
    if not due:
        lines += [words.due_none, ""]
    for heading, prompt in ((words.went_well, words.prompt_went_well),
                            (words.to_improve, words.prompt_to_improve),
                            (words.next_steps, words.prompt_next_steps)):
        lines += [f"## {heading}", "", prompt, ""]
    return "\n".join(lines)


def _due_line(words: Words, m: DueMilestone) -> str:
    state = (words.done_on.format(date=m.done_on) if m.done_on is not None
             else words.done_on.format(date="").strip() if m.done else words.not_done)
    return (f"- [[{m.goal_id}]]: {markdown_text(m.title)} "
            f"({words.due_on.format(date=m.due)}; {state})")
