"""Starter texts for `careersite init` and `careersite new`, in English and Swedish.

Each language module (en.py, sv.py) holds a `Words` record: every sentence a new plan,
goal or review starts with. documents.py puts them into files.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "sv")


@dataclass(frozen=True)
class Words:
    """Every text of the starter plan in one language."""

    language: str
    site_title: str
    site_title_author: str
    """With {author}."""
    config_header: str
    config_base_url: str
    config_review: str
    # vision
    vision_title: str
    vision_prompt: str
    """The vision statement until you write yours."""
    vision_guide: str
    """An HTML comment under the statement: the questions to think through."""
    hard_values: tuple[tuple[str, str], ...]
    """(label, question) of each hard value."""
    soft_values: tuple[tuple[str, str], ...]
    salary_key: str
    """Key of the private salary target in the vision's `private:` mapping."""
    comment_private: str
    # goals
    long_id: str
    long_title: str
    long_body: str
    """With {vision_link}."""
    long_milestones: tuple[tuple[str, int], ...]
    """(title, months from today)."""
    long_develop: tuple[str, ...]
    long_actions: tuple[str, ...]
    short_id: str
    short_title: str
    short_body: str
    short_milestones: tuple[tuple[str, int], ...]
    short_develop: tuple[str, ...]
    short_actions: tuple[str, ...]
    action_plan: str
    action_plan_intro: str
    new_goal_body: str
    new_goal_action: str
    comment_horizon: str
    comment_target: str
    comment_status: str
    comment_parent: str
    comment_milestones: str
    comment_develop: str
    # reviews
    first_review_title: str
    first_review_note_long: str
    first_review_note_short: str
    first_review_went_well: str
    first_review_next: str
    """With {date}: the next check-in."""
    went_well: str
    to_improve: str
    next_steps: str
    prompt_went_well: str
    prompt_to_improve: str
    prompt_next_steps: str
    due_heading: str
    due_since: str
    """With {link}: the last review."""
    due_first: str
    due_none: str
    done_on: str
    """With {date}."""
    not_done: str
    due_on: str
    """With {date}."""
    comment_mood: str
    comment_goals: str
    # interactive questions
    ask_intro: str
    ask_name: str
    ask_vision: str
    ask_hard: str
    ask_soft: str
    ask_keep: str
    ask_long: str
    ask_short: str
    ask_more: str
    ask_target: str
    ask_bad_date: str


def words(language: str) -> Words:
    """The starter texts of a language ("en" or "sv")."""
    if language == "sv":
        from careersite.starter.sv import WORDS as SV

        return SV
    if language == "en":
        from careersite.starter.en import WORDS as EN

        return EN
    raise ValueError(f"no starter texts for language {language!r}")
