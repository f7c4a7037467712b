"""Swedish interface: catalogs, dates, and no English left on Swedish pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import write_po
from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString
from conftest import ROOT, soup, write_tree

from careersite import catalog
from careersite.i18n import Localizer, localizer

WORD = re.compile(r"[^\W\d_]+")
ENUM_VALUES = {"long", "short", "planned", "active", "achieved", "dropped", "paused", "true",
               "false"}
"""Frontmatter values that are keywords, not the user's own words."""


def sv_catalog() -> dict[str, str]:
    """msgid (singular and plural) -> msgstr of the Swedish catalog, as shipped."""
    found: dict[str, str] = {}
    for m in catalog.read_catalog(catalog.po_path("sv"), "sv"):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, list | tuple) else (m.id,)
        strings = m.string if isinstance(m.string, list | tuple) else (m.string,)
        for i, msgid in enumerate(ids):
            found[msgid] = strings[min(i, len(strings) - 1)]
    return found


def visible_texts(page: BeautifulSoup, *, bodies: bool = True) -> Iterator[str]:
    """Every text a reader sees or hears: text nodes and the labelling attributes.

    bodies=False leaves out the rendered Markdown bodies (`.body`): the user's own text."""
    for node in page.find_all(string=True):
        if isinstance(node, PreformattedString) or not isinstance(node, NavigableString):
            continue  # comments, the doctype
        if node.parent is not None and node.parent.name in ("script", "style", "template"):
            continue
        if not bodies and node.find_parent(class_="body") is not None:
            continue
        if node.strip():
            yield node.strip()
    for tag in page.find_all(True):
        for attr in ("aria-label", "title", "alt", "placeholder"):
            value = tag.get(attr)
            if isinstance(value, str) and value.strip():
                yield value.strip()
        if tag.name == "meta" and tag.get("name", tag.get("property")) in (
                "description", "og:title", "og:description"):
            yield str(tag.get("content", ""))


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def build(cli, project: Path, *args: str) -> Path:  # type: ignore[no-untyped-def]
    run = cli("build", "--project", project, *args)
    assert run.code == 0, run.err
    return project / "output"


# -- the catalog --------------------------------------------------------------------------


def test_every_interface_string_has_a_swedish_translation_and_the_mo_is_current() -> None:
    """Extracts the strings of the current templates and code: a new one must be translated
    (scripts/i18n.sh, then fill in careersite/locale/sv/LC_MESSAGES/careersite.po)."""
    assert catalog.problems("sv") == []


def test_problems_names_an_untranslated_string_and_a_stale_mo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(catalog.LOCALE_DIR, locale)
    monkeypatch.setattr(catalog, "LOCALE_DIR", locale)
    extra = write_tree(tmp_path, {"templates/extra.html": '<p>{{ _("A brand new string") }}</p>\n'})
    real_sources = catalog.sources
    monkeypatch.setattr(catalog, "sources", lambda: [
        *real_sources(), ("jinja2.ext:babel_extract", extra / "templates" / "extra.html")])
    mo = str(catalog.mo_path("sv"))

    def found() -> list[str]:
        return [p for p in catalog.problems("sv") if "brand new" in p or p.startswith(mo)]

    assert found() == ["extra.html:1: no sv translation for 'A brand new string'"]
    po = catalog.read_catalog(catalog.po_path("sv"), "sv")
    po.add("A brand new string", "En helt ny sträng")
    with catalog.po_path("sv").open("wb") as f:
        write_po(f, po)
    assert found() == [f"{mo}: older than careersite.po; run scripts/i18n.sh"]
    catalog.compile_mo("sv")
    assert found() == []


def test_catalog_holds_the_methods_swedish_words() -> None:
    sv = sv_catalog()
    assert [sv[s] for s in ("planned", "active", "achieved", "dropped", "paused")] == [
        "planerat", "aktivt", "uppnått", "avbrutet", "pausat"]
    assert sv["private"] == "privat"
    assert sv["Private"] == "Privat"
    assert sv["Hard values"] == "Hårda värden"
    assert sv["Soft values"] == "Mjuka värden"
    assert sv["Long-term (3–5 years)"] == "Långsiktiga mål (3–5 år)"
    assert sv["Short-term (6–12 months)"] == "Kortsiktiga mål (6–12 månader)"
    assert sv["Milestones"] == "Delmål"
    assert sv["Action plan"] == "Handlingsplan"
    assert sv["Review"] == "Avstämning"


# -- dates ---------------------------------------------------------------------------------


def test_swedish_dates_and_relative_days() -> None:
    sv = localizer("sv")
    assert sv.format_date(dt.date(2027, 6, 30)) == "30 juni 2027"
    assert sv.format_date(dt.date(2026, 9, 4)) == "4 september 2026"
    assert sv.format_date(None) == ""
    assert [sv.days_ago(n) for n in (12, 1, 0, -1, -3, 400)] == [
        "för 12 dagar sedan", "i går", "i dag", "i morgon", "om 3 dagar", "för 400 dagar sedan"]


def test_english_dates_stay_as_they_were() -> None:
    en = localizer("en")
    assert en.format_date(dt.date(2027, 6, 30)) == "30 Jun 2027"
    assert [en.days_ago(n) for n in (12, 1, 0, -1, -3)] == [
        "12 days ago", "yesterday", "today", "tomorrow", "in 3 days"]
    assert en.gettext("Goals") == "Goals"
    assert localizer("xx").language == "en"


def test_english_builds_never_import_babel(tmp_path: Path) -> None:
    write_tree(tmp_path, {"plans/goals/g.md": "---\ntitle: G\nhorizon: long\ntarget: 2030\n---\n"})
    script = textwrap.dedent(f"""
        import sys
        from careersite.cli import main
        code = main(["build", "--project", {str(tmp_path)!r}])
        assert code == 0, code
        print(sorted(m for m in sys.modules if m == "babel" or m.startswith("babel.")))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={"SOURCE_DATE_EPOCH": "1796083200",
                                            "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# -- the example plan in both languages -----------------------------------------------------


def example(tmp_path: Path, language: str) -> Path:
    project = tmp_path / language
    shutil.copytree(ROOT / "plans", project / "plans")
    toml = (ROOT / "careersite.toml").read_text(encoding="utf-8")
    toml = re.sub(r'(?m)^language = .*$', f'language = "{language}"', toml)
    (project / "careersite.toml").write_text(toml, encoding="utf-8")
    return project


def test_example_in_english_and_in_swedish(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    en = build(cli, example(tmp_path, "en"))
    sv = build(cli, example(tmp_path, "sv"))
    assert [p.relative_to(en) for p in html_pages(en)] == [p.relative_to(sv) for p in html_pages(sv)]
    translated = {msgid: msgstr for msgid, msgstr in sv_catalog().items() if msgid != msgstr}
    left: list[str] = []
    for page_path in html_pages(sv):
        page = soup(page_path)
        assert page.html is not None and page.html["lang"] == "sv", page_path
        assert soup(en / page_path.relative_to(sv)).html["lang"] == "en"  # type: ignore[index]
        for text in visible_texts(page, bodies=False):  # the example's bodies are English
            bare = text.strip(" :.,;()→—")
            if bare in translated or text in translated:
                left.append(f"{page_path.relative_to(sv)}: {text!r}")
    assert left == []

    index = soup(sv / "index.html")
    nav = [a.get_text() for a in index.select(".site-header nav a")]
    assert {"Översikt", "Mål", "Utveckling", "Avstämningar"} <= set(nav)
    review = index.find("section", class_="review-status")
    assert "27 november 2026 (för 4 dagar sedan)" in " ".join(review.get_text().split())
    assert index.find("a", href="interview.html").get_text(strip=True) == "Din plan som intervjusvar →"

    goal = soup(sv / "goals" / "account-plans.html")
    labels = [h.get_text(" ", strip=True) for h in goal.find_all(["h2", "dt"])]
    assert "Delmål (2/5)" in labels
    assert "Handlingsplan" in labels
    assert "Att utveckla" in labels
    assert goal.select_one(".goal-header .status").get_text(" ", strip=True).endswith("aktivt")
    assert "31 mars 2027" in goal.get_text()

    goals = soup(sv / "goals" / "index.html")
    assert [h.get_text() for h in goals.find_all("h2")][:2] == [
        "Långsiktiga mål (3–5 år)", "Kortsiktiga mål (6–12 månader)"]
    vision = soup(sv / "vision.html")
    assert [h.get_text() for h in vision.select(".values h2")] == ["Hårda värden", "Mjuka värden"]
    interview = soup(sv / "interview.html")
    assert interview.title is not None and interview.title.get_text().startswith("Intervjusvar")
    assert [h.get_text() for h in interview.select("section h2")] == [
        "Vart jag är på väg", "Det som är viktigt för mig",
        "Mina långsiktiga mål (3–5 år) och stegen dit", "Det jag utvecklar",
        "Så följer jag upp planen"]


# -- a plan in Swedish only: every word on every page is Swedish or the user's ---------------

SV_PLAN = {
    "careersite.toml": 'title = "Min karriärplan"\nauthor = "Åsa Öberg"\nlanguage = "sv"\n'
                       "review_every_days = 30\n",
    "plans/vision.md": """\
        ---
        title: Min vision
        updated: 2026-08-20
        hard_values:
          Lön: Högre lön varje år.
        soft_values:
          - Lugn och fokus.
        ---
        Jag vill leda ett team. Jag vill lära mig mycket, se [[hemlig]].
        """,
    "plans/goals/leda.md": """\
        ---
        title: Leda ett team
        horizon: long
        start: 2026-01
        target: 2029
        status: active
        milestones:
          - {title: Första rekryteringen, due: 2027-03, done: false}
          - {title: Kurs klar, due: 2026-05, done: 2026-05-02}
        develop: [ledarskap]
        tags: [ledning]
        private:
          chef: Bo Ek
        ---
        Mer om målet, se [[hemlig]] och [[kurs]].

        ::: private
        Bara för mig.
        :::

        ## Handlingsplan

        - [x] Prata med chefen
        - [ ] Boka kurs
        - [ ] Läsa bok
        - [ ] Fråga kollegor
        """,
    "plans/goals/kurs.md": """\
        ---
        title: Gå en kurs
        horizon: short
        parent: leda
        start: 2026-06
        target: 2027-01
        status: active
        milestones:
          - {title: Anmälan, due: 2026-10-01, done: false}
          - {title: Första dagen, due: 2026-12-20, done: false}
        develop: [ledarskap, coachning]
        ---
        - [ ] Anmäla mig
        """,
    "plans/goals/klar.md": """\
        ---
        title: Klar utbildning
        horizon: short
        parent: leda
        start: 2026-01
        target: 2026-06
        status: achieved
        achieved: 2026-05-20
        progress: 100
        ---
        - [x] Tenta
        """,
    "plans/goals/vila.md": """\
        ---
        title: Vilande mål
        horizon: short
        parent: leda
        start: 2026-03
        target: 2027-02
        status: paused
        ---
        - [ ] Senare
        """,
    "plans/goals/slut.md": """\
        ---
        title: Slopat mål
        horizon: short
        parent: leda
        start: 2026-03
        target: 2026-11
        status: dropped
        ---
        """,
    "plans/goals/plan.md": """\
        ---
        title: Planerat mål
        horizon: short
        parent: leda
        start: 2027-01
        target: 2027-09
        status: planned
        milestones:
          - {title: Start, due: 2027-02, done: false}
        ---
        """,
    "plans/goals/hemlig.md": """\
        ---
        title: HEMLIGT
        horizon: short
        parent: leda
        target: 2027
        private: true
        ---
        """,
    "plans/reviews/2026-10-20.md": """\
        ---
        title: Oktobermöte
        date: 2026-10-20
        mood: 3
        goals:
          kurs: {progress: 20, status: active, note: Långsamt}
        ---
        ## Vad gick bra

        Lite.
        """,
    "plans/reviews/2026-11-20.md": """\
        ---
        title: Novembermöte
        date: 2026-11-20
        mood: 4
        goals:
          kurs: {progress: 40, status: active, note: Bra fart}
          leda: {status: active}
        ---
        ## Vad gick bra

        Allt, se [[kurs]].
        """,
    "plans/anteckningar/kursen.md": "---\ntitle: Om kursen\n---\nText om kursen.\n",
}


def user_words(files: dict[str, str]) -> set[str]:
    """The words the user wrote: frontmatter values (keywords excepted), bodies, settings."""
    words: set[str] = set()
    for rel, content in files.items():
        text = textwrap.dedent(content)
        if rel.endswith(".toml"):
            words |= {w for line in text.splitlines() if "=" in line
                      for w in WORD.findall(line.split("=", 1)[1])}
            continue
        _, front, body = text.split("---\n", 2)

        def values(node: object, labels: bool = False) -> Iterator[str]:
            if isinstance(node, dict):
                for k, v in node.items():
                    if labels:  # value labels and private field names are shown too
                        yield str(k)
                    yield from values(v, k in ("hard_values", "soft_values", "private"))
            elif isinstance(node, list):
                for v in node:
                    yield from values(v)
            elif isinstance(node, str) and node not in ENUM_VALUES:
                yield node

        for value in values(yaml.safe_load(front)):
            words |= set(WORD.findall(value))
        words |= set(WORD.findall(re.sub(r"\[\[[^\]]*\]\]", "", body)))
    return {w.casefold() for w in words}


def swedish_words() -> set[str]:
    """Every word of the Swedish catalog, and of Swedish dates and relative days."""
    words = {w for s in sv_catalog().values() for w in WORD.findall(s)}
    sv: Localizer = localizer("sv")
    for month in range(1, 13):
        words |= set(WORD.findall(sv.format_date(dt.date(2026, month, 1))))
    for days in range(-800, 801):
        words |= set(WORD.findall(sv.days_ago(days)))
    return {w.casefold() for w in words} | {"careersite"}


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
def test_swedish_pages_have_no_word_outside_the_catalog_and_the_plan(
        tmp_path: Path, cli, private: bool) -> None:  # type: ignore[no-untyped-def]
    """Catches interface text that is not translated, or not marked with _() at all."""
    write_tree(tmp_path, SV_PLAN)
    out = build(cli, tmp_path, *(["--private"] if private else []))
    shown = {rel: text for rel, text in SV_PLAN.items() if private or "hemlig" not in rel}
    allowed = swedish_words() | user_words(shown)
    assert ("hemligt" in allowed) == private
    stray: dict[str, set[str]] = {}
    pages = html_pages(out)
    assert len(pages) >= 15
    for page_path in pages:
        page = soup(page_path)
        assert page.html is not None and page.html["lang"] == "sv", page_path
        for text in visible_texts(page):
            unknown = {w for w in WORD.findall(text) if w.casefold() not in allowed}
            if unknown:
                stray.setdefault(str(page_path.relative_to(out)), set()).update(unknown)
    assert stray == {}


def test_swedish_words_on_the_pages(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, SV_PLAN)
    out = build(cli, tmp_path)
    goals = soup(out / "goals" / "index.html")
    badges = {" ".join(s.get_text().split()) for s in goals.select(".status")}
    assert {b.split(" ", 1)[1] for b in badges} == {
        "aktivt", "uppnått", "pausat", "avbrutet", "planerat"}
    vision = soup(out / "vision.html").select_one(".vision-statement")
    assert vision is not None
    assert " ".join(vision.get_text().split()) == (
        "Jag vill leda ett team. Jag vill lära mig mycket, se privat.")
    leda = soup(out / "goals" / "leda.html")
    assert leda.select_one(".eyebrow").get_text() == "Långsiktiga mål (3–5 år)"  # type: ignore[union-attr]
    body = leda.select_one(".goal-body")
    assert body is not None and "se privat och Gå en kurs" in " ".join(body.get_text().split())
    everything = "".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in out.rglob("*") if p.is_file())
    for secret in ("HEMLIGT", "Bo Ek", "Bara för mig"):
        assert secret not in everything
    review = soup(out / "reviews" / "2026-11-20.html")
    assert [th.get_text() for th in review.select("thead th")] == [
        "Mål", "Framsteg", "Status", "Anteckning"]


def test_private_build_in_swedish(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, SV_PLAN)
    out = build(cli, tmp_path, "--private")
    leda = soup(out / "goals" / "leda.html")
    assert leda.select_one(".private-banner strong").get_text() == "Privat förhandsvisning"  # type: ignore[union-attr]
    assert leda.select_one(".private-fields h2").get_text() == "Privat"  # type: ignore[union-attr]
    assert "Bo Ek" in leda.select_one(".private-fields").get_text()  # type: ignore[union-attr]
    assert "HEMLIGT" in leda.get_text()  # the private goal is linked by its title here


def test_check_messages_stay_english(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {
        "careersite.toml": 'language = "sv"\n',
        "plans/goals/g.md": "---\ntitle: G\nhorizon: short\ntarget: 2027-03\n---\nSe [[saknas]].\n",
    })
    run = cli("check", "--project", tmp_path)
    assert run.code == 1
    assert run.lines == [
        "plans/goals/g.md:3:1: warning: short-term goal has no parent: which long-term goal "
        "does it lead to?",
        "plans/goals/g.md:6:4: error: broken link [[saknas]]: no goal, review or note has the "
        "id 'saknas'"]


def test_default_site_title_is_in_the_site_language(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path / "sv", {"careersite.toml": 'language = "sv"\n',
                                 "plans/notes/a.md": "# A\n"})
    write_tree(tmp_path / "en", {"plans/notes/a.md": "# A\n"})
    sv = soup(build(cli, tmp_path / "sv") / "index.html")
    en = soup(build(cli, tmp_path / "en") / "index.html")
    assert (sv.h1.get_text(), sv.title.get_text()) == ("Karriärplan", "Karriärplan")  # type: ignore[union-attr]
    assert (en.h1.get_text(), en.title.get_text()) == ("Career plan", "Career plan")  # type: ignore[union-attr]
