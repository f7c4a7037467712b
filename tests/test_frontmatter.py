"""Fences, decoding and the YAML event tree (careersite/frontmatter.py)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import yaml

from careersite.fields import MapNode, Scalar, SeqNode, to_python
from careersite.frontmatter import (
    NESTING_MESSAGE,
    decode_source,
    parse_yaml,
    read_frontmatter,
    split_frontmatter,
)

REL = "plans/goals/a.md"
LOADERS = [pytest.param(yaml.SafeLoader, id="SafeLoader")]
if yaml.__with_libyaml__:
    LOADERS.insert(0, pytest.param(yaml.CSafeLoader, id="CSafeLoader"))


def messages(data: bytes | str, loader: object = None) -> list[str]:
    raw = data.encode() if isinstance(data, str) else data
    return [str(d) for d in read_frontmatter(REL, raw, loader=loader).diagnostics]


# --- fences ----------------------------------------------------------------------------


def test_fences_split_frontmatter_from_body() -> None:
    split = split_frontmatter("---\ntitle: x\n---\n# Body\ntext\n")
    assert (split.yaml, split.body, split.body_line, split.problem) == (
        "title: x\n", "# Body\ntext\n", 4, None)


def test_fences_allow_trailing_spaces() -> None:
    split = split_frontmatter("---   \ntitle: x\n--- \t\nbody\n")
    assert (split.yaml, split.body, split.body_line) == ("title: x\n", "body\n", 4)


def test_dots_do_not_end_the_block() -> None:
    split = split_frontmatter("---\na: 1\n...\nb: 2\n---\nbody")
    assert split.yaml == "a: 1\n...\nb: 2\n"
    assert split.body_line == 6


def test_a_longer_dash_line_does_not_end_the_block() -> None:
    split = split_frontmatter("---\na: |\n  ----\n---\n")
    assert split.yaml == "a: |\n  ----\n"


def test_closing_fence_at_end_of_file_without_newline() -> None:
    split = split_frontmatter("---\na: 1\n---")
    assert (split.yaml, split.body, split.body_line) == ("a: 1\n", "", 4)


def test_empty_block_is_an_empty_mapping() -> None:
    fm = read_frontmatter(REL, b"---\n---\nbody\n")
    assert fm.readable and fm.present and fm.diagnostics == ()
    assert isinstance(fm.root, MapNode) and fm.root.items == {}
    assert (fm.body, fm.body_line) == ("body\n", 3)


def test_comment_only_block_is_an_empty_mapping() -> None:
    fm = read_frontmatter(REL, b"---\n# nothing yet\n\n---\n")
    assert fm.readable and isinstance(fm.root, MapNode) and fm.root.items == {}


def test_no_frontmatter_is_all_body() -> None:
    fm = read_frontmatter(REL, b"# Title\n\n---\n\nmore\n")
    assert (fm.root, fm.readable, fm.present) == (None, True, False)
    assert (fm.body, fm.body_line) == ("# Title\n\n---\n\nmore\n", 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+++\ntitle = 'x'\n+++\nbody\n",
         f"{REL}:1:1: error: TOML frontmatter ('+++') is not supported: use a YAML block "
         "between '---' lines"),
        ("---\ntitle: x\nbody\n",
         f"{REL}:1:1: error: frontmatter starting with '---' is never closed: end it with a "
         "'---' line"),
        ("---\ntitle: x\n...\nbody\n",
         f"{REL}:1:1: error: frontmatter starting with '---' is never closed: end it with a "
         "'---' line"),
        ("---", f"{REL}:1:1: error: frontmatter starting with '---' is never closed: end it "
                "with a '---' line"),
    ],
    ids=["toml", "unclosed", "dots-do-not-close", "only-a-fence"],
)
def test_fence_errors_are_at_line_1_and_never_become_body(text: str, expected: str) -> None:
    fm = read_frontmatter(REL, text.encode())
    assert [str(d) for d in fm.diagnostics] == [expected]
    assert (fm.root, fm.readable, fm.body) == (None, False, "")


# --- bytes -----------------------------------------------------------------------------


LF = b"---\ntitle: Caf\xc3\xa9\nlist:\n  - a\n---\n# Head\n\nline [x](y.md)\n"


@pytest.mark.parametrize(
    "data",
    [LF, b"\xef\xbb\xbf" + LF, LF.replace(b"\n", b"\r\n"), LF.replace(b"\n", b"\r")],
    ids=["lf", "bom", "crlf", "cr"],
)
def test_bom_and_line_endings_parse_like_lf(data: bytes) -> None:
    fm = read_frontmatter(REL, data)
    assert fm.diagnostics == ()
    assert fm.root is not None
    assert to_python(fm.root) == {"title": "Café", "list": ["a"]}
    title = fm.root.items["title"][1]
    assert isinstance(title, Scalar) and (title.line, title.col) == (2, 8)
    assert (fm.body, fm.body_line) == ("# Head\n\nline [x](y.md)\n", 6)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"---\ntitle: \xffx\n---\n",
         f"{REL}:2:8: error: not valid UTF-8: byte 0xff at byte offset 11"),
        (b"\xef\xbb\xbf---\ntitle: ok\n---\nline\r\nbad \xc3(",
         f"{REL}:5:5: error: not valid UTF-8: byte 0xc3 at byte offset 31"),
        (b"\xef\xbb\xbf\x80",
         f"{REL}:1:1: error: not valid UTF-8: byte 0x80 at byte offset 3"),
        (b"---\rtitle: ok\rx: \x80\r---\r",
         f"{REL}:3:4: error: not valid UTF-8: byte 0x80 at byte offset 17"),
        (b"a\xe9\xe9",
         f"{REL}:1:2: error: not valid UTF-8: byte 0xe9 at byte offset 1"),
    ],
    ids=["frontmatter", "body-after-bom-and-crlf", "right-after-bom", "cr-lines", "latin-1"],
)
def test_not_utf8_names_line_and_byte_offset(data: bytes, expected: str) -> None:
    fm = read_frontmatter(REL, data)
    assert [str(d) for d in fm.diagnostics] == [expected]
    assert (fm.root, fm.readable) == (None, False)


def test_over_one_mib_is_an_error_at_line_1() -> None:
    assert messages(b"a" * 1_048_577) == [
        f"{REL}:1:1: error: file is over 1 MiB (1,048,577 bytes; the limit is 1,048,576)"]


def test_exactly_one_mib_is_fine() -> None:
    text, diags = decode_source(REL, b"a" * 1_048_576)
    assert diags == [] and text is not None and len(text) == 1_048_576


def test_nul_in_the_body_is_not_an_error() -> None:
    fm = read_frontmatter(REL, b"---\ntitle: x\n---\na\x00b\n")
    assert fm.diagnostics == () and fm.body == "a\x00b\n"


# --- YAML ------------------------------------------------------------------------------


def test_scalars_keep_value_text_style_and_position() -> None:
    root, diags, ok = parse_yaml(REL, "a: NO\nb: 'NO'\nc: 1:30\nd: 2027-06-15\ne:\nf: |\n  x\n")
    assert ok and diags == [] and isinstance(root, MapNode)
    got = {k: (v.value, v.text, v.tag, v.plain, v.line, v.col)
           for k, (_, v) in root.items.items() if isinstance(v, Scalar)}
    assert got == {
        "a": (False, "NO", "bool", True, 2, 4),
        "b": ("NO", "NO", "str", False, 3, 4),
        "c": (90, "1:30", "int", True, 4, 4),
        "d": (dt.date(2027, 6, 15), "2027-06-15", "timestamp", True, 5, 4),
        "e": (None, "", "null", True, 6, 3),
        "f": ("x\n", "x\n", "str", False, 7, 4),
    }


def test_mappings_keep_order_and_key_positions() -> None:
    root, _, _ = parse_yaml(REL, "z: 1\na:\n  - {k: v}\n  - [1, 2]\n")
    assert isinstance(root, MapNode)
    assert list(root.items) == ["z", "a"]
    key, seq = root.items["a"]
    assert (key.line, key.col) == (3, 1)
    assert isinstance(seq, SeqNode) and (seq.line, seq.col) == (4, 3)
    assert to_python(root) == {"z": 1, "a": [{"k": "v"}, [1, 2]]}


def test_impossible_date_keeps_its_text() -> None:
    root, diags, _ = parse_yaml(REL, "d: 2027-02-30\n")
    assert diags == [] and isinstance(root, MapNode)
    node = root.items["d"][1]
    assert isinstance(node, Scalar) and (node.tag, node.value) == ("timestamp", "2027-02-30")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: b: c\n",
         ["2:5: error: YAML syntax error: mapping values are not allowed in this context"]),
        ("a:\n\tb: 1\n",
         ["3:1: error: YAML syntax error: found character that cannot start any token (while "
          "scanning for the next token); indent with spaces, YAML does not allow tabs there"]),
        ("- a\n",
         ["2:1: error: frontmatter must be a mapping of keys to values, got a list"]),
        ("just words\n",
         ["2:1: error: frontmatter must be a mapping of keys to values, got text ('just "
          "words')"]),
        ("a: 1\nb: 2\na: 3\n", ["4:1: error: duplicate key 'a' (first on line 2)"]),
        ("2027: a\n2027-06-01: b\ntrue: c\n? [x]\n: d\ncontent: fine\n",
         ['2:1: error: key must be text, got a number (2027); put it in quotes: "2027"',
          '3:1: error: key must be text, got a date (2027-06-01); put it in quotes: '
          '"2027-06-01"',
          '4:1: error: key must be text, got a boolean (true); put it in quotes: "true"',
          "5:3: error: key must be text, got a list"]),
        ("a: !!str x\nb: !!python/object:os.system y\nc: !local [1]\n",
         ["2:4: error: YAML tags are not allowed (!!str)",
          "3:4: error: YAML tags are not allowed (!!python/object:os.system)",
          "4:4: error: YAML tags are not allowed (!local)"]),
        ("a: &x 1\nb: *x\nc: &y 2\n",
         ["2:4: error: YAML anchors and aliases are not allowed (&x)"]),
        ("a: 1\nb: *nowhere\n",
         ["3:4: error: YAML anchors and aliases are not allowed (*nowhere)"]),
        ('a: "x\\x01y"\nb: "\\x7f"\n"\\x85k": v\n',
         ["2:4: error: control character U+0001 is not allowed in frontmatter",
          "3:4: error: control character U+007F is not allowed in frontmatter",
          "4:1: error: control character U+0085 is not allowed in frontmatter"]),
        ("a: x\x01y\nb: \x9f\n",
         ["2:5: error: control character U+0001 is not allowed in frontmatter",
          "3:4: error: control character U+009F is not allowed in frontmatter"]),
        ("a: 1\n--- x\n", ["3:1: error: frontmatter must be a single YAML document"]),
    ],
    ids=["syntax", "tab", "list", "scalar", "duplicate", "non-string-keys", "tags",
         "first-anchor", "alias", "escaped-controls", "raw-controls", "two-documents"],
)
def test_yaml_problems_are_located(text: str, expected: list[str]) -> None:
    assert messages("---\n" + text + "---\n") == [f"{REL}:{e}" for e in expected]


def test_lone_surrogate_is_an_error() -> None:
    # libyaml refuses the escape itself; the pure-Python parser builds the character.
    text = '---\na: "x\\ud800"\n---\n'
    assert messages(text, yaml.SafeLoader) == [
        f"{REL}:2:4: error: lone surrogate U+D800 is not allowed in frontmatter"]
    if yaml.__with_libyaml__:
        assert messages(text, yaml.CSafeLoader) == [
            f"{REL}:2:8: error: YAML syntax error: found invalid Unicode character escape "
            "code (while parsing a quoted scalar)"]


def test_format_characters_are_allowed() -> None:
    assert messages("---\ntitle: \"a\u200bb\u202ec\u2066d\u200d\"\nx: e\u200ff\n---\n") == []


def test_yaml_only_line_breaks_keep_file_positions() -> None:
    fm = read_frontmatter(REL, "---\na: 'x\u2028y'\nb: !!str z\n---\n".encode())
    assert [str(d) for d in fm.diagnostics] == [
        f"{REL}:3:4: error: YAML tags are not allowed (!!str)"]


def test_python_object_tag_is_never_constructed() -> None:
    text = "---\nx: !!python/object/apply:os.system ['exit 3']\n---\n"
    fm = read_frontmatter(REL, text.encode())
    assert [str(d) for d in fm.diagnostics] == [
        f"{REL}:2:4: error: YAML tags are not allowed (!!python/object/apply:os.system)"]
    assert fm.root is not None and to_python(fm.root) == {"x": ["exit 3"]}


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "2:103"),
        ("a: " + "{k: " * 5000 + "}" * 5000 + "\n", "2:400"),
        ("a:\n" + "- " * 5000 + "x\n", "3:199"),
        ("".join(" " * i + f"k{i}:\n" for i in range(1200)), "102:101"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "2:103"),
    ],
    ids=["flow-lists", "flow-maps", "block-lists", "block-maps", "just-over"],
)
def test_deep_nesting_gives_one_message_with_either_loader(
    loader: object, body: str, where: str
) -> None:
    started = time.perf_counter()
    assert messages("---\n" + body + "---\n", loader) == [f"{REL}:{where}: error: "
                                                           + NESTING_MESSAGE]
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("loader", LOADERS)
def test_nesting_up_to_the_limit_is_fine(loader: object) -> None:
    fm = read_frontmatter(REL, ("---\na: " + "[" * 99 + "]" * 99 + "\n---\n").encode(),
                          loader=loader)
    assert fm.diagnostics == () and fm.readable


@pytest.mark.parametrize("loader", LOADERS)
def test_brackets_in_quotes_and_comments_are_not_nesting(loader: object) -> None:
    text = ("---\na: '" + "[" * 300 + "'\nb: \"" + "{" * 300 + "\"\n# " + "[" * 300
            + "\nc: |\n  " + "[" * 300 + "\nd: x " + "[" * 300 + "\n---\n")
    assert messages(text, loader) == []


@pytest.mark.parametrize("loader", LOADERS)
def test_alias_bomb_returns_at_once(loader: object) -> None:
    lines = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for i in range(1, 20):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    started = time.perf_counter()
    diags = messages("---\n" + "\n".join(lines) + "\n---\n", loader)
    assert time.perf_counter() - started < 1
    assert diags == [f"{REL}:2:4: error: YAML anchors and aliases are not allowed (&a)"]


def test_broken_yaml_never_raises() -> None:
    for text in ["---\n[\n---\n", "---\n{a: 1, a: 2}\n---\n", "---\n? \n---\n",
                 "---\n%YAML 1.1\n---\n", "---\n&a\n---\n", "---\n!x\n---\n"]:
        fm = read_frontmatter(REL, text.encode())
        assert fm.diagnostics or fm.root is not None


def test_only_the_first_bad_character_of_a_line_is_reported() -> None:
    assert messages("---\na: \x01\x02\x03\nb: \x04\n---\n") == [
        f"{REL}:2:4: error: control character U+0001 is not allowed in frontmatter",
        f"{REL}:3:4: error: control character U+0004 is not allowed in frontmatter"]


SAME_AS_SAFE_LOAD = [
    "a: 1\nb: -0x1F\nc: 0o17\nd: 017\ne: 1_000\nf: 1:30:15\ng: .inf\nh: -.NaN\ni: 1.5e+3\n",
    "a: yes\nb: No\nc: ON\nd: off\ne: y\nf: ~\ng: null\nh: Null\ni:\nj: ''\n",
    "a: 2027-06-15\nb: 2027-06-15T10:00:00Z\nc: 2027-6-5 1:00:00\nd: 2027-06\ne: '2029'\n",
    "a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: \"esc\\tapes \\u00e9\"\n",
    "list:\n- {title: A, due: 2027-Q2, done: false}\n- [1, [2, {x: 3}]]\n- ? complex\n  : v\n",
    "k: v # comment\n'quoted key': 1\n\"other\": 2\nemoji: \U0001f680 ok\n",
]


@pytest.mark.parametrize("text", SAME_AS_SAFE_LOAD)
def test_tree_values_match_yaml_safe_load(text: str) -> None:
    root, diags, ok = parse_yaml(REL, text)
    assert ok and root is not None
    expected = yaml.safe_load(text)
    assert diags == [] and to_python(root) == expected


def test_flow_collections_in_quantity_are_not_mistaken_for_nesting() -> None:
    items = "".join(f'  - {{title: "Step \\"{i}\\" [x]", due: 2027-01-01, note: It\'s ok C#}}\n'
                    for i in range(150))
    text = f"milestones:\n{items}tags: [a, [b, {{c: d}}]]\ndesc: >\n  [[[[ {{{{\n  ]]\n"
    root, diags, ok = parse_yaml(REL, text)
    assert (diags, ok) == ([], True)
    assert root is not None and to_python(root) == yaml.safe_load(text)
