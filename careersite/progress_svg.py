"""A goal's progress over time as a small SVG chart, and the timeline legend's swatches.

The chart takes a list of ProgressPoint (day, progress, source, label, url): reviews give
them today; the git history feature can add points of its own (another `source`, drawn
as squares) without changing the chart.

Speed: a goal page draws one; written with f-strings, the value grid drawn once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import jinja2
from markupsafe import Markup

from careersite.svgkit import SVG_NS, Box, Words, esc, num, place
from careersite.timeline import ProgressPoint

DAY = dt.timedelta(days=1)
WIDTH, HEIGHT = 720.0, 232.0
X0, X1, Y_TOP, Y_BOTTOM = 48.0, 700.0, 28.0, 178.0


def _y(value: float) -> float:
    return Y_BOTTOM - value / 100 * (Y_BOTTOM - Y_TOP)


def _grid() -> tuple[str, tuple[Box, ...]]:
    """The value grid and its labels, the same on every chart (drawn once)."""
    out: list[str] = []
    placed: list[Box] = []
    for value in (0, 25, 50, 75, 100):
        y = num(_y(value))
        out.append(f'<line class="pc-grid" x1="{num(X0)}" x2="{num(X1)}" y1="{y}" y2="{y}"/>')
        place(out, placed, X0 - 6, _y(value) + 4, f"{value}%", 10, "pc-axis", anchor="end")
    return "".join(out), tuple(placed)


_GRID, _GRID_BOXES = _grid()
_SIZE = (f'viewBox="0 0 {num(WIDTH)} {num(HEIGHT)}" width="{num(WIDTH)}" height="{num(HEIGHT)}"'
         f' style="min-width: {num(WIDTH)}px"')
_PLOT = (f'data-plot-x0="{num(X0)}" data-plot-x1="{num(X1)}" data-plot-y0="{num(Y_BOTTOM)}"'
         f' data-plot-y100="{num(Y_TOP)}"')
_Y0, _Y100 = num(_y(0.0)), num(_y(100.0))
_TODAY_Y = f'y1="{num(Y_TOP - 10)}" y2="{num(Y_BOTTOM)}"'


def render_progress(points: Sequence[ProgressPoint], start: dt.date, target: dt.date,
                    today: dt.date, _: Words, root: str, ident: str = "pc") -> Markup:
    """The chart: points joined by a line, the expected-progress line, dates and values."""
    pts = sorted(points, key=lambda p: p.day)
    lo = min([start, *(p.day for p in pts)])
    hi = max([target + DAY, *(p.day + DAY for p in pts)])
    span = max(1, (hi - lo).days)

    def x(day: dt.date, middle: bool = True) -> float:
        return X0 + ((day - lo).days + (0.5 if middle else 0)) / span * (X1 - X0)

    caption = _("Progress over time")
    out = [f'<svg xmlns="{SVG_NS}" class="pc-chart" {_SIZE} role="group"'
           f' aria-labelledby="{ident}-title" data-x-start="{lo.isoformat()}"'
           f' data-x-end="{hi.isoformat()}" {_PLOT}>',
           f'<title id="{ident}-title">{caption}</title>', _GRID]
    placed = list(_GRID_BOXES)
    expected = _("Expected progress: the share of the span elapsed")  # outside an f-string,
    out.append(f'<line class="pc-expected" x1="{num(x(start, False))}"'  # for extraction
               f' y1="{_Y0}" x2="{num(x(target + DAY, False))}"'
               f' y2="{_Y100}"><title>{expected}</title></line>')
    if lo <= today < hi:
        tx = x(today)
        out.append(f'<line class="pc-today" x1="{num(tx)}" x2="{num(tx)}" {_TODAY_Y}/>')
        if not place(out, placed, tx + 3, 14, _("Today"), 11, "pc-today-label",
                     limit=(X0, WIDTH)):
            place(out, placed, tx - 3, 14, _("Today"), 11, "pc-today-label", anchor="end")
    d = _.date
    place(out, placed, x(start, False), 216, _("Start %(date)s", date=d(start)), 11,
          "pc-date pc-start", limit=(X0 - 40, WIDTH))
    place(out, placed, x(target + DAY, False), 216, _("Target %(date)s", date=d(target)), 11,
          "pc-date pc-target", anchor="end", limit=(0, WIDTH))
    if len(pts) > 1:
        line = " ".join(f"{num(x(p.day))},{num(_y(p.progress))}" for p in pts)
        out.append(f'<polyline class="pc-line" points="{line}"/>')
    for p in pts:
        px, py = x(p.day), _y(p.progress)
        label = f"{p.progress}%"
        tip = _("%(label)s, %(date)s: %(value)s", label=p.label, date=d(p.day), value=label)
        cls = esc(f"pc-point pc-{p.source}")
        shape = (f'<circle class="{cls}" cx="{num(px)}" cy="{num(py)}" r="4.5"/>'
                 if p.source == "review" else
                 f'<rect class="{cls}" x="{num(px - 4)}" y="{num(py - 4)}" width="8"'
                 ' height="8"/>')
        href = f' href="{esc(root + p.url)}"' if p.url else ""
        attr = (f' class="pc-link"{href} data-day="{p.day.isoformat()}"'
                f' data-progress="{p.progress}"')
        out.append(f"<a{attr}><title>{tip}</title>{shape}</a>" if p.url else
                   f"<g{attr}><title>{tip}</title>{shape}</g>")
        if not place(out, placed, px, py - 9, label, 11, "pc-value", anchor="middle",
                     limit=(X0 - 30, WIDTH)):
            place(out, placed, px, py + 18, label, 11, "pc-value", anchor="middle",
                  limit=(X0 - 30, WIDTH))
        place(out, placed, px, 196, d(p.day), 11, "pc-date", anchor="middle",
              limit=(X0 - 40, WIDTH))
    out.append("</svg>")
    return Markup(f'<div class="tl-scroll pc-scroll" tabindex="0" role="region" '
                  f'aria-label="{caption}">{"".join(out)}</div>')


@jinja2.pass_context
def progress_chart_svg(context: jinja2.runtime.Context, points: Sequence[ProgressPoint],
                       start: dt.date, target: dt.date) -> Markup:
    """Template function: the progress chart of the goal page."""
    return render_progress(points, start, target, context.resolve("build")["today"],
                           Words.from_context(context), str(context.resolve("root")))


_SWATCHES = {
    "planned": '<rect class="tl-bar tl-s-planned" x="2" y="3" width="32" height="10" rx="3"/>',
    "active": '<rect class="tl-bar tl-s-active" x="2" y="3" width="32" height="10" rx="3"/>'
              '<rect class="tl-fill" x="2" y="5" width="18" height="6" rx="2"/>',
    "paused": '<rect class="tl-bar tl-s-paused" x="2" y="3" width="32" height="10" rx="3"'
              ' style="fill: url(#lg-hatch)"/>',
    "achieved": '<rect class="tl-bar tl-s-achieved" x="2" y="3" width="24" height="10" rx="3"/>'
                '<rect class="tl-fill" x="2" y="5" width="24" height="6" rx="2"/>'
                '<path class="tl-check" d="M29,8 l3,4 l6,-8"/>',
    "dropped": '<rect class="tl-bar tl-s-dropped" x="2" y="3" width="32" height="10" rx="3"/>'
               '<line class="tl-strike" x1="2" x2="34" y1="8" y2="8"/>',
    "overdue": '<rect class="tl-bar tl-s-active tl-overdue" x="2" y="3" width="20" height="10"'
               ' rx="3"/><line class="tl-overdue-run" x1="22" x2="38" y1="8" y2="8"/>'
               '<path class="tl-overdue-mark" d="M22,0 l5,9 h-10 z"/>',
    "expected": '<rect class="tl-bar tl-s-active" x="2" y="3" width="32" height="10" rx="3"/>'
                '<line class="tl-expected" x1="18" x2="18" y1="1" y2="15"/>'
                '<path class="tl-expected-mark" d="M14,0 h8 l-4,5 z"/>',
    "milestone-open": '<path class="tl-ms tl-ms-open" d="M20,2 l6,6 l-6,6 l-6,-6 z"/>',
    "milestone-done": '<path class="tl-ms tl-ms-done" d="M20,2 l6,6 l-6,6 l-6,-6 z"/>',
    "milestone-overdue": '<path class="tl-ms tl-ms-overdue" d="M20,2 l6,6 l-6,6 l-6,-6 z"/>'
                         '<path class="tl-ms-cross" d="M17.5,5.5 l5,5 m0,-5 l-5,5"/>',
    "review": '<rect class="tl-review" x="18" y="1" width="4" height="14" rx="1.5"/>',
    "today": '<line class="tl-today" x1="20" x2="20" y1="0" y2="16"/>',
    "band-short": '<rect class="tl-band tl-band-short" x="0" y="0" width="40" height="16"/>',
    "band-long": '<rect class="tl-band tl-band-long" x="0" y="0" width="40" height="16"/>',
    "point": '<circle class="pc-point pc-review" cx="20" cy="8" r="4.5"/>',
    "expected-line": '<line class="pc-expected" x1="2" y1="15" x2="38" y2="1"/>',
}
_HATCH = ('<defs><pattern id="lg-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
          ' patternTransform="rotate(45)"><rect class="tl-hatch-bg" width="6" height="6"/>'
          '<line class="tl-hatch" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>')


def legend_svg(kind: str) -> Markup:
    """A 40×16 swatch of one thing the timeline draws (the text goes next to it)."""
    defs = _HATCH if kind == "paused" else ""
    return Markup(f'<svg xmlns="{SVG_NS}" class="tl-swatch" viewBox="0 0 40 16" width="40"'
                  f' height="16" aria-hidden="true" focusable="false">{defs}'
                  f"{_SWATCHES[kind]}</svg>")

