"""Slugs and URLs (FORMAT.md "A project" and "Precise rules", URLs)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from careersite.urls import (
    GENERATED_PAGES,
    goal_url,
    note_url,
    relative_url,
    review_url,
    slug_path,
    slugify_part,
)


@pytest.mark.parametrize(("text", "slug"), [
    ("first-deal", "first-deal"),
    ("Plan", "plan"),
    ("Första affären", "forsta-affaren"),
    ("Åsa", "asa"),
    ("café", "cafe"),
    ("Straße", "strasse"),
    ("STRASSE", "strasse"),
    ("ẞ", "ss"),
    ("Ørsted", "orsted"),
    ("Færøerne", "faeroerne"),
    ("Œuvre", "oeuvre"),
    ("Łódź", "lodz"),
    ("Đakovo", "dakovo"),
    ("Þórshöfn", "thorshofn"),
    ("Müller", "muller"),
    ("naïve résumé", "naive-resume"),
    ("İstanbul", "istanbul"),
    ("ﬁnal", "final"),
    ("v1.2 (draft)", "v1-2-draft"),
    ("  a -- b  ", "a-b"),
    ("_x_", "x"),
    ("2027-Q2", "2027-q2"),
])
def test_slugify_part(text: str, slug: str) -> None:
    assert slugify_part(text) == slug


@pytest.mark.parametrize("text", ["café", "Åsa Öberg", "한국어", "Ǿ", "ﬁ x"])
def test_nfc_and_nfd_give_the_same_slug(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", text)
    assert nfc != nfd or text == "ﬁ x"
    assert slugify_part(nfc) == slugify_part(nfd)
    assert slug_path(f"a/{nfc}") == slug_path(f"a/{nfd}")


def test_collisions_the_model_must_report() -> None:
    assert slug_path("Plan") == slug_path("plan")
    assert slug_path("strasse") == slug_path("straße")


@pytest.mark.parametrize("name", ["con", "CON", "prn", "aux", "Nul", "com1", "com9",
                                  "lpt1", "LPT9", "com0", "lpt0"])
def test_reserved_device_names_get_a_suffix(name: str) -> None:
    assert slugify_part(name) == name.lower() + "-"
    assert slug_path(f"{name}/{name}") == f"{name.lower()}-/{name.lower()}-"
    assert goal_url(name) == f"goals/{name.lower()}-.html"


@pytest.mark.parametrize(("text", "slug"), [
    ("con.txt", "con-txt"),  # no dot survives, so the slug is not a device name
    ("console", "console"),
    ("com10", "com10"),
    ("com¹", "com1-"),  # superscript one, as Windows also reserves it
    ("aux-notes", "aux-notes"),
])
def test_near_reserved_names(text: str, slug: str) -> None:
    assert slugify_part(text) == slug


def test_empty_part_becomes_a_stable_hash() -> None:
    slug = slugify_part("日本")
    assert re.fullmatch(r"x-[0-9a-f]{8}", slug)
    assert slugify_part("日本") == slug
    assert slugify_part("中国") != slug
    assert slugify_part("!!!") != slugify_part("???")
    assert slugify_part("План") == slugify_part("план")
    assert slug_path("notes/日本") == f"notes/{slug}"


def test_long_part_is_cut_with_a_stable_hash() -> None:
    long = "Mål " * 40  # 160 characters
    slug = slugify_part(long)
    assert len(slug) <= 100
    assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}", slug)
    assert slug.startswith("mal-mal-")
    assert slugify_part(long) == slug
    assert slugify_part(unicodedata.normalize("NFD", long)) == slug
    other = "Mål " * 39 + "Mal2"
    assert slugify_part(other) != slug
    exactly = "a" * 100
    assert slugify_part(exactly) == exactly
    assert len(slugify_part("a" * 101)) <= 100


def test_slugs_use_only_the_url_alphabet() -> None:
    for text in ["Å/ä/ö", "a b/c?d#e", "x%20y", "tab\there", "emoji 🎯 goal", "..", "."]:
        assert re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)*", slug_path(text)), text


def test_page_urls() -> None:
    assert goal_url("sales/First Deal") == "goals/sales/first-deal.html"
    assert review_url("2027-01-15") == "reviews/2027-01-15.html"
    assert note_url("notes/Läsning") == "notes/lasning.html"
    assert note_url("timeline") in GENERATED_PAGES
    assert goal_url("index") in GENERATED_PAGES
    assert note_url("Index") in GENERATED_PAGES
    assert goal_url("timeline") not in GENERATED_PAGES


def test_generated_pages() -> None:
    assert GENERATED_PAGES == {
        "index.html", "vision.html", "timeline.html", "history.html", "development.html",
        "interview.html", "404.html", "goals/index.html", "reviews/index.html",
        "feed.xml", "calendar.ics", "plan.json", "sitemap.xml",
    }


@pytest.mark.parametrize(("src", "dst", "rel"), [
    ("index.html", "goals/a.html", "goals/a.html"),
    ("goals/a.html", "index.html", "../index.html"),
    ("goals/a/b.html", "index.html", "../../index.html"),
    ("goals/a/b.html", "goals/a/c.html", "c.html"),
    ("goals/a/b.html", "goals/a/b.html", "b.html"),
    ("goals/a.html", "goals/b.html", "b.html"),
    ("goals/a/b.html", "reviews/x.html", "../../reviews/x.html"),
    ("goals/a/b.html", "goals/c.html", "../c.html"),
    ("goals/a.html", "goals/a/b.html", "a/b.html"),
    ("goals/ab/x.html", "goals/a/y.html", "../a/y.html"),
    ("notes/x.html", "notes/sub/y.html", "sub/y.html"),
    ("a.html", "docs/my cv.pdf", "docs/my cv.pdf"),  # callers quote asset URLs
    ("goals/a.html", "bilder/åsa.png", "../bilder/åsa.png"),
    ("index.html", "", "./"),
    ("goals/a.html", "", "../"),
    ("goals/a.html", "goals/", "./"),
])
def test_relative_url(src: str, dst: str, rel: str) -> None:
    assert relative_url(src, dst) == rel


def test_relative_url_refuses_absolute_paths() -> None:
    with pytest.raises(ValueError):
        relative_url("/goals/a.html", "index.html")
    with pytest.raises(ValueError):
        relative_url("goals/a.html", "/index.html")
