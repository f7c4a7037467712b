"""The built sites in headless Chromium: axe-core finds no accessibility violation in
light and dark schemes, pages log no console error, the timeline chart is visible, and
nothing but the timeline's scroll container overflows a 375 px wide screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import AXE_JS, Site, require

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > root.clientWidth + 1 && !el.closest(".tl-scroll, [data-scroll]"))
      wide.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
        ? "." + String(el.className).trim().split(/\\s+/).join(".") : ""));
  }
  return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 5)};
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary)}));
}"""


def pages_to_check(site: Site) -> list[str]:
    """All pages of the example plan; of the big plan, every page outside goals/ and
    reviews/ (dashboard, timeline, indexes and whatever else the build makes) plus the
    first goal and review."""
    pages = site.pages()
    if site.name == "example":
        return pages
    top = [p for p in pages if not p.startswith(("goals/", "reviews/", "notes/"))]
    first = [next(p for p in pages if p.startswith(f"{d}/") and not p.endswith("index.html"))
             for d in ("goals", "reviews")]
    return sorted({*top, "goals/index.html", "reviews/index.html", *first})


@pytest.fixture(scope="module", params=["light", "dark"])
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    """A phone-sized tab in the given colour scheme, recording console errors."""
    context = browser.new_context(color_scheme=request.param, viewport=PHONE)
    tab = context.new_page()
    tab.errors = []
    tab.scheme = request.param

    def on_console(message: Any) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith(
                "/favicon.ico"):  # the browser asks for one; no page links to it
            tab.errors.append(f"console: {message.text} ({message.location.get('url')})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
    yield tab
    context.close()


def test_pages_are_accessible_and_fit_a_phone(site: Site, page: Any) -> None:
    require(AXE_JS.is_file(), "axe-core (npm install axe-core)")
    axe = AXE_JS.read_text(encoding="utf-8")
    problems: list[str] = []
    checked = pages_to_check(site)
    assert "index.html" in checked and any(p.startswith("goals/") for p in checked)
    for url in checked:
        page.errors.clear()
        response = page.goto(site.url + url)
        assert response is not None and response.ok, url
        if url == checked[0]:  # the colour scheme is really emulated
            dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            assert dark == (page.scheme == "dark")
        page.evaluate(axe)
        for v in page.evaluate(AXE_RUN):
            problems.append(f"{url}: axe {v['id']} ({v['impact']}): {v['help']}; "
                            + " | ".join(v["nodes"]))
        fit = page.evaluate(OVERFLOW)
        if fit["scroll"] > fit["client"]:
            problems.append(f"{url}: {fit['scroll']} px wide on a {fit['client']} px screen: "
                            f"{fit['wide']}")
        problems += [f"{url}: {e}" for e in page.errors]
    assert problems == [], "\n".join(problems)


def test_the_timeline_chart_is_visible(example_site: Any, server: str, page: Any) -> None:
    if not (example_site / "timeline.html").is_file():
        pytest.skip("this build has no timeline.html yet")
    page.goto(f"{server}example/timeline.html")
    chart = page.locator('main svg:not([aria-hidden="true"])').first  # not a legend swatch
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50
