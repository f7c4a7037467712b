"""The interview page: built from the example plan and from plans made here, parsed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, soup, write_tree

from careersite.interview import first_sentence, pitch_from_html, sentences


def example(tmp_path: Path) -> Path:
    project = tmp_path / "example"
    shutil.copytree(ROOT / "plans", project / "plans")
    shutil.copy(ROOT / "careersite.toml", project / "careersite.toml")
    return project


def section(page: BeautifulSoup, name: str) -> Tag:
    found = page.find("section", id=f"iv-{name}")
    assert isinstance(found, Tag), f"no section iv-{name}"
    return found


def text(node: Tag) -> str:
    """The node's text with whitespace runs made single spaces."""
    return " ".join(node.get_text().split())


def hrefs(node: Tag) -> list[str]:
    return [str(a["href"]) for a in node.find_all("a")]


# -- the example plan ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from careersite.cli import main

    project = example(tmp_path_factory.mktemp("iv"))
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1796083200")
    try:
        assert main(["build", "--project", str(project)]) == 0
    finally:
        mp.undo()
    return project / "output"


def test_example_interview_has_every_section(example_site: Path) -> None:
    page = soup(example_site / "interview.html")
    h2 = [text(s.find("h2")) for s in page.find_all("section") if s.get("id", "").startswith("iv-")]
    assert h2 == ["Where I am heading", "What matters to me",
                  "My long-term goals (3–5 years) and the steps that lead there",
                  "What I am developing", "How I follow it through"]
    assert text(page.find("h1")) == "Where I will be in 3–5 years, and how I get there"
    assert page.title is not None and page.title.string.startswith("Interview answer · ")


def test_example_pitch_is_the_first_two_sentences_of_the_vision(example_site: Path) -> None:
    pitch = text(section(soup(example_site / "interview.html"), "vision").find("p"))
    assert pitch.startswith("In 2029 I am a key account manager for a handful of strategic")
    assert pitch.endswith("not after they have sent out a tender.")
    assert len(sentences(pitch)) == 2


def test_example_values_are_one_sentence_bullets(example_site: Path) -> None:
    values = section(soup(example_site / "interview.html"), "values")
    hard = [text(li) for li in values.select(".iv-hard li")]
    soft = [text(li) for li in values.select(".iv-soft li")]
    assert [h.split(":")[0] for h in hard] == [
        "Salary development", "Specialist or generalist", "Products or services", "Industry",
        "Role", "Location and travel"]
    assert "Products or services: Software products with a large services share." in hard
    assert "Location and travel: Based in Gothenburg." in hard  # the second sentence is left out
    assert soft[-1] == "What drains me: Cold-calling lists and quarter-end discount races."


def test_example_long_term_goals_with_their_steps(example_site: Path) -> None:
    goals = section(soup(example_site / "interview.html"), "goals")
    blocks = goals.select(".iv-goal")
    assert [hrefs(b.find("h3")) for b in blocks] == [
        ["goals/key-account-manager.html"], ["goals/industry-expert.html"]]
    kam, expert = blocks
    assert [hrefs(li)[0] for li in kam.select(".iv-steps > li")] == [
        "goals/account-plans.html", "goals/lead-renewal-negotiations.html"]
    # the achieved certification is evidence, not a step under way
    assert [hrefs(li)[0] for li in expert.select(".iv-steps > li")] == [
        "goals/industry/automotive-reference-case.html", "goals/speak-at-industry-fair.html"]
    assert "By 31 Dec 2029; 25% of the way there." in text(kam.find("p"))
    plans = text(kam.select(".iv-steps > li")[0])
    assert "Next milestone: Plan 2 done, pulp and paper group (2 mills), due 15 Nov 2026 overdue." in plans
    assert ("Under way: Book the meeting with the pulp group's production director (plan 2 is "
            "waiting for it); Block Friday afternoons in December and January for plans 3–5 "
            "(and 1 more).") in plans
    fair = text(expert.select(".iv-steps > li")[1])
    assert "planned" in fair and "Under way" not in fair  # no actions written yet


def test_example_development_and_follow_through(example_site: Path) -> None:
    page = soup(example_site / "interview.html")
    areas = [a.get_text() for a in section(page, "development").find_all("a")]
    # most needed first; "product knowledge" only serves an achieved goal
    assert areas[:2] == ["financial acumen", "account planning"]
    assert "product knowledge" not in areas
    assert set(areas) >= {"negotiation", "public speaking", "storytelling"}
    evidence = section(page, "evidence")
    assert text(evidence.select_one(".iv-reviews")).startswith(
        "I have held 3 reviews of my plan since 4 Sep 2026; the latest on 27 Nov 2026 (4 days ago). "
        "That is one about every 42 days; my plan asks for one every 45 days.")
    assert hrefs(evidence.select_one(".iv-reviews")) == ["reviews/2026-11-27.html"]
    achieved = evidence.select_one(".iv-achieved")
    assert text(achieved) == ("1 goal achieved: Certified on our MES platform at technical-sales "
                              "level 2 (28 Aug 2026).")
    assert hrefs(achieved) == ["goals/mes-certification.html"]
    assert text(evidence.select_one(".iv-counts")) == (
        "10 of 26 milestones done, and 14 of 32 actions.")


def test_example_links_resolve_and_dashboard_links_here(example_site: Path) -> None:
    page = soup(example_site / "interview.html")
    main = page.find("main")
    assert isinstance(main, Tag)
    for href in hrefs(main):
        assert (example_site / href.split("#")[0]).is_file(), href
    dashboard = soup(example_site / "index.html")
    assert dashboard.find("a", href="interview.html") is not None


def test_example_interview_keeps_private_things_out(example_site: Path) -> None:
    html = (example_site / "interview.html").read_text(encoding="utf-8")
    for secret in ("Johan Ek", "62 000", "retire", "salary_target"):
        assert secret not in html


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_example_interview_prints_on_one_a4_page(example_site: Path, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pypdf counts the PDF's pages")
    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    pdf = tmp_path / "interview.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", (example_site / "interview.html").as_uri()],
        capture_output=True, timeout=120, check=True)
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox  # A4: 595 x 842 points
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


# -- plans made here ----------------------------------------------------------------------

PLAN = {
    "careersite.toml": 'title = "Test plan"\nreview_every_days = 30\n',
    "plans/vision.md": """\
        ---
        pitch: >-
          I lead a small product team.
          I want to be the person people call first.
        hard_values:
          - Growing pay
        soft_values:
          Thrive: In small teams. Not in big ones.
        private:
          salary: SECRET-SALARY
        ---
        A body that the pitch replaces. Second sentence here.

        ::: private
        SECRET-VISION-BLOCK
        :::
        """,
    "plans/goals/lead.md": """\
        ---
        title: Lead a product team
        horizon: long
        target: 2029
        status: active
        milestones:
          - {title: Team of three, due: 2028, done: false}
          - {title: First hire, due: 2027-03, done: false}
          - {title: Old milestone, due: 2026-01, done: true}
        develop: [hiring, coaching]
        ---
        - [ ] Ask for a team
        - [x] Done already
        """,
    "plans/goals/mentor.md": """\
        ---
        title: Mentor a junior
        horizon: short
        target: 2027-06
        status: active
        parent: lead
        milestones:
          - {title: Mentee found, due: 2026-10-31, done: false}
        develop: [coaching]
        ---
        - [ ] One
        - [ ] Two
        - [ ] Three
        - [ ] Four
        """,
    "plans/goals/dropped.md": """\
        ---
        title: A dropped step
        horizon: short
        target: 2027
        status: dropped
        parent: lead
        develop: [juggling]
        ---
        """,
    "plans/goals/done.md": """\
        ---
        title: Finished course
        horizon: short
        target: 2026-06
        status: achieved
        achieved: 2026-05-20
        parent: lead
        milestones:
          - {title: Exam, due: 2026-05, done: 2026-05-20}
        ---
        """,
    "plans/goals/loose.md": """\
        ---
        title: A goal of its own
        horizon: short
        target: 2027-02
        status: paused
        ---
        """,
    "plans/goals/secret.md": """\
        ---
        title: SECRET-GOAL
        horizon: short
        target: 2027
        status: active
        parent: lead
        private: true
        develop: [SECRET-AREA]
        ---
        - [ ] SECRET-ACTION
        """,
    "plans/reviews/2026-10-01.md": "---\ndate: 2026-10-01\n---\n",
    "plans/reviews/2026-11-01.md": "---\ndate: 2026-11-01\n---\n",
    "plans/reviews/2026-11-21.md": "---\ndate: 2026-11-21\n---\n",
}


def test_made_plan_sections_and_links(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, PLAN)
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    out = tmp_path / "output"
    page = soup(out / "interview.html")

    vision = section(page, "vision")
    assert text(vision.find("p")) == ("I lead a small product team. I want to be the person "
                                       "people call first.")
    assert hrefs(vision) == ["vision.html"]
    values = section(page, "values")
    assert [text(li) for li in values.select(".iv-hard li")] == ["Growing pay"]
    assert [text(li) for li in values.select(".iv-soft li")] == ["Thrive: In small teams."]

    goals = section(page, "goals")
    long_block, other = goals.select(".iv-goal")
    assert hrefs(long_block.find("h3")) == ["goals/lead.html"]
    own = text(long_block.find("p"))
    assert "By 31 Dec 2029" in own
    assert "Next milestone: First hire, due 31 Mar 2027." in own  # earliest open one
    assert "Under way: Ask for a team." in own
    steps = long_block.select(".iv-steps > li")
    assert [hrefs(li)[0] for li in steps] == ["goals/mentor.html"]  # not dropped, achieved
    assert "due 31 Oct 2026 overdue" in text(steps[0])
    assert "Under way: One; Two (and 2 more)." in text(steps[0])
    assert text(other.find("h3")) == "Other short-term goals"
    assert [hrefs(li)[0] for li in other.select(".iv-steps > li")] == ["goals/loose.html"]
    assert "paused" in text(other)

    areas = [a.get_text() for a in section(page, "development").find_all("a")]
    assert areas == ["coaching", "hiring"]  # two open goals need coaching
    assert hrefs(section(page, "development")) == [
        "development.html#dev-coaching", "development.html#dev-hiring"]
    assert "To get there I am developing coaching and hiring." in text(section(page, "development"))

    evidence = section(page, "evidence")
    assert text(evidence.select_one(".iv-reviews")) == (
        "I have held 3 reviews of my plan since 1 Oct 2026; the latest on 21 Nov 2026 "
        "(10 days ago). That is one about every 26 days; my plan asks for one every 30 days.")
    assert hrefs(evidence.select_one(".iv-achieved")) == ["goals/done.html"]
    assert "(20 May 2026)" in text(evidence.select_one(".iv-achieved"))
    assert text(evidence.select_one(".iv-counts")) == (
        "2 of 5 milestones done, and 1 of 6 actions.")

    for path in (out / "interview.html", out / "index.html"):
        assert "SECRET" not in path.read_text(encoding="utf-8")


def test_private_build_shows_the_private_goal(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, PLAN)
    assert cli("build", "--project", tmp_path, "--private").code == 0
    goals = section(soup(tmp_path / "output" / "interview.html"), "goals")
    assert "goals/secret.html" in hrefs(goals)


def test_empty_plan_says_what_is_missing(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"plans/notes/readme.md": "# Hello\n"})
    assert cli("build", "--project", tmp_path).code == 0
    page = soup(tmp_path / "output" / "interview.html")
    assert text(section(page, "vision")) == (
        "Where I am heading No vision yet: write it in plans/vision.md.")
    assert page.find("section", id="iv-values") is None
    assert "No open long-term goal yet" in text(section(page, "goals"))
    assert "No development areas yet" in text(section(page, "development"))
    evidence = section(page, "evidence")
    assert text(evidence.select_one(".iv-reviews")) == (
        "No review held yet; my plan asks for one every 30 days.")
    assert text(evidence.select_one(".iv-achieved")) == "No goal achieved yet."


def test_vision_without_pitch_uses_its_first_sentences_and_no_private_block(
        tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {
        "plans/vision.md": """\
            ---
            title: V
            ---
            ## Heading first

            ::: private
            SECRET-FIRST. It comes first in the file.
            :::

            One short sentence. Two is here. Three [[g]] follows! Four is left out.
            """,
        "plans/goals/g.md": "---\ntitle: G\nhorizon: long\ntarget: 2030\nprivate: true\n---\n",
    })
    assert cli("build", "--project", tmp_path).code == 0
    pitch = text(section(soup(tmp_path / "output" / "interview.html"), "vision").find("p"))
    assert pitch == "One short sentence. Two is here. Three private follows!"


# -- the pieces ---------------------------------------------------------------------------


def test_sentences_and_pitch() -> None:
    assert sentences("It is 3.5 MSEK. Then 2029 comes! Is it? “Yes.” ok") == [
        "It is 3.5 MSEK.", "Then 2029 comes!", "Is it?", "“Yes.” ok"]
    assert sentences('She said "Go." Then (quietly) left. Åsa came.') == [
        'She said "Go."', "Then (quietly) left.", "Åsa came."]
    assert sentences("e.g. this one. ") == ["e.g. this one."]
    assert first_sentence("  A value.\n  More. ") == "A value."
    long = " ".join(["Word"] * 30)
    html = f"<h2>x</h2><p>{long}. {long}. {long}.</p><ul><li><p>nested. no.</p></li></ul>"
    assert pitch_from_html(html) == f"{long}. {long}."
    assert pitch_from_html("<p>A. B.</p><p>C. D.</p>") == "A. B. C."
    assert pitch_from_html("<p>Only one &amp; <a href='x'>link</a></p>") == "Only one & link"
    assert pitch_from_html("") == ""
