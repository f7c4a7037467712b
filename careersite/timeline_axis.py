"""The frame of a timeline chart: layouts, day -> x, and the header (horizons, grid, axis).

Geometry: a bar runs from the start of its first day to the end of its last; point
markers (milestones, reviews, today) sit in the middle of their day. Axis labels are
placed greedily and dropped when they would overlap.

Speed: the header is the costliest part of a small chart (greedy label placement) and
the same for every chart with the same axis, today and language: most goal pages share
a few hundred axes. It is drawn once per geometry with the chart's height left as
placeholders (`header`), kept in the memo of the Words (so per language and build).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from careersite.i18n import N_
from careersite.svgkit import Box, Words, num, place
from careersite.timeline import Axis, Band, Gridline, quarter_of

MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"),
          N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))
"""Month labels of the dashboard's axis (translated where drawn)."""
HEIGHTS = 32
"""Most heights of one header kept (goal pages on one axis have a few row counts)."""
_HEIGHT, _BAND_H = "\x00h\x00", "\x00b\x00"
"""Placeholders of the memoized header: the chart's height and its bands' height."""
_TOP = 17.0


@dataclass(frozen=True)
class Layout:
    """Sizes of one kind of timeline, in SVG user units (CSS pixels at scale 1)."""

    width: float
    label_w: float
    """Right edge of the label column."""
    plot_x0: float
    plot_x1: float
    row_h: float
    bar_h: float
    font: float = 12.0
    header_h: float = 50.0
    chunk_rows: int = 1_000_000
    """Most rows per <svg>: long plans are split into several charts (pages in print)."""
    months: bool = False
    """Label months instead of quarters (the dashboard's 12 months)."""


class Canvas:
    """Coordinates of one chart: days to x, clamped to the plot."""

    def __init__(self, axis: Axis, layout: Layout) -> None:
        self.axis, self.layout = axis, layout
        self.first, self.last = axis.start, axis.end
        self.start, self.days = axis.start.toordinal(), axis.days
        self.x0, self.x1 = layout.plot_x0, layout.plot_x1
        self.plot_w = layout.plot_x1 - layout.plot_x0
        self.scale = self.plot_w / self.days
        self.half = self.scale / 2

    def at(self, ordinal: int) -> float:
        """Start of the day of that ordinal, even outside the plot (Axis.share along it)."""
        return self.x0 + (ordinal - self.start) / self.days * self.plot_w

    def x(self, day: dt.date) -> float:
        """Start of day, clamped to the plot."""
        return min(self.x1, max(self.x0, self.x0 + (day.toordinal() - self.start) / self.days
                                * self.plot_w))

    def mid(self, day: dt.date) -> float:
        """Middle of day, clamped to the plot."""
        x0, x1 = self.x0, self.x1  # x(day), inline: the many milestones' hot spot
        return min(x1, min(x1, max(x0, x0 + (day.toordinal() - self.start) / self.days
                                   * self.plot_w)) + self.half)

    def inside(self, day: dt.date) -> bool:
        return self.first <= day < self.last


def header(c: Canvas, _: Words, today: dt.date, gridlines: tuple[Gridline, ...],
           bands: tuple[Band, ...], height: float) -> str:
    """The horizons, grid lines, today's line and the axis labels of a chart."""
    key = ("header", c.layout, c.axis, today)
    found = _.memo.get(key)
    # gridlines and bands follow from the axis and today (timeline.py makes each once, so
    # comparing them is cheap); compared, not hashed, in case a caller made its own
    if not isinstance(found, _Drawn) or found.gridlines != gridlines or found.bands != bands:
        found = _.keep(key, _Drawn(gridlines, bands, _draw_header(c, _, today, gridlines,
                                                                  bands)))
    return found.at(height)


class _Drawn:
    """A header drawn for any height, and the heights asked for so far."""

    __slots__ = ("gridlines", "bands", "drawn", "heights")

    def __init__(self, gridlines: tuple[Gridline, ...], bands: tuple[Band, ...], drawn: str
                 ) -> None:
        self.gridlines, self.bands, self.drawn = gridlines, bands, drawn
        self.heights: dict[float, str] = {}

    def at(self, height: float) -> str:
        found = self.heights.get(height)
        if found is None:
            if len(self.heights) >= HEIGHTS:
                self.heights.clear()
            found = self.heights[height] = self.drawn.replace(_HEIGHT, num(height)).replace(
                _BAND_H, num(height - _TOP))
        return found


def _draw_header(c: Canvas, _: Words, today: dt.date, gridlines: tuple[Gridline, ...],
                 bands: tuple[Band, ...]) -> str:
    lay = c.layout
    out: list[str] = []
    top = num(_TOP)
    for band in bands:
        tip = _("Next 6–12 months: where short-term goals land") if band.kind == "short" \
            else _("3–5 years from today: where long-term goals land")
        out.append(f'<rect class="tl-band tl-band-{band.kind}" x="{num(c.x(band.start))}"'
                   f' y="{top}" width="{num(c.x(band.end) - c.x(band.start))}"'
                   f' height="{_BAND_H}"><title>{tip}</title></rect>')
    # the axis' ticks: each grid line, and the axis start when no grid line is there
    ticks = [g.day for g in gridlines]
    if not ticks or ticks[0] != c.axis.start:
        ticks.insert(0, c.axis.start)
    at = {day: c.x(day) for day in ticks}
    lines: list[str] = []
    for g in gridlines:
        gx = num(at[g.day])
        y0 = "18" if g.kind == "year" else "34"
        lines.append(f'<line class="tl-grid tl-grid-{g.kind}" x1="{gx}" x2="{gx}" y1="{y0}"'
                     f' y2="{_HEIGHT}"/>')
    out.append('<g class="tl-grid-lines">' + "".join(lines) + "</g>")
    placed: list[Box] = []
    if c.inside(today):
        tx = c.mid(today)
        out.append(f'<line class="tl-today" x1="{num(tx)}" x2="{num(tx)}" y1="{top}"'
                   f' y2="{_HEIGHT}"/>')
        if not place(out, placed, tx + 3, 13, _("Today"), 11, "tl-today-label",
                     limit=(lay.plot_x0, lay.plot_x1)):
            place(out, placed, tx - 3, 13, _("Today"), 11, "tl-today-label", anchor="end")
    for band in bands:
        label = _("6–12 months") if band.kind == "short" else _("3–5 years")
        if not place(out, placed, c.x(band.start) + 3, 13, label, 11, "tl-band-label",
                     limit=(lay.plot_x0, lay.plot_x1)):
            place(out, placed, c.x(band.end) - 3, 13, label, 11, "tl-band-label",
                  anchor="end", limit=(lay.plot_x0, lay.plot_x1))
    _axis_labels(c, _, gridlines, ticks, at, out)
    return "".join(out)


def _axis_labels(c: Canvas, _: Words, gridlines: tuple[Gridline, ...], ticks: list[dt.date],
                 at: dict[dt.date, float], out: list[str]) -> None:
    # Each line of labels (years, then quarters or months) has a baseline of its own, below
    # today's and the horizons' line, so a label can only collide with labels of its line.
    lay, start = c.layout, c.axis.start
    per_year = c.scale * 365.25
    step = next((s for s in (1, 2, 5, 10, 20, 50) if s * per_year >= 40), 100)
    years_placed: list[Box] = []
    years = [start] + [g.day for g in gridlines if g.kind == "year" and g.day != start]
    for i, day in enumerate(years):
        if day.year % step == 0 or i == 0:
            nxt = at[years[1]] - 2 if i == 0 and len(years) > 1 else lay.plot_x1
            place(out, years_placed, at[day] + 3, 29, str(day.year), 12, "tl-year",
                  limit=(lay.plot_x0, nxt))
    # A tick's label starts 3 after its tick and must end 2 before the next one, so labels
    # of ticks in order never come within place()'s gap of 4: no need to collect them.
    in_order = all(a < b for a, b in pairwise(ticks))
    ticks_placed: list[Box] = []
    ends = [at[day] for day in ticks[1:]] + [c.x(c.axis.end)]
    quarters = [_("Q%(n)s", n=n) for n in range(1, 5)]
    for day, end in zip(ticks, ends, strict=True):
        text = _(MONTHS[day.month - 1]) if lay.months else quarters[quarter_of(day) - 1]
        place(out, ticks_placed, at[day] + 3, 44, text, 10, "tl-tick-label",
              limit=(lay.plot_x0, end - 2))
        if in_order:
            ticks_placed.clear()


def defs(ident: str, height: float, lay: Layout) -> str:
    """The hatch and dot patterns and the label column's clip path of one chart."""
    return (
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect class="tl-hatch-bg" width="6" height="6"/>'
        '<line class="tl-hatch" x1="0" y1="0" x2="0" y2="6"/></pattern>'
        f'<pattern id="{ident}-dots" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<circle class="tl-dot" cx="2" cy="2" r="1"/></pattern>'
        f'<clipPath id="{ident}-labels"><rect x="0" y="0" width="{num(lay.label_w)}"'
        f' height="{num(height)}"/></clipPath></defs>')
