"""Timeline model -> inline SVG markup (see timeline.py for the model).

Geometry: a bar runs from the start of its first day to the end of its last; point
markers (milestones, reviews, today) sit in the middle of their day. Labels live in a
fixed-width, clipped column on the left, one row each, truncated with the full text in
the link's <title>; axis labels are placed greedily and dropped when they would overlap.
Status is drawn by pattern and marker as well as colour (CSS classes, see style.css).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup, escape

from careersite.i18n import N_
from careersite.svgkit import (
    SVG_NS,
    Box,
    Words,
    attrs,
    el,
    esc,
    num,
    place,
    plain,
    text_el,
    text_width,
    truncate,
)
from careersite.timeline import Row, Timeline, quarter_of

DAY = dt.timedelta(days=1)
STATUS_ICONS = {"planned": "○", "active": "◐", "achieved": "●", "dropped": "✕", "paused": "‖"}
MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"),
          N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))
"""Month labels of the dashboard's axis (translated where drawn)."""


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


MAIN = Layout(980, 300, 312, 966, 22, 12, chunk_rows=24)
COMPACT = Layout(980, 260, 272, 966, 20, 10, font=11, months=True)
GOAL = Layout(720, 250, 262, 708, 22, 12)
PCT_SIZE = 11.0


class _Canvas:
    """Coordinates of one chart."""

    def __init__(self, tl: Timeline, layout: Layout) -> None:
        self.tl, self.layout = tl, layout
        self.scale = (layout.plot_x1 - layout.plot_x0) / tl.axis.days

    def x(self, day: dt.date) -> float:
        """Start of day, clamped to the plot."""
        lay = self.layout
        return min(lay.plot_x1, max(lay.plot_x0, lay.plot_x0 + self.tl.axis.share(day)
                                    * (lay.plot_x1 - lay.plot_x0)))

    def mid(self, day: dt.date) -> float:
        """Middle of day, clamped to the plot."""
        return min(self.layout.plot_x1, self.x(day) + self.scale / 2)

    def inside(self, day: dt.date) -> bool:
        return self.tl.axis.start <= day < self.tl.axis.end


def _header(c: _Canvas, _: Words, height: float) -> list[str]:
    tl, lay = c.tl, c.layout
    out: list[str] = []
    top = 17.0
    for band in tl.bands:
        tip = _("Next 6–12 months: where short-term goals land") if band.kind == "short" \
            else _("3–5 years from today: where long-term goals land")
        out.append(el("rect", f"<title>{tip}</title>", class_=f"tl-band tl-band-{band.kind}",
                      x=c.x(band.start), y=top, width=c.x(band.end) - c.x(band.start),
                      height=height - top))
    lines: list[str] = []
    bottom = num(height)
    for g in tl.gridlines:  # the hottest loop of a goal page: plain f-strings
        gx = num(c.x(g.day))
        y0 = "18" if g.kind == "year" else "34"
        lines.append(f'<line class="tl-grid tl-grid-{g.kind}" x1="{gx}" x2="{gx}" y1="{y0}"'
                     f' y2="{bottom}"/>')
    out.append('<g class="tl-grid-lines">' + "".join(lines) + "</g>")
    placed: list[Box] = []
    if c.inside(tl.today):
        tx = c.mid(tl.today)
        out.append(el("line", class_="tl-today", x1=tx, x2=tx, y1=top, y2=height))
        if not place(out, placed, tx + 3, 13, _("Today"), 11, "tl-today-label",
                    limit=(lay.plot_x0, lay.plot_x1)):
            place(out, placed, tx - 3, 13, _("Today"), 11, "tl-today-label", anchor="end")
    for band in tl.bands:
        label = _("6–12 months") if band.kind == "short" else _("3–5 years")
        if not place(out, placed, c.x(band.start) + 3, 13, label, 11, "tl-band-label",
                     limit=(lay.plot_x0, lay.plot_x1)):
            place(out, placed, c.x(band.end) - 3, 13, label, 11, "tl-band-label",
                  anchor="end", limit=(lay.plot_x0, lay.plot_x1))
    _axis_labels(c, _, out)
    return out


def _axis_labels(c: _Canvas, _: Words, out: list[str]) -> None:
    # Each line of labels (years, then quarters or months) has a baseline of its own, below
    # today's and the horizons' line, so a label can only collide with labels of its line.
    tl, lay = c.tl, c.layout
    per_year = c.scale * 365.25
    step = next((s for s in (1, 2, 5, 10, 20, 50) if s * per_year >= 40), 100)
    years_placed: list[Box] = []
    ticks_placed: list[Box] = []
    years = [tl.axis.start] + [g.day for g in tl.gridlines
                               if g.kind == "year" and g.day != tl.axis.start]
    for i, day in enumerate(years):
        nxt = c.x(years[i + 1]) - 2 if i + 1 < len(years) else lay.plot_x1
        if day.year % step == 0 or i == 0:
            place(out, years_placed, c.x(day) + 3, 29, str(day.year), 12, "tl-year",
                  limit=(lay.plot_x0, nxt if i == 0 else lay.plot_x1))
    small = [g.day for g in tl.gridlines]
    if not small or small[0] != tl.axis.start:
        small.insert(0, tl.axis.start)
    for i, day in enumerate(small):
        end = c.x(small[i + 1]) if i + 1 < len(small) else c.x(tl.axis.end)
        text = _(MONTHS[day.month - 1]) if lay.months else _("Q%(n)s", n=quarter_of(day))
        place(out, ticks_placed, c.x(day) + 3, 44, text, 10, "tl-tick-label",
              limit=(lay.plot_x0, end - 2))


def _defs(ident: str, height: float, lay: Layout) -> str:
    return (
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect class="tl-hatch-bg" width="6" height="6"/>'
        '<line class="tl-hatch" x1="0" y1="0" x2="0" y2="6"/></pattern>'
        f'<pattern id="{ident}-dots" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<circle class="tl-dot" cx="2" cy="2" r="1"/></pattern>'
        f'<clipPath id="{ident}-labels"><rect x="0" y="0" width="{num(lay.label_w)}"'
        f' height="{num(height)}"/></clipPath></defs>')


def _goal_tip(row: Row, _: Words) -> Markup:
    d = _.date
    parts = [escape(row.title), _(row.status), Markup(f"{escape(d(row.start))} → "
                                                      f"{escape(d(row.target))}")]
    if row.start_assumed:
        parts.append(_("start assumed from the horizon"))
    if row.achieved:
        parts.append(_("achieved %(date)s", date=d(row.achieved)))
    parts.append(_("progress") + Markup(f" {row.progress}%"))
    if row.ontrack:
        verdict = {"ahead": _("ahead"), "on-track": _("on track"), "behind": _("behind")}
        parts.append(_("expected today") + Markup(f" {row.ontrack.expected}%: ")
                     + verdict[row.ontrack.verdict])
    if row.overdue:
        parts.append(_("overdue"))
    return Markup("; ").join(parts)


def _label(row: Row, c: _Canvas, _: Words, y: float, root: str) -> str:
    lay = c.layout
    cy = y + lay.row_h / 2 + lay.font * 0.35
    prefix = {"parent": "↑ ", "child": "↳ "}.get(row.role, "")
    x = 20.0 + 10 * min(row.depth, 3)
    pct = f"{row.progress}%"
    right = lay.label_w - 6 - text_width("100%", PCT_SIZE) - 6
    text = truncate(prefix + row.title, right - x, lay.font)
    cls = f"tl-label tl-label-{row.horizon}" + (" tl-label-self" if row.role == "self" else "")
    return (f'<a href="{esc(root + row.url)}" class="tl-label-link">'
            f"<title>{esc(row.title)} ({_(row.status)})</title>"
            + text_el(4, cy, STATUS_ICONS.get(row.status, "?"), lay.font, "tl-icon")
            + text_el(x, cy, text, lay.font, cls)
            + text_el(lay.label_w - 6, cy, pct, PCT_SIZE, "tl-pct", "end") + "</a>")


def _bar(row: Row, c: _Canvas, _: Words, y: float, ident: str, root: str) -> str:
    lay = c.layout
    h = lay.bar_h + (2 if row.horizon == "long" else 0)
    top, cy = y + (lay.row_h - h) / 2, y + lay.row_h / 2
    x0, x1 = c.x(row.start), c.x(row.end + DAY)
    full0 = lay.plot_x0 + c.tl.axis.share(row.start) * (lay.plot_x1 - lay.plot_x0)
    full1 = lay.plot_x0 + c.tl.axis.share(row.end + DAY) * (lay.plot_x1 - lay.plot_x0)
    width = max(x1 - x0, 2.0)
    status = row.status
    cls = f"tl-bar tl-s-{status} tl-h-{row.horizon}" + (" tl-overdue" if row.overdue else "") \
        + (" tl-assumed" if row.start_assumed else "")
    # inline style, so the stylesheet's fill for bars does not override the pattern
    fill = f"fill: url(#{ident}-hatch)" if status == "paused" else None
    style = f' style="{fill}"' if fill else ""
    parts = [f'<rect class="{cls}" x="{num(x0)}" y="{num(top)}" width="{num(width)}"'
             f' height="{num(h)}" rx="3"{style} data-goal="{esc(row.id)}"/>']
    done_x = min(x1, max(x0, full0 + (full1 - full0) * row.progress / 100))
    if done_x > x0 and status != "paused":
        parts.append(f'<rect class="tl-fill" x="{num(x0)}" y="{num(top + 2)}"'
                     f' width="{num(done_x - x0)}" height="{num(h - 4)}" rx="2"/>')
    if status == "dropped":
        parts.append(el("line", class_="tl-strike", x1=x0, x2=x0 + width, y1=cy, y2=cy))
    if status == "achieved" and x1 - x0 >= 0:
        parts.append(f'<path class="tl-check" d="M{num(x1 + 3)},{num(cy)} l3,4 l6,-8"/>')
    if row.ontrack:
        ex = full0 + (full1 - full0) * row.ontrack.expected / 100
        if lay.plot_x0 <= ex <= lay.plot_x1:
            parts.append(el("line", class_=f"tl-expected tl-{row.ontrack.verdict}", x1=ex,
                            x2=ex, y1=top - 3, y2=top + h + 3,
                            data_expected=row.ontrack.expected))
            # a pointer above the bar, where milestone diamonds never cover it
            parts.append(el("path", class_="tl-expected-mark",
                            d=f"M{num(ex - 4)},{num(top - 5)} h8 l-4,5 z"))
    if row.overdue:
        end = c.x(row.target + DAY)
        today = c.mid(c.tl.today)
        if today > end:
            parts.append(el("line", class_="tl-overdue-run", x1=end, x2=today, y1=cy, y2=cy))
        parts.append(f'<path class="tl-overdue-mark" d="M{num(end)},{num(top - 4)} l5,9 h-10 z"/>')
    return (f'<a href="{esc(root + row.url)}" class="tl-bar-link">'
            f"<title>{_goal_tip(row, _)}</title>{''.join(parts)}</a>")


def _milestones(row: Row, c: _Canvas, _: Words, y: float, root: str) -> str:
    cy = y + c.layout.row_h / 2
    out: list[str] = []
    for m in row.milestones:
        if not c.inside(m.day):
            continue
        mx = c.mid(m.day)
        state = "done" if m.done else "overdue" if m.overdue else "open"
        tip = [esc(m.title), _("milestone of %(goal)s", goal=row.title)]
        if m.due:
            tip.append(_("due %(date)s", date=_.date(m.due)))
        if m.done:
            tip.append(_("done %(date)s", date=_.date(m.done_on)) if m.done_on else _("done"))
        elif m.overdue:
            tip.append(_("overdue"))
        cross = (f'<path class="tl-ms-cross" d="M{num(mx - 2.5)},{num(cy - 2.5)} l5,5 m0,-5'
                 ' l-5,5"/>' if state == "overdue" else "")
        # plain f-strings: milestones are the most numerous marks of a large plan
        out.append(f'<a href="{esc(root + m.url)}" class="tl-ms-link"'
                   f' data-day="{m.day.isoformat()}"><title>{"; ".join(tip)}</title>'
                   f'<path class="tl-ms tl-ms-{state}" d="M{num(mx)},{num(cy - 6)} l6,6'
                   f' l-6,6 l-6,-6 z"/>{cross}</a>')
    return "".join(out)


def _reviews(c: _Canvas, _: Words, y: float, root: str) -> str:
    lay = c.layout
    cy = y + lay.row_h / 2 + lay.font * 0.35
    out = [text_el(20, cy, truncate(plain(_("Reviews")), lay.label_w - 26, lay.font), lay.font,
                   "tl-lane-label")]
    for r in c.tl.reviews:
        if not c.inside(r.day):
            continue
        rx = c.mid(r.day)
        tip = _("Review: %(title)s, %(date)s", title=r.title, date=_.date(r.day))
        tick = el("rect", class_="tl-review", x=rx - 2, y=y + 4, width=4.0,
                  height=lay.row_h - 8, rx=1.5)
        out.append(el("a", f"<title>{tip}</title>{tick}", href=root + r.url,
                      class_="tl-review-link", data_day=r.day.isoformat()))
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
    c = _Canvas(tl, layout)
    height = layout.header_h + (len(items) + (1 if lane else 0)) * layout.row_h + 6
    axis = tl.axis
    svg = attrs(xmlns=SVG_NS, class_="tl-chart", viewBox=f"0 0 {num(layout.width)} {num(height)}",
                width=layout.width, height=height, style=f"min-width: {num(layout.width)}px",
                role="group", aria_labelledby=f"{ident}-title",
                data_axis_start=axis.start.isoformat(), data_axis_end=axis.end.isoformat(),
                data_plot_x0=layout.plot_x0, data_plot_x1=layout.plot_x1,
                data_label_w=layout.label_w)
    out = [f"<svg{svg}>", f'<title id="{ident}-title">{caption}</title>',
           _defs(ident, height, layout)]
    out += _header(c, _, height)
    y = layout.header_h
    labels: list[str] = []
    if lane:
        out.append('<g class="tl-lane">' + _reviews(c, _, y, root) + "</g>")
        y += layout.row_h
    for kind, row in items:
        if kind == "heading" or row is None:
            labels.append(text_el(4, y + layout.row_h / 2 + 4, truncate(plain(_(
                "Goals that lead to no long-term goal")), layout.label_w - 10, 11), 11,
                "tl-section"))
            out.append(el("line", class_="tl-sep", x1=0.0, x2=layout.width, y1=y, y2=y))
        else:
            if row.depth == 0 and y > layout.header_h:
                out.append(el("line", class_="tl-sep", x1=0.0, x2=layout.width, y1=y, y2=y))
            if row.role == "self":
                out.append(el("rect", class_="tl-self", x=0.0, y=y, width=layout.width,
                              height=layout.row_h))
            labels.append(_label(row, c, _, y, root))
            out.append(_bar(row, c, _, y, ident, root) + _milestones(row, c, _, y, root))
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
                    f'aria-label="{escape(caption)}">{chart}</div>')
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
