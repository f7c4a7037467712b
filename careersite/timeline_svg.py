"""Timeline model -> inline SVG markup (see timeline.py for the model).

Each chart is a frame (timeline_axis.py: layout, coordinates, horizons, grid and axis)
and a row per goal: a label in a fixed-width, clipped column on the left, truncated with
the full text in the link's <title>; a bar with its progress, on-track tick and overdue
run; milestone diamonds. Status is drawn by pattern and marker as well as colour (CSS
classes, see style.css).

Speed: every goal page draws a small timeline, so this runs thousands of times a build.
What does not depend on where a goal's row sits is drawn once per build and language and
kept in Words.memo: the header per axis (timeline_axis.py), and per goal (_Goal) and
milestone (_Mark) the tooltips and links, after the page's root so that the timeline page
reuses the goal pages'. The rest, coordinates, is written with f-strings; Markup is made
only for the finished chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import jinja2
from markupsafe import Markup

from careersite.i18n import N_
from careersite.svgkit import (
    SVG_NS,
    Words,
    esc,
    esc_html,
    num,
    plain,
    text_el,
    text_width,
    truncate,
)
from careersite.timeline import GoalBar, MilestoneMark, Row, Timeline
from careersite.timeline_axis import Canvas, Layout, defs, header

DAY = dt.timedelta(days=1)
STATUS_ICONS = {"planned": "○", "active": "◐", "achieved": "●", "dropped": "✕", "paused": "‖"}
ROLE_PREFIX = {"parent": "↑ ", "child": "↳ "}

MAIN = Layout(980, 300, 312, 966, 22, 12, chunk_rows=24)
COMPACT = Layout(980, 260, 272, 966, 20, 10, font=11, months=True)
GOAL = Layout(720, 250, 262, 708, 22, 12)
PCT_SIZE = 11.0
_PCT_W, _PCT_SIZE = text_width("100%", PCT_SIZE), num(PCT_SIZE)
VERDICTS = {"ahead": N_("ahead"), "on-track": N_("on track"), "behind": N_("behind")}


class _Goal:
    """What every row of the goal draws the same on any page: its tooltips, classes and
    the rest of its links after the page's root (so the timeline page reuses them too)."""

    __slots__ = ("bar", "url", "label", "bar_head", "bar_data")

    def __init__(self, bar: GoalBar, _: Words) -> None:
        self.bar, self.url = bar, esc(bar.url)
        self.label = (f'" class="tl-label-link"><title>{esc(bar.title)} ({_(bar.status)})'
                      "</title>")
        cls = f"tl-bar tl-s-{bar.status} tl-h-{bar.horizon}" \
            + (" tl-overdue" if bar.overdue else "") + (" tl-assumed" if bar.start_assumed else "")
        self.bar_head = (f'" class="tl-bar-link"><title>{_goal_tip(bar, _)}</title>'
                         f'<rect class="{cls}" x="')
        self.bar_data = f' data-goal="{esc(bar.id)}"/>'

    @staticmethod
    def of(bar: GoalBar, _: Words) -> _Goal:
        """Drawn once per build: every page that shows the goal has the same bar."""
        found = _.memo.get(id(bar))
        if isinstance(found, _Goal) and found.bar is bar:
            return found
        return _.keep(id(bar), _Goal(bar, _))


def _goal_tip(bar: GoalBar, _: Words) -> str:
    d = _.date
    parts = [esc_html(bar.title), _(bar.status),
             f"{esc_html(d(bar.start))} → {esc_html(d(bar.target))}"]
    if bar.start_assumed:
        parts.append(_("start assumed from the horizon"))
    if bar.achieved:
        parts.append(_("achieved %(date)s", date=d(bar.achieved)))
    progress = _("progress")  # _() outside f-strings, where extraction finds it
    parts.append(f"{progress} {bar.progress}%")
    if bar.ontrack:
        verdict = _(VERDICTS[bar.ontrack.verdict])
        expected = _("expected today")
        parts.append(f"{expected} {bar.ontrack.expected}%: {verdict}")
    if bar.overdue:
        parts.append(_("overdue"))
    return "; ".join(parts)


def _label(row: Row, goal: _Goal, c: Canvas, y: float, root: str) -> str:
    lay, bar = c.layout, row.bar
    x = 20.0 + 10 * min(row.depth, 3)
    right = lay.label_w - 6 - _PCT_W - 6
    text = truncate(ROLE_PREFIX.get(row.role, "") + bar.title, right - x, lay.font)
    cls = f"tl-label tl-label-{bar.horizon}" + (" tl-label-self" if row.role == "self" else "")
    # three <text>s on one baseline, as svgkit.text_el writes them
    s_y = num(y + lay.row_h / 2 + lay.font * 0.35)
    at = f'y="{s_y}" font-size="{num(lay.font)}"'
    return (f'<a href="{root}{goal.url}{goal.label}<text x="4" {at} class="tl-icon">'
            f'{STATUS_ICONS.get(bar.status, "?")}</text>'
            f'<text x="{num(x)}" {at} class="{cls}">{esc(text)}</text>'
            f'<text x="{num(lay.label_w - 6)}" y="{s_y}" font-size="{_PCT_SIZE}" class="tl-pct"'
            f' text-anchor="end">{bar.progress}%</text></a>')


def _bar(bar: GoalBar, goal: _Goal, c: Canvas, y: float, today: dt.date, root: str,
         ident: str) -> str:
    lay = c.layout
    h = lay.bar_h + (2 if bar.horizon == "long" else 0)
    top = y + (lay.row_h - h) / 2
    s_top = num(top)
    full0 = c.at(bar.start.toordinal())  # the whole bar, unclamped
    full1 = c.at(bar.end.toordinal() + 1)
    x0, x1 = min(c.x1, max(c.x0, full0)), min(c.x1, max(c.x0, full1))  # = c.x(day)
    s_x0 = num(x0)
    width = max(x1 - x0, 2.0)
    status = bar.status
    # inline style, so the stylesheet's fill for bars does not override the pattern
    style = f' style="fill: url(#{ident}-hatch)"' if status == "paused" else ""
    parts = [f'<a href="{root}{goal.url}{goal.bar_head}{s_x0}" y="{s_top}"'
             f' width="{num(width)}" height="{num(h)}" rx="3"{style}{goal.bar_data}']
    done_x = min(x1, max(x0, full0 + (full1 - full0) * bar.progress / 100))
    if done_x > x0 and status != "paused":
        parts.append(f'<rect class="tl-fill" x="{s_x0}" y="{num(top + 2)}"'
                     f' width="{num(done_x - x0)}" height="{num(h - 4)}" rx="2"/>')
    s_cy = num(y + lay.row_h / 2)
    if status == "dropped":
        parts.append(f'<line class="tl-strike" x1="{s_x0}" x2="{num(x0 + width)}"'
                     f' y1="{s_cy}" y2="{s_cy}"/>')
    if status == "achieved" and x1 - x0 >= 0:
        parts.append(f'<path class="tl-check" d="M{num(x1 + 3)},{s_cy} l3,4 l6,-8"/>')
    if bar.ontrack:
        ex = full0 + (full1 - full0) * bar.ontrack.expected / 100
        if lay.plot_x0 <= ex <= lay.plot_x1:
            s_ex = num(ex)
            parts.append(f'<line class="tl-expected tl-{bar.ontrack.verdict}" x1="{s_ex}"'
                         f' x2="{s_ex}" y1="{num(top - 3)}" y2="{num(top + h + 3)}"'
                         f' data-expected="{bar.ontrack.expected}"/>')
            # a pointer above the bar, where milestone diamonds never cover it
            parts.append(f'<path class="tl-expected-mark" d="M{num(ex - 4)},{num(top - 5)}'
                         ' h8 l-4,5 z"/>')
    if bar.overdue:
        end = c.x(bar.target + DAY)
        now = c.mid(today)
        if now > end:
            parts.append(f'<line class="tl-overdue-run" x1="{num(end)}" x2="{num(now)}"'
                         f' y1="{s_cy}" y2="{s_cy}"/>')
        parts.append(f'<path class="tl-overdue-mark" d="M{num(end)},{num(top - 4)} l5,9 h-10 z"/>')
    parts.append("</a>")
    return "".join(parts)


def _milestones(bar: GoalBar, c: Canvas, _: Words, y: float, root: str) -> str:
    cy = y + c.layout.row_h / 2
    s_top, s_cy = num(cy - 6), num(cy - 2.5)
    first, last, memo = c.first, c.last, _.memo
    x0, x1, start, days, plot_w, half = c.x0, c.x1, c.start, c.days, c.plot_w, c.half
    of_goal: Markup | None = None
    out: list[str] = []
    for m in bar.milestones:
        day = m.day
        if not first <= day < last:
            continue
        # the same marks come back on every page that shows the goal (timeline.py)
        found = memo.get(id(m))
        if not isinstance(found, _Mark) or found.mark is not m or found.title != bar.title:
            of_goal = of_goal or _("milestone of %(goal)s", goal=bar.title)
            found = _.keep(id(m), _Mark(m, bar.title, of_goal, _))
        # c.mid(day), inline: milestones are the most numerous marks
        mx = min(x1, min(x1, max(x0, x0 + (day.toordinal() - start) / days * plot_w)) + half)
        cross = (f'<path class="tl-ms-cross" d="M{num(mx - 2.5)},{s_cy} l5,5 m0,-5'
                 ' l-5,5"/>' if found.overdue else "")
        out.append(f'<a href="{root}{found.url}{found.rest}{num(mx)},{s_top} l6,6 l-6,6'
                   f' l-6,-6 z"/>{cross}</a>')
    return "".join(out)


class _Mark:
    """A milestone's tooltip and diamond up to its position, and the rest of its link after
    the page's root: drawn once per build."""

    __slots__ = ("mark", "title", "url", "rest", "overdue")

    def __init__(self, m: MilestoneMark, title: str, of_goal: str, _: Words) -> None:
        self.mark, self.title, self.url = m, title, esc(m.url)
        tip = [esc(m.title), of_goal]
        if m.due:
            tip.append(_("due %(date)s", date=_.date(m.due)))
        if m.done:
            state = "done"
            tip.append(_("done %(date)s", date=_.date(m.done_on)) if m.done_on else _("done"))
        elif m.overdue:
            state = "overdue"
            tip.append(_("overdue"))
        else:
            state = "open"
        self.overdue = state == "overdue"
        self.rest = (f'" class="tl-ms-link" data-day="{m.day.isoformat()}">'
                     f'<title>{"; ".join(tip)}</title><path class="tl-ms tl-ms-{state}" d="M')


def _reviews(tl: Timeline, c: Canvas, _: Words, y: float, root: str) -> str:
    lay = c.layout
    cy = y + lay.row_h / 2 + lay.font * 0.35
    out = [text_el(20, cy, truncate(plain(_("Reviews")), lay.label_w - 26, lay.font), lay.font,
                   "tl-lane-label")]
    tick = f'y="{num(y + 4)}" width="4" height="{num(lay.row_h - 8)}" rx="1.5"'
    for r in tl.reviews:
        if not c.inside(r.day):
            continue
        tip = _("Review: %(title)s, %(date)s", title=r.title, date=_.date(r.day))
        out.append(f'<a href="{esc(root + r.url)}" class="tl-review-link"'
                   f' data-day="{r.day.isoformat()}"><title>{tip}</title>'
                   f'<rect class="tl-review" x="{num(c.mid(r.day) - 2)}" {tick}/></a>')
    return "".join(out)


Item = tuple[str, Row | None]
"""("row", row) or ("heading", None): the unlinked section's heading."""


def chunks(rows: Sequence[Row], size: int) -> list[list[Item]]:
    """Rows with their section headings, in charts of at most `size` items.

    A chart breaks before a goal with no parent (a group) when the group would not fit.
    """
    groups: list[list[Item]] = []
    for row in rows:
        if row.depth == 0 or not groups:
            groups.append([])
        if row.section:
            groups[-1].append(("heading", None))
        groups[-1].append(("row", row))
    out: list[list[Item]] = [[]]
    for group in groups:
        if out[-1] and len(out[-1]) + len(group) > size:
            out.append([])
        for item in group:
            if len(out[-1]) >= size:
                out.append([])
            out[-1].append(item)
    return out


def render_chart(tl: Timeline, items: Sequence[Item], _: Words, root: str, layout: Layout,
                 ident: str, caption: Markup, *, lane: bool) -> str:
    """One <svg> with the axis, the horizons, an optional review lane and the given rows."""
    c = Canvas(tl.axis, layout)
    height = layout.header_h + (len(items) + (1 if lane else 0)) * layout.row_h + 6
    width = num(layout.width)
    out = [f'<svg xmlns="{SVG_NS}" class="tl-chart" viewBox="0 0 {width} {num(height)}"'
           f' width="{width}" height="{num(height)}" style="min-width: {width}px"'
           f' role="group" aria-labelledby="{ident}-title"'
           f' data-axis-start="{tl.axis.start.isoformat()}"'
           f' data-axis-end="{tl.axis.end.isoformat()}" data-plot-x0="{num(layout.plot_x0)}"'
           f' data-plot-x1="{num(layout.plot_x1)}" data-label-w="{num(layout.label_w)}">',
           f'<title id="{ident}-title">{caption}</title>', defs(ident, height, layout),
           header(c, _, tl.today, tl.gridlines, tl.bands, height)]
    y = layout.header_h
    href_root = esc(root)  # esc(root + url) == esc(root) + esc(url)
    labels: list[str] = []
    if lane:
        out.append('<g class="tl-lane">' + _reviews(tl, c, _, y, root) + "</g>")
        y += layout.row_h
    for kind, row in items:
        sy = num(y)
        if kind == "heading" or row is None or row.depth == 0 and y > layout.header_h:
            out.append(f'<line class="tl-sep" x1="0" x2="{width}" y1="{sy}" y2="{sy}"/>')
        if kind == "heading" or row is None:
            labels.append(text_el(4, y + layout.row_h / 2 + 4, truncate(plain(_(
                "Goals that lead to no long-term goal")), layout.label_w - 10, 11), 11,
                "tl-section"))
        else:
            if row.role == "self":
                out.append(f'<rect class="tl-self" x="0" y="{sy}" width="{width}"'
                           f' height="{num(layout.row_h)}"/>')
            goal = _Goal.of(row.bar, _)
            labels.append(_label(row, goal, c, y, href_root))
            out.append(_bar(row.bar, goal, c, y, tl.today, href_root, ident))
            out.append(_milestones(row.bar, c, _, y, href_root))
        y += layout.row_h
    out.append(f'<g class="tl-labels" clip-path="url(#{ident}-labels)">{"".join(labels)}</g>')
    out.append("</svg>")
    return "".join(out)


def render_timeline(tl: Timeline, _: Words, root: str, layout: Layout, ident: str) -> Markup:
    """The timeline as one or more charts, each in a horizontally scrollable container."""
    parts = chunks(tl.rows, layout.chunk_rows) if tl.rows else [[]]
    total = len(tl.rows)
    html: list[str] = []
    first = 1
    for n, items in enumerate(parts):
        count = sum(1 for kind, _row in items if kind == "row")
        caption = _("Timeline: goals %(first)s–%(last)s of %(total)s", first=first,
                    last=first + count - 1, total=total) if count else _("Timeline")
        first += count
        chart = render_chart(tl, items, _, root, layout, f"{ident}-{n}", caption,
                             lane=n == 0 and bool(tl.reviews or layout is MAIN))
        html.append(f'<div class="tl-scroll" tabindex="0" role="region" '
                    f'aria-label="{caption}">{chart}</div>')
    return Markup("".join(html))


def _svg_global(layout: Layout, ident: str) -> Callable[..., Markup]:
    @jinja2.pass_context
    def draw(context: jinja2.runtime.Context, tl: Timeline) -> Markup:
        return render_timeline(tl, Words.from_context(context), str(context.resolve("root")),
                               layout, ident)

    return draw


def svg_globals() -> dict[str, Callable[..., Markup]]:
    """Template functions: timeline_svg, dashboard_timeline_svg, goal_timeline_svg, ..."""
    from careersite.progress_svg import legend_svg, progress_chart_svg

    return {"timeline_svg": _svg_global(MAIN, "tl"),
            "dashboard_timeline_svg": _svg_global(COMPACT, "dtl"),
            "goal_timeline_svg": _svg_global(GOAL, "gtl"),
            "progress_chart_svg": progress_chart_svg,
            "timeline_legend_svg": legend_svg}
