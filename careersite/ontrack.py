"""The "On track?" rule: a goal's progress against the share of its span elapsed today.

The rule (documented for users in docs/ON_TRACK.md):

- it applies to goals with status `active` only;
- expected progress = the share of the goal's span (from the first day of `start` to the
  end of the last day of `target`) that has elapsed at the start of today, ×100, rounded
  half up, clamped to 0–100;
- progress more than 10 points above the expected figure is "ahead", more than 10 points
  below it is "behind", anything else (a difference of 10 points or less) is "on track".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["ahead", "on-track", "behind"]

TOLERANCE = 10
"""Points either side of the expected progress that still count as on track."""


@dataclass(frozen=True)
class OnTrack:
    """The verdict for one active goal."""

    expected: int
    """Expected progress today, 0–100."""
    progress: int
    verdict: Verdict

    @property
    def difference(self) -> int:
        """Progress minus expected progress, in points."""
        return self.progress - self.expected


def expected_share(start: dt.date, target: dt.date, today: dt.date) -> float:
    """Share (0.0–1.0) of the span start..end of target that has elapsed when today begins."""
    days = (target - start).days + 1
    if days <= 0:
        return 1.0 if today > target else 0.0
    elapsed = (today - start).days
    return min(1.0, max(0.0, elapsed / days))


def expected_progress(start: dt.date, target: dt.date, today: dt.date) -> int:
    """Expected progress in whole points, rounded half up (integer arithmetic, no float drift)."""
    days = (target - start).days + 1
    if days <= 0:
        return 100 if today > target else 0
    elapsed = min(days, max(0, (today - start).days))
    return (200 * elapsed + days) // (2 * days)


def on_track(status: str, start: dt.date, target: dt.date, progress: int,
             today: dt.date) -> OnTrack | None:
    """The verdict for an active goal; None for any other status."""
    if status != "active":
        return None
    expected = expected_progress(start, target, today)
    diff = progress - expected
    verdict: Verdict = "ahead" if diff > TOLERANCE else "behind" if diff < -TOLERANCE \
        else "on-track"
    return OnTrack(expected, progress, verdict)
