"""Hostile and broken input through the real CLI (FORMAT.md): located messages, never a
traceback, nothing private published, no partial file, the previous site kept."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, Run, site_files, soup, write_tree

from careersite import frontmatter
from careersite.urls import slugify_part

BASE = {
    "plans/goals/long.md": "---\ntitle: Long\nhorizon: long\ntarget: 2029\nstatus: active\n"
                           "---\n- [ ] act\n",
    "plans/goals/short.md": "---\ntitle: Short\nhorizon: short\ntarget: 2027-06\nparent: long\n"
                            "status: active\n---\n- [ ] act\n",
}
CANARY = "CANARY-HOSTILE-4d1f"
GOAL = "---\ntitle: G\nhorizon: short\ntarget: 2027-06\nparent: long\n"
"""A goal's first lines (1–5); its frontmatter goes on from line 6."""


def project(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """The base plan plus files (written as bytes, so nothing is dedented or re-encoded)."""
    write_tree(root, {k: v.encode() for k, v in BASE.items()})
    write_tree(root, {k: v if isinstance(v, bytes) else v.encode() for k, v in
                      (files or {}).items()})
    return root


def published(out: Path) -> str:
    """Every published file as text."""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in site_files(out))


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under out (careersite's own included), by relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def assert_refused(run: Run, out: Path, before: dict[str, bytes] | None = None) -> None:
    """The build reported errors, wrote nothing, and left any earlier site as it was."""
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert run.err.splitlines()[-1].startswith("careersite: nothing written (")
    if before is None:
        assert not out.exists()
    else:
        assert snapshot(out) == before


# --- frontmatter ------------------------------------------------------------------------

G = "plans/goals/g.md"
N = "plans/notes/n.md"
ALIAS_BOMB = "".join(
    [GOAL, 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    + ["---\n"])
BINARY = bytes(range(256)) * 4

FRONTMATTER_ERRORS = [
    ("python-tag", G, "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n",
     [f"{G}:1:1: error: missing required key 'horizon'",
      f"{G}:1:1: error: missing required key 'target'",
      f"{G}:2:8: error: YAML tags are not allowed (!!python/object/apply:os.system)",
      f"{G}:2:8: error: title: expected text, got a list"]),
    ("alias-bomb", G, ALIAS_BOMB,
     [f"{G}:6:4: error: YAML anchors and aliases are not allowed (&a)"]),
    ("coercions", G, "---\ntitle: NO\nhorizon: off\ntarget: 1:30\nstart: 01234\nstatus: 3.10\n"
                     "---\n",
     [f"{G}:2:8: error: title: expected text, got a boolean (NO); put it in quotes: \"NO\"",
      f"{G}:3:10: error: horizon: expected 'long' or 'short', got 'off'",
      f"{G}:4:9: error: target: expected a date such as 2027-06-30, got '1:30'",
      f"{G}:5:8: error: start: expected a date such as 2027-06-30, got '01234'",
      f"{G}:6:9: error: status: expected one of 'planned', 'active', 'achieved', 'dropped', "
      "'paused', got '3.10'"]),
    ("impossible-dates", G, "---\ntitle: G\nhorizon: short\ntarget: 2027-02-30\n"
                            "start: 2026-13\nparent: long\nmilestones:\n"
                            "  - {title: M, due: 2027-Q5}\n---\n",
     [f"{G}:4:9: error: target: expected a date such as 2027-06-30, got '2027-02-30'",
      f"{G}:5:8: error: start: expected a date such as 2027-06-30, got '2026-13'",
      f"{G}:8:21: error: milestone due: expected a date such as 2027-06-30, got '2027-Q5'"]),
    ("review-date-not-a-day", "plans/reviews/r.md", "---\ndate: 2026-11\n---\n",
     ["plans/reviews/r.md:2:7: error: date: expected a day such as 2027-06-30, got '2026-11'"]),
    ("tab", G, "---\ntitle: G\n\thorizon: short\n---\n",
     [f"{G}:3:1: error: YAML syntax error: found a tab character that violates indentation "
      "(while scanning a plain scalar); indent with spaces, YAML does not allow tabs there"]),
    ("duplicate-private", G, GOAL + "private: true\nprivate: false\n---\n",
     [f"{G}:7:1: error: duplicate key 'private' (first on line 6)"]),
    ("unclosed", G, GOAL + "private: true\n",
     [f"{G}:1:1: error: frontmatter starting with '---' is never closed: end it with a "
      "'---' line"]),
    ("dots-do-not-close", G, GOAL + "...\nprivate: false\n",
     [f"{G}:1:1: error: frontmatter starting with '---' is never closed: end it with a "
      "'---' line"]),
    ("dots-then-second-document", G, GOAL + "...\nprivate: false\n---\n",
     [f"{G}:7:1: error: YAML syntax error: did not find expected <document start>"]),
    ("toml", N, '+++\ntitle = "T"\n+++\n',
     [f"{N}:1:1: error: TOML frontmatter ('+++') is not supported: use a YAML block between "
      "'---' lines"]),
    ("a-list", N, "---\n- a\n- b\n---\n",
     [f"{N}:2:1: error: frontmatter must be a mapping of keys to values, got a list"]),
    ("a-scalar", N, "---\njust text\n---\n",
     [f"{N}:2:1: error: frontmatter must be a mapping of keys to values, got text "
      "('just text')"]),
    ("integer-and-date-keys", N, "---\n1: one\n2027-01-01: date\n---\n",
     [f"{N}:2:1: error: key must be text, got a number (1); put it in quotes: \"1\"",
      f"{N}:3:1: error: key must be text, got a date (2027-01-01); put it in quotes: "
      "\"2027-01-01\""]),
    ("latin-1", N, "---\ntitle: café\n---\n".encode("latin-1"),
     [f"{N}:2:11: error: not valid UTF-8: byte 0xe9 at byte offset 14"]),
    ("utf-16", N, "---\ntitle: x\n---\n".encode("utf-16"),
     [f"{N}:1:1: error: not valid UTF-8: byte 0xff at byte offset 0"]),
    ("binary", N, BINARY,
     [f"{N}:3:115: error: not valid UTF-8: byte 0x80 at byte offset 128"]),
    ("nul-in-a-value", N, '---\ntitle: "a\\0b"\n---\n',
     [f"{N}:2:8: error: control character U+0000 is not allowed in frontmatter"]),
    ("raw-nul", N, b"---\ntitle: a\x00b\n---\n",
     [f"{N}:2:9: error: control character U+0000 is not allowed in frontmatter"]),
    ("escaped-lone-surrogate", N, '---\ntitle: "\\ud800"\n---\n',
     [f"{N}:2:11: error: YAML syntax error: found invalid Unicode character escape code "
      "(while parsing a quoted scalar)"]),
    ("encoded-lone-surrogate", N, b"---\ntitle: \xed\xa0\x80\n---\n",
     [f"{N}:2:8: error: not valid UTF-8: byte 0xed at byte offset 11"]),
]


@pytest.mark.parametrize(("rel", "data", "expected"),
                         [pytest.param(r, d, e, id=i) for i, r, d, e in FRONTMATTER_ERRORS])
def test_broken_frontmatter_is_located_and_nothing_is_written(
        cli, tmp_path: Path, rel: str, data: str | bytes, expected: list[str]) -> None:
    project(tmp_path, {rel: data})
    run = cli("check", "--project", tmp_path)
    assert run.code == 1
    assert [x for x in run.lines if " error: " in x] == expected
    build = cli("build", "--project", tmp_path)
    assert_refused(build, tmp_path / "output")
    assert [x for x in build.lines if " error: " in x] == expected
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(("hostile", "refused"), [
    pytest.param(GOAL + f"private:\n  salary: &pay {CANARY}\ntags: [*pay]\n---\nPublic.\n", True,
                 id="alias-copies-a-private-value-into-a-public-key"),
    pytest.param(GOAL + f"private: &p {{salary: {CANARY}}}\nextra: *p\n---\nPublic.\n", True,
                 id="alias-copies-the-private-mapping"),
    pytest.param(GOAL + f"private: true\nprivate: false\n---\n{CANARY}\n", True,
                 id="private-false-after-private-true"),
    pytest.param(GOAL + f"private: true\nPrivate: false\n---\n{CANARY}\n", True,
                 id="near-miss-key-after-private-true"),
    pytest.param(GOAL + f"private: off\n---\n{CANARY}\n", True, id="private-off"),
    pytest.param(GOAL + f"private: 'false'\n---\n{CANARY}\n", True, id="private-quoted-false"),
    pytest.param(GOAL + f"private:\n---\n{CANARY}\n", True, id="private-without-value"),
    pytest.param(GOAL + f"private: true\n{CANARY}\n", True, id="unclosed-block"),
    # `...` ends the YAML document; the `---` after it closes the block: still private.
    pytest.param(GOAL + f"private: true\n...\n---\n{CANARY}\n", False,
                 id="dots-before-the-closing-fence"),
])
def test_a_privacy_mistake_never_publishes(cli, tmp_path: Path, hostile: str,
                                           refused: bool) -> None:
    project(tmp_path, {G: GOAL + "---\nThe public version.\n"})
    assert cli("build", "--project", tmp_path).code == 0
    out = tmp_path / "output"
    assert (out / "goals/g.html").is_file()
    before = snapshot(out)
    (tmp_path / G).write_text(hostile, encoding="utf-8")
    run = cli("build", "--project", tmp_path)
    if refused:
        assert_refused(run, out, before)
        assert any(x.startswith(f"{G}:") and " error: " in x for x in run.lines)
    else:
        assert run.code == 0, run.err
        assert not (out / "goals/g.html").exists()  # the document is private now
    assert CANARY not in published(out)


def test_alias_bomb_is_refused_at_once_in_flat_memory(cli, tmp_path: Path) -> None:
    project(tmp_path, {G: ALIAS_BOMB})
    cli("check", "--project", tmp_path)  # warm up imports and caches
    tracemalloc.start()
    started = time.perf_counter()
    run = cli("check", "--project", tmp_path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert run.code == 1
    assert elapsed < 2.0
    assert peak < 20_000_000  # a billion "lol"s would be gigabytes


NESTINGS = {
    "flow-lists": "x: " + "[" * 5000 + "]" * 5000 + "\n",
    "flow-mappings": "x: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
    "block-lists": "x:\n" + "- " * 5000 + "deep\n",
}


@pytest.mark.parametrize("name", list(NESTINGS))
def test_deep_nesting_gives_the_same_message_with_and_without_libyaml(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    project(tmp_path, {N: "---\n" + NESTINGS[name] + "---\n"})
    outputs = []
    loaders = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])
    for loader in loaders:
        monkeypatch.setattr(frontmatter, "DEFAULT_LOADER", loader)
        run = cli("check", "--project", tmp_path)
        assert run.code == 1
        outputs.append(run.lines)
    assert all(lines == outputs[0] for lines in outputs)
    [line] = [x for x in outputs[0] if x.startswith(N)]
    assert line.startswith(f"{N}:2:") or line.startswith(f"{N}:3:")
    assert line.endswith(": error: frontmatter is nested too deeply (more than 100 levels)")


def test_line_endings_bom_and_mixed_dates_build(cli, tmp_path: Path) -> None:
    dated = ("---\ntitle: Dated\nhorizon: short\nstart: 2026-01-15T23:30:00-08:00\n"
             "target: '2027-06'\nparent: long\nmilestones:\n"
             "  - {title: M1, due: 2027, done: 2026-03-01 10:00:00}\n"
             "  - {title: M2, due: '2026-Q4', done: false}\n---\nDated body.\n")
    project(tmp_path, {
        "plans/notes/bom-crlf.md": "\ufeff---\r\ntitle: Bom CRLF\r\n---\r\nBody one.\r\n"
                                   "- [x] done\r\n",
        "plans/notes/cr-only.md": "---\rtitle: CR only\r---\rBody two.\r",
        "plans/goals/dated.md": dated,
    })
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    out = tmp_path / "output"
    one, two = soup(out / "notes/bom-crlf.html"), soup(out / "notes/cr-only.html")
    assert one.find("h1").get_text() == "Bom CRLF"
    assert "Body one." in one.select_one("main").get_text()
    assert one.select_one("main input[type=checkbox]").has_attr("checked")
    assert two.find("h1").get_text() == "CR only"
    assert "Body two." in two.select_one("main").get_text()
    assert "---" not in two.select_one("main").get_text()
    page = soup(out / "goals/dated.html")
    times = [t["datetime"] for t in page.select(".facts time")]
    assert times[:2] == ["2026-01-15", "2027-06-30"]  # a datetime's date as written


def test_text_before_the_fence_is_body_text(cli, tmp_path: Path) -> None:
    project(tmp_path, {N: "Intro line.\n\n---\ntitle: Not frontmatter\n---\nRest.\n"})
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    main = soup(tmp_path / "output/notes/n.html").select_one("main")
    assert main.find("h1").get_text() == "n"  # no title: the file name
    text = main.get_text(" ", strip=True)
    assert "Intro line." in text and "title: Not frontmatter" in text and "Rest." in text


def test_a_fence_after_blank_lines_is_body_text_with_a_warning(cli, tmp_path: Path) -> None:
    project(tmp_path, {N: "\n\n---\ntitle: Late\n---\nRest.\n"})
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    assert run.lines == [f"{N}:3:1: warning: frontmatter must start on line 1: this '---' "
                         "block after blank lines is body text"]
    main = soup(tmp_path / "output/notes/n.html").select_one("main")
    assert main.find("h1").get_text() == "n"
    assert "title: Late" in main.get_text()
    assert cli("build", "--project", tmp_path, "--strict").code == 1


def test_unknown_content_and_format_characters_are_kept_as_written(cli, tmp_path: Path) -> None:
    title = "Bidi \u202eevil\u202c and zero\u200bwidth"
    project(tmp_path, {N: f'---\ntitle: "{title}"\ncontent: INJECTED\n---\nReal body '
                          "\u2067x\u2069 a\x00b.\n"})
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    page = soup(tmp_path / "output/notes/n.html")
    assert page.find("h1").get_text() == title
    body = page.select_one("main .body").get_text()
    assert "Real body \u2067x\u2069 a\ufffdb." in body  # NUL shown as U+FFFD
    assert "INJECTED" not in str(page.select_one("main"))  # `content:` is meta, not the body


# --- bodies -----------------------------------------------------------------------------

VECTORS = """\
<script>alert("s")</script> <SCRIPT SRC=//evil.example/x.js></SCRIPT>
<img src=x onerror=alert(1)> <iframe src="https://evil.example"></iframe>
<svg onload=alert(1)><circle r=1 /></svg> <!-- a comment -->
<a href="JaVaScRiPt:alert(1)">r1</a> <a href="&#106;avascript:alert(1)">r2</a>
<a href="jav&#x09;ascript:alert(1)">r3</a> <a href="vbscript:msgbox(1)">r4</a>
<a href="data:text/html,<b>x</b>">r5</a> <a href="file:///etc/passwd">r6</a>
<img src="data:text/html;base64,PHNjcmlwdD4="> <img src="file:///etc/passwd">

[m1](javascript:alert(1)) [m2](JAVASCRIPT:alert(1)) [m3](&#106;avascript:alert(1))
[m4](vbscript:msgbox(1)) [m5](data:text/html,x) [m6](file:///etc/passwd)
![i1](javascript:alert(1)) ![i2](data:text/html;base64,PHNjcmlwdD4=) ![i3](file:///etc/passwd)
<javascript:alert(1)> [ref]

[ref]: javascript:alert(1)

::: private
<script>alert("p")</script> [p1](javascript:alert(1))
:::
"""
SAFE_SCHEMES = ("http", "https", "mailto")


def assert_safe_page(page: BeautifulSoup) -> None:
    """No event handler or dangerous URL in a built page; nothing active from a body."""
    for body in page.select("main .body"):
        assert body.find_all(["script", "iframe", "svg", "object", "embed", "form", "style",
                              "math", "meta", "link", "base"]) == []
    assert all("alert(" not in script.get_text() for script in page.find_all("script"))
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            if name in ("href", "src"):
                head = value.strip().split("/", 1)[0]
                if ":" in head:
                    assert head.split(":", 1)[0].lower() in SAFE_SCHEMES, tag


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
def test_raw_html_and_dangerous_links_are_removed(cli, tmp_path: Path, private: bool) -> None:
    project(tmp_path, {N: f"---\ntitle: Vectors\n---\n{VECTORS}"})
    args = ("--private",) if private else ()
    run = cli("build", "--project", tmp_path, *args)
    assert run.code == 0, run.err
    for path in site_files(tmp_path / "output"):
        if path.suffix == ".html":
            assert_safe_page(soup(path))
    body = soup(tmp_path / "output/notes/n.html").select_one("main .body")
    text = body.get_text(" ", strip=True)
    for kept in ("r1", "r6", "m1", "m6", "i1", "i3"):
        assert kept in text  # a dropped link keeps its text
    assert "a comment" not in str(body)


def test_jinja_in_a_body_or_title_is_shown_literally(cli, tmp_path: Path) -> None:
    project(tmp_path, {
        N: '---\ntitle: "{{ 7*7 }} {% raw %}"\n---\n# Jinja {{ 6*7 }}\n\n'
           "{% include 'base.html' %} {{ site.title }} {# comment #} "
           "{{ cycler.__init__.__globals__ }}\n",
    })
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    page = soup(tmp_path / "output/notes/n.html")
    assert page.find("h1").get_text() == "{{ 7*7 }} {% raw %}"
    text = page.select_one("main .body").get_text(" ", strip=True)
    assert text == ("Jinja {{ 6*7 }} {% include 'base.html' %} {{ site.title }} "
                    "{# comment #} {{ cycler. init . globals }}")
    assert "49" not in page.get_text() and "42" not in page.get_text()


PATHOLOGICAL = {
    "cdata-96k": "<![CDATA[" * (96 * 1024 // 9),
    "quotes-3000-deep": ">" * 3000 + " deep\n",
    "line-300k": "a" * 300_000,
    "brackets-300k": "[" * 300_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_markdown_builds_within_a_second(cli, tmp_path: Path, name: str) -> None:
    project(tmp_path)
    assert cli("build", "--project", tmp_path, "--output", tmp_path / "warm").code == 0
    (tmp_path / N).parent.mkdir(parents=True)
    (tmp_path / N).write_text(PATHOLOGICAL[name], encoding="utf-8")
    started = time.perf_counter()
    run = cli("build", "--project", tmp_path)
    elapsed = time.perf_counter() - started
    assert run.code == 0, run.err
    assert elapsed < 1.0, f"{name}: {elapsed:.2f} s"
    assert_safe_page(soup(tmp_path / "output/notes/n.html"))


# --- files ------------------------------------------------------------------------------


def test_junk_hidden_and_linked_files(cli, tmp_path: Path) -> None:
    broken = "---\ntitle: [unclosed\n"
    project(tmp_path, {
        **{f"plans/goals/{name}": broken for name in
           ("g.md~", ".#g.md", "#g.md#", "g.md.swp", "g.md.bak", "g.md.tmp", "g.md.orig",
            ".hidden.md", ".git/x.md", ".obsidian/y.md")},
        "outside/secret.md": f"{CANARY}\n",
        "outside/dir/x.md": f"{CANARY}\n",
        "outside/leak.png": CANARY,
    })
    notes = tmp_path / "plans/notes"
    notes.mkdir()
    (notes / "out.md").symlink_to(tmp_path / "outside/secret.md")
    (notes / "outdir").symlink_to(tmp_path / "outside/dir")
    (notes / "leak.png").symlink_to(tmp_path / "outside/leak.png")
    (notes / "self.md").symlink_to("self.md")
    (notes / "dangling.md").symlink_to("nowhere.md")
    (notes / "loop").symlink_to("..")
    (notes / "inside.md").symlink_to("../goals/long.md")
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    assert [x for x in run.lines if x.startswith("plans/notes/")] == [
        "plans/notes/dangling.md:1:1: warning: symbolic link points nowhere: skipped",
        "plans/notes/leak.png:1:1: warning: symbolic link points outside the plans folder: "
        "skipped",
        "plans/notes/loop:1:1: warning: symbolic link makes a loop: skipped",
        "plans/notes/out.md:1:1: warning: symbolic link points outside the plans folder: "
        "skipped",
        "plans/notes/outdir:1:1: warning: symbolic link points outside the plans folder: "
        "skipped",
        "plans/notes/self.md:1:1: warning: symbolic link makes a loop: skipped",
    ]
    assert not [x for x in run.lines if x.startswith("plans/goals/") and "g.md" in x]
    out = tmp_path / "output"
    assert CANARY not in published(out)
    names = {p.relative_to(out).as_posix() for p in site_files(out)}
    assert "notes/inside.html" in names  # a link inside plans/ is followed
    assert soup(out / "notes/inside.html").find("h1").get_text() == "Long"
    assert not any(n.startswith(("goals/g", "goals/.", "notes/out", "notes/self",
                                 "notes/dangling", "notes/loop", "notes/leak")) for n in names)


def test_reserved_and_option_like_names(cli, tmp_path: Path) -> None:
    names = ["con", "AUX", "nul", "com1", "lpt9", "prn", "-p", "--output=x", "-"]
    project(tmp_path, {f"plans/notes/{n}.md": f"# Note {n}\n" for n in names})
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    out = tmp_path / "output"
    urls = {"con": "con-", "AUX": "aux-", "nul": "nul-", "com1": "com1-", "lpt9": "lpt9-",
            "prn": "prn-", "-p": "p", "--output=x": "output-x", "-": slugify_part("-")}
    for name, url in urls.items():
        assert soup(out / f"notes/{url}.html").find("h1").get_text() == f"Note {name}"
    footer = soup(out / "index.html").select(".notes-nav a")
    assert {a["href"] for a in footer} == {f"notes/{u}.html" for u in urls.values()}
    assert not (ROOT / "x.md").exists() and not (tmp_path / "x").exists()


def test_names_differing_by_case_or_normalisation_collide(cli, tmp_path: Path) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    project(tmp_path, {"plans/notes/Plan.md": "# A\n", "plans/notes/plan.md": "# B\n",
                       f"plans/notes/{nfc}.md": "# C\n", f"plans/notes/{nfd}.md": "# D\n",
                       "plans/notes/strasse.md": "# E\n", "plans/notes/straße.md": "# F\n",
                       "plans/timeline.md": "# G\n", "plans/goals/index.md": GOAL + "---\n"})
    run = cli("build", "--project", tmp_path)
    assert_refused(run, tmp_path / "output")
    notes = "plans/notes"
    assert [x for x in run.lines if " error: " in x] == [
        "plans/goals/index.md:1:1: error: this page's URL goals/index.html is taken by a "
        "generated page; rename the file",
        f"{notes}/Plan.md:1:1: error: URL notes/plan.html collides with {notes}/plan.md; "
        "rename one of them",
        f"{notes}/{nfd}.md:1:1: error: URL notes/cafe.html collides with {notes}/{nfc}.md; "
        "rename one of them",
        f"{notes}/{nfc}.md:1:1: error: URL notes/cafe.html collides with {notes}/{nfd}.md; "
        "rename one of them",
        f"{notes}/plan.md:1:1: error: URL notes/plan.html collides with {notes}/Plan.md; "
        "rename one of them",
        f"{notes}/strasse.md:1:1: error: URL notes/strasse.html collides with "
        f"{notes}/straße.md; rename one of them",
        f"{notes}/straße.md:1:1: error: URL notes/strasse.html collides with "
        f"{notes}/strasse.md; rename one of them",
        "plans/timeline.md:1:1: error: this page's URL timeline.html is taken by a generated "
        "page; rename the file",
    ]


# --- the output folder ------------------------------------------------------------------


@pytest.mark.parametrize("where", ["root", "home", "symlink", "file", "cache", "project",
                                   "plans", "inside-plans", "foreign"])
def test_unsafe_output_folders_are_refused(cli, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    root = project(tmp_path / "proj")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "target", target_is_directory=True)
    (tmp_path / "a-file").write_text("mine")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign/index.html").write_text("mine")
    targets = {
        "root": (Path("/"), "the file system root /"),
        "home": (home, f"the home folder {home}"),
        "symlink": (tmp_path / "link", f"{tmp_path / 'link'}: it is a symbolic link"),
        "file": (tmp_path / "a-file", f"{tmp_path / 'a-file'}: it is not a folder"),
        "cache": (root / ".careersite", "careersite's cache folder"),
        "project": (root, f"the project root {root}"),
        "plans": (root / "plans", f"the plans folder {root / 'plans'}"),
        "inside-plans": (root / "plans/goals", "inside the plans folder"),
        "foreign": (tmp_path / "foreign", "the folder is not empty and careersite did not "
                                          "create it"),
    }
    target, reason = targets[where]
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    run = cli("build", "--project", root, "--output", target)
    assert run.code == 2
    assert run.err.startswith("careersite: error: refusing to write the site into ")
    assert reason in run.err
    assert "Traceback" not in run.err
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
    assert list((tmp_path / "target").iterdir()) == []


KILLED_BUILD = """
import os, sys, time
from careersite.cli import main

out, stop_at = os.path.realpath(sys.argv[1]), int(sys.argv[2])
real_write, calls = os.write, [0]

def write(fd, data):
    if os.readlink(f"/proc/self/fd/{fd}").startswith(out + os.sep):
        calls[0] += 1
        if calls[0] == stop_at:  # write half of this page, then wait to be killed
            real_write(fd, bytes(data[: len(data) // 2]))
            print("half", flush=True)
            time.sleep(120)
    return real_write(fd, data)

os.write = write
sys.exit(main(["build", "--project", sys.argv[3], "--output", sys.argv[1]]))
"""


def many_goals(root: Path, version: str, n: int = 30) -> None:
    files = {f"plans/goals/g{i:02}.md": f"{GOAL}---\n{version} goal {i}. " + "word " * 400
             + "\n" for i in range(n)}
    project(root, files)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_sigkill_during_a_build_leaves_complete_files_only(tmp_path: Path) -> None:
    root, out = tmp_path / "proj", tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def build(dest: Path) -> None:
        proc = subprocess.run([sys.executable, "-m", "careersite", "build", "--project",
                               str(root), "--output", str(dest)],
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr

    many_goals(root, "old")
    build(out)
    build(tmp_path / "ref-old")
    old = snapshot(out)
    many_goals(root, "new")
    build(tmp_path / "ref-new")
    ref_old, ref_new = snapshot(tmp_path / "ref-old"), snapshot(tmp_path / "ref-new")
    script = tmp_path / "killed.py"
    script.write_text(KILLED_BUILD)
    proc = subprocess.Popen([sys.executable, str(script), str(out), "12", str(root)],
                            stdout=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "half\n"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and any worker it forked
        proc.wait(timeout=30)
    killed = snapshot(out)
    temps = [p for p in killed if p.rpartition("/")[2].startswith(".careersite-tmp-")]
    assert len(temps) == 12  # 11 pages staged and a half-written one, all under temp names
    pages = {p: d for p, d in killed.items() if not p.rpartition("/")[2].startswith(".")}
    # Killed while its pages were being staged, the build changed no file of the site.
    assert pages == {p: d for p, d in old.items() if not p.rpartition("/")[2].startswith(".")}
    assert any(ref_new[p] != ref_old[p] for p in pages)

    build(out)  # the next build finishes the job and cleans up
    final = snapshot(out)
    assert not [p for p in final if p.rpartition("/")[2].startswith(".careersite-tmp-")]
    assert {p: d for p, d in final.items() if not p.rpartition("/")[2].startswith(".")} == \
        {p: d for p, d in ref_new.items() if not p.rpartition("/")[2].startswith(".")}


LIST_FILES = """
import hashlib, json, pathlib, sys
root = pathlib.Path(sys.argv[1])
print(json.dumps({p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in root.rglob("*") if p.is_file()}))
"""
ON_A_TINY_DISK = """
mount -t tmpfs -o size=48k careersite-full "$1" || exit 97
"$2" -m careersite build --project "$3" --output "$1/site"
echo "exit=$?" >&2
"$2" -c "$4" "$1/site"
"""


def test_a_full_disk_is_reported_clearly(cli, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "proj"
    many_goals(root, "v", 12)
    mount = tmp_path / "mnt"
    mount.mkdir()
    proc = None
    if shutil.which("unshare"):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                               ON_A_TINY_DISK, "sh", str(mount), sys.executable, str(root),
                               LIST_FILES], capture_output=True, text=True, env=env,
                              timeout=120)
    if proc is not None and proc.returncode == 0:
        # A real full file system: a 48 KiB tmpfs in a private mount namespace.
        err = proc.stderr
        assert err.splitlines()[-1] == "exit=2", err
        on_disk: dict[str, str] = json.loads(proc.stdout)
    else:  # no mount namespaces here: the disk fills up after a few files
        real_write, calls = os.write, [0]

        def write(fd: int, data: bytes) -> int:
            calls[0] += 1
            if calls[0] > 6:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", write)
        run = cli("build", "--project", root, "--output", tmp_path / "site")
        monkeypatch.undo()
        assert run.code == 2
        err = run.err
        on_disk = {p: hashlib.sha256(d).hexdigest()
                   for p, d in snapshot(tmp_path / "site").items()}
    [message] = [x for x in err.splitlines() if x.startswith("careersite: error:")]
    assert message.startswith("careersite: error: no space left on the device while writing ")
    assert message.endswith(" bytes): free some space and build again; files already on disk "
                            "are complete (old or new)")
    assert "Traceback" not in err
    assert not [p for p in on_disk if ".careersite-tmp-" in p]
    # Pages are staged first and moved into place only when all of them are: the disk
    # filled up while staging, so no page of this build reached the site.
    assert [p for p in on_disk if not p.rpartition("/")[2].startswith(".careersite")] == []


# --- fixes found by the checkers ---------------------------------------------------------


def test_task_checkboxes_are_labelled_by_their_text(cli, tmp_path: Path) -> None:
    project(tmp_path, {N: "- [x] Tight *item* [[long]]\n- [ ] Two\n  - [ ] Nested\n\n"
                          "Loose:\n\n- [ ] Loose one\n\n  More text.\n\n- [x] Loose two\n"})
    assert cli("build", "--project", tmp_path).code == 0
    body = soup(tmp_path / "output/notes/n.html").select_one("main .body")
    boxes = body.select("input[type=checkbox]")
    assert len(boxes) == 5
    labels = [box.find_parent("label") for box in boxes]
    assert [" ".join(label.get_text().split()) for label in labels] == [
        "Tight item Long", "Two", "Nested", "Loose one", "Loose two"]
    assert [box.has_attr("checked") for box in boxes] == [True, False, False, False, True]


def test_progress_from_a_review_builds_outside_git(cli, tmp_path: Path) -> None:
    # Found by test_property: goal.html took `|first` of an empty list (no git commits).
    project(tmp_path, {"plans/reviews/2026-11-20.md": "---\ndate: 2026-11-20\ngoals:\n"
                                                      "  short: {progress: 40}\n---\nOk.\n"})
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    page = soup(tmp_path / "output/goals/short.html")
    assert "40%" in page.select_one(".facts").get_text()


@pytest.mark.parametrize("opener", ["<pre>", "<div>"])
def test_a_private_block_swallowed_by_raw_html_stays_private(cli, tmp_path: Path,
                                                             opener: str) -> None:
    # An unclosed <pre> (or a <div> block with no blank line) makes the `::: private`
    # fence after it raw HTML text: that HTML is left out of the public build.
    project(tmp_path, {N: f"Public intro.\n\n{opener}\nraw\n::: private\n{CANARY}\n:::\n"})
    assert cli("build", "--project", tmp_path).code == 0
    main = soup(tmp_path / "output/notes/n.html").select_one("main .body")
    assert main.get_text(" ", strip=True) == "Public intro."
    assert CANARY not in published(tmp_path / "output")
    out = tmp_path / "private-site"
    assert cli("build", "--project", tmp_path, "--private", "--output", out).code == 0
    assert CANARY in soup(out / "notes/n.html").select_one("main .body").get_text()
