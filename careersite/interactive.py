"""`careersite init --interactive`: the starter plan's questions, asked in the terminal.

Reads one answer a line, so answers can be piped in; an empty answer keeps the suggestion,
and once the input ends every remaining question keeps its suggestion.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from careersite.model import add_months
from careersite.scaffold import parse_date_text
from careersite.starter import Words
from careersite.starter.documents import Answers, GoalAnswer, clean_text

MAX_SHORT_GOALS = 20


class Asker:
    """Asks questions on out and reads the answers from inp, one a line."""

    def __init__(self, inp: TextIO, out: TextIO) -> None:
        self.inp = inp
        self.out = out
        self.ended = False
        try:
            self.echo = not inp.isatty()
        except (AttributeError, ValueError):
            self.echo = True

    def ask(self, question: str, default: str, shown: str | None = None) -> str:
        """One answer; the default when it is empty or the input has ended."""
        hint = default if shown is None else shown
        self.out.write(f"{question} [{hint}]: " if hint else f"{question}: ")
        self.out.flush()
        line = "" if self.ended else self.inp.readline()
        if not line:
            self.ended = True
        answer = clean_text(line)
        if self.echo:  # piped: show the answer, so the transcript reads as a dialogue
            self.out.write(f"{answer}\n")
        return answer or default

    def ask_date(self, question: str, default: dt.date, bad: str) -> str:
        """A date in one of the four forms, asked again until it is one."""
        while True:
            answer = self.ask(question, default.isoformat())
            if parse_date_text(answer) is not None:
                return answer
            self.out.write(f"{bad}\n")

    def say(self, text: str) -> None:
        """A line of guidance."""
        self.out.write(f"{text}\n")


def ask_answers(words: Words, today: dt.date, inp: TextIO, out: TextIO) -> Answers:
    """Ask the starter plan's questions: vision, values, a long and short-term goals."""
    asker = Asker(inp, out)
    asker.say(words.ask_intro)
    author = asker.ask(words.ask_name, "")
    vision = asker.ask(words.ask_vision, words.vision_prompt, shown=words.ask_keep)
    values: list[tuple[tuple[str, str], ...]] = []
    for heading, questions in ((words.ask_hard, words.hard_values),
                               (words.ask_soft, words.soft_values)):
        asker.say(heading)
        values.append(tuple(
            (label, asker.ask(f"  {label}: {question}", question, shown=words.ask_keep))
            for label, question in questions))
    long_title = asker.ask(words.ask_long, words.long_title)
    long_target = asker.ask_date(words.ask_target, add_months(today, 48), words.ask_bad_date)
    short_default = add_months(today, 12)
    shorts = [GoalAnswer(asker.ask(words.ask_short, words.short_title),
                         asker.ask_date(words.ask_target, short_default, words.ask_bad_date))]
    while len(shorts) < MAX_SHORT_GOALS:
        title = asker.ask(words.ask_more, "")
        if not title:
            break
        shorts.append(GoalAnswer(title, asker.ask_date(words.ask_target, short_default,
                                                       words.ask_bad_date)))
    return Answers(author=author, vision=vision, hard_values=values[0],
                   soft_values=values[1], long_goal=GoalAnswer(long_title, long_target),
                   short_goals=tuple(shorts))
