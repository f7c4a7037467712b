"""Every kind of plan error, through `careersite check`: exact message, file:line:col, exit 1."""

from __future__ import annotations

import pytest
from conftest import write_tree

LONG = ("---\ntitle: Long\nhorizon: long\nstart: 2026-01-01\ntarget: 2029-12-31\n"
        "status: active\n---\n- [ ] act\n")
HEAD = "---\ntitle: A\nhorizon: short\nparent: long\nstart: 2026-06-01\n"
G = "plans/goals/a.md"

CASES = [
    ("malformed-yaml", HEAD + "target: [2027\n---\n",
     f"{G}:7:1: error: YAML syntax error: did not find expected ',' or ']' "
     "(while parsing a flow sequence)"),
    ("not-closed", HEAD + "target: 2027-03-31\n",
     f"{G}:1:1: error: frontmatter starting with '---' is never closed: end it with a '---' line"),
    ("toml-fences", "+++\ntitle = 'A'\n+++\n",
     f"{G}:1:1: error: TOML frontmatter ('+++') is not supported: use a YAML block between "
     "'---' lines"),
    ("not-a-mapping", "---\n- a\n- b\n---\n",
     f"{G}:2:1: error: frontmatter must be a mapping of keys to values, got a list"),
    ("duplicate-key", HEAD + "target: 2027-03-31\ntarget: 2027-04-30\n---\n",
     f"{G}:7:1: error: duplicate key 'target' (first on line 6)"),
    ("yaml-tag", HEAD + "target: !!str 2027-03-31\n---\n",
     f"{G}:6:9: error: YAML tags are not allowed (!!str)"),
    ("anchor", HEAD + "target: &t 2027-03-31\n---\n",
     f"{G}:6:9: error: YAML anchors and aliases are not allowed (&t)"),
    ("not-utf8", (HEAD + "target: 2027-03-31\n---\ncaf\xe9\n").encode("latin-1"),
     f"{G}:8:4: error: not valid UTF-8: byte 0xe9 at byte offset 85"),
    ("missing-key", "---\ntitle: A\nhorizon: short\nparent: long\n---\n",
     f"{G}:1:1: error: missing required key 'target'"),
    ("coerced-no", "---\ntitle: NO\nhorizon: short\nparent: long\ntarget: 2027-03-31\n---\n",
     f"{G}:2:8: error: title: expected text, got a boolean (NO); put it in quotes: \"NO\""),
    ("bad-date", HEAD + "target: 2027-02-30\n---\n",
     f"{G}:6:9: error: target: expected a date such as 2027-06-30, got '2027-02-30'"),
    ("free-text-date", HEAD + "target: next year\n---\n",
     f"{G}:6:9: error: target: expected a date such as 2027-06-30, got 'next year'"),
    ("unknown-status", HEAD + "target: 2027-03-31\nstatus: done\n---\n",
     f"{G}:7:9: error: status: expected one of 'planned', 'active', 'achieved', 'dropped', "
     "'paused', got 'done'"),
    ("unknown-horizon", "---\ntitle: A\nhorizon: medium\nparent: long\ntarget: 2027-03-31\n---\n",
     f"{G}:3:10: error: horizon: expected 'long' or 'short', got 'medium'"),
    ("progress-range", HEAD + "target: 2027-03-31\nprogress: 150\n---\n",
     f"{G}:7:11: error: progress: expected a whole number from 0 to 100, got 150"),
    ("achieved-without-status", HEAD + "target: 2027-03-31\nstatus: active\nachieved: 2026-10-01\n---\n",
     f"{G}:8:1: error: achieved: only a goal with status 'achieved' has an achieved date "
     "(status is 'active')"),
    ("private-off", HEAD + "target: 2027-03-31\nprivate: off\n---\n",
     f"{G}:7:10: error: private: expected true, false or a mapping, got 'off'"),
    ("private-quoted", HEAD + "target: 2027-03-31\nprivate: \"false\"\n---\n",
     f"{G}:7:10: error: private: expected true, false or a mapping, got the quoted text "
     "\"false\"; write it without quotes"),
    ("private-near-miss", HEAD + "target: 2027-03-31\nprivat: true\n---\n",
     f"{G}:7:1: error: unknown key 'privat': did you mean 'private'? (a near miss of "
     "'private' is an error, so a mistake never publishes)"),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_is_reported_at_its_place(cli, tmp_path, name, text, expected):
    write_tree(tmp_path, {"plans/goals/long.md": LONG, G: text})
    run = cli("check", "--project", tmp_path)
    assert run.code == 1
    assert expected in run.lines
    assert run.err.rstrip().splitlines()[-1].startswith("careersite: 2 documents checked:")


def test_misspelt_key_is_a_warning(cli, tmp_path):
    write_tree(tmp_path, {"plans/goals/long.md": LONG,
                          G: HEAD + "target: 2027-03-31\ntagret: 2027\nstatus: active\n---\n- [ ] x\n"})
    run = cli("check", "--project", tmp_path)
    assert run.code == 0
    assert run.lines == [f"{G}:7:1: warning: unknown key 'tagret': did you mean 'target'?"]


@pytest.mark.parametrize("transform", [
    pytest.param(lambda t: "\ufeff" + t, id="bom"),
    pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
    pytest.param(lambda t: t.replace("\n", "\r"), id="cr-only"),
])
def test_bom_and_line_endings_parse_like_any_file(cli, tmp_path, transform):
    text = HEAD + "target: 2027-03-31\nstatus: active\nprogress: 150\n---\n- [ ] x\n"
    write_tree(tmp_path, {"plans/goals/long.md": LONG,
                          G: transform(text).encode("utf-8")})
    run = cli("check", "--project", tmp_path)
    assert run.lines == [f"{G}:8:11: error: progress: expected a whole number from 0 to 100, got 150"]


def test_all_problems_at_once_sorted(cli, tmp_path):
    write_tree(tmp_path, {
        "plans/goals/long.md": LONG,
        "plans/goals/b.md": HEAD + "target: someday\n---\n",
        G: HEAD + "target: 2027-03-31\nprogress: -1\n---\n",
    })
    run = cli("check", "--project", tmp_path)
    assert run.code == 1
    assert run.lines == [
        f"{G}:7:11: error: progress: expected a whole number from 0 to 100, got -1",
        "plans/goals/b.md:6:9: error: target: expected a date such as 2027-06-30, got 'someday'",
    ]
