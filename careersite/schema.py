"""JSON Schema (draft 2020-12) for the frontmatter of vision, goal and review documents.

The schemas say what careersite's validator (parse.py) says, as far as JSON Schema can see
it: editors validate and complete frontmatter as you type. What a schema cannot see is
YAML itself (tags, anchors, duplicate keys) and how a scalar was written (`NO` unquoted is
a boolean to careersite's YAML 1.1 reading, a string to a YAML 1.2 editor); `careersite
check` stays the authority. Dates are strings to an editor, so the date forms are patterns.

Only keywords that mean the same in draft-07 are used, since some editors' YAML language
servers still validate with draft-07 rules. The shipped files in careersite/schemas/ are
exactly `schemas()`; `careersite schema --output careersite/schemas` refreshes them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from careersite.documents import HORIZONS, STATUSES
from careersite.fields import edit_distance

KINDS = ("goal", "review", "vision")
DRAFT = "https://json-schema.org/draft/2020-12/schema"
Schema = dict[str, Any]

# Control characters careersite refuses in frontmatter (FORMAT.md, Precise rules: Scalars).
_NO_CONTROL = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufffe\\uffff]*$"
_YEAR = "(?!0000)[0-9]{4}"
_LEAP = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_DAY = (f"(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
        f"|{_LEAP}-02-29)")
# A YAML 1.1 timestamp's time part: careersite takes such a value as its calendar date.
_TIME = ("(?:(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
         "(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?")
DATE_PATTERN = (f"^\\s*(?:{_DAY}{_TIME}|{_YEAR}-(?:0[1-9]|1[0-2])|{_YEAR}-[Qq][1-4]"
                f"|{_YEAR})\\s*$")
DAY_PATTERN = f"^\\s*{_DAY}{_TIME}\\s*$"


def _edits(word: str) -> set[str]:
    """Every one-edit variant of a pattern; "." stands for any one character."""
    out: set[str] = set()
    for i in range(len(word)):
        out.add(word[:i] + word[i + 1:])
        out.add(word[:i] + "." + word[i + 1:])
    for i in range(len(word) + 1):
        out.add(word[:i] + "." + word[i:])
    for i in range(len(word) - 1):
        out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    return out


def _trie_regex(words: set[str]) -> str:
    """One regular expression matching exactly the given patterns (letters in any case)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [("." if c == "." else f"[{c}{c.upper()}]") + emit(node[c])
                    for c in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            body = body + "?" if len(branches) == 1 and len(body) <= 4 else f"(?:{body})?"
        return body

    return emit(trie)


@lru_cache(maxsize=1)
def private_like_pattern() -> str:
    """Keys careersite takes for a try at `private` (any case, edit distance 2 or less)."""
    one = _edits("private")
    two = set().union(*(_edits(w) for w in one))
    # Two edits in a row can touch one letter twice, which the distance careersite uses
    # (optimal string alignment) counts as three: keep only the real ones ("x" for any).
    kept = {w for w in {"private"} | one | two
            if edit_distance(w.replace(".", "x"), "private") <= 2}
    return "^" + _trie_regex(kept) + "$"


def _null_or(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _defs() -> Schema:
    text_or_list = {"anyOf": [_ref("text"), {"type": "array", "items": _ref("text")},
                              {"type": "null"}]}
    return {
        "text": {"type": "string", "pattern": _NO_CONTROL},
        "date": {
            "description": "A day (2027-06-15), a month (2027-06), a quarter (2027-Q2) or a "
                           "year (2027). As a target or due date a partial date means its "
                           "last day; as a start, its first day.",
            "anyOf": [{"type": "string", "pattern": DATE_PATTERN},
                      {"type": "integer", "minimum": 1000, "maximum": 9999}],
            "examples": ["2027-06-30", "2027-06", "2027-Q2", 2027],
        },
        "day": {"description": "A day, such as 2027-06-30.",
                "type": "string", "pattern": DAY_PATTERN},
        "value": {
            "description": "Any value; no control characters in text.",
            "pattern": _NO_CONTROL, "items": _ref("value"),
            "additionalProperties": _ref("value"), "propertyNames": {"pattern": _NO_CONTROL},
        },
        "textOrList": text_or_list,
        "privateLike": {"pattern": private_like_pattern()},
        "notPrivateLike": {"not": {"pattern": private_like_pattern()}},
        "private": {
            "description": "true leaves the whole document out of a public build; a mapping "
                           "holds extra fields shown only in a private build. Only the "
                           "unquoted words true and false, or a mapping.",
            "anyOf": [{"type": "boolean"},
                      {"type": "object", "additionalProperties": _ref("value"),
                       "propertyNames": {"pattern": _NO_CONTROL}}],
        },
        "status": {"enum": [*STATUSES], "description": "planned, active, achieved, dropped "
                                                       "or paused"},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100,
                     "description": "Progress in per cent, 0–100."},
        "values": {
            "anyOf": [
                {"type": "object", "additionalProperties": _null_or(_ref("text")),
                 "propertyNames": {"pattern": _NO_CONTROL}},
                {"type": "array", "items": _ref("text")},
                {"type": "null"},
            ],
        },
        "milestone": {
            "type": "object",
            "description": "A sub-goal: {title, due, done}.",
            "required": ["title"],
            "properties": {
                "title": _ref("text"),
                "due": _null_or(_ref("date")),
                "done": {"description": "true, false or the date it was done",
                         "anyOf": [{"type": "boolean"}, _ref("date"), {"type": "null"}]},
            },
            "propertyNames": {"allOf": [{"pattern": _NO_CONTROL}, _ref("notPrivateLike")]},
            "additionalProperties": _ref("value"),
        },
        "checkin": {
            "type": "object",
            "description": "The check-in of one goal: {progress, status, note}.",
            "properties": {
                "progress": _null_or(_ref("progress")),
                "status": _null_or(_ref("status")),
                "note": _null_or(_ref("text")),
            },
            "propertyNames": {"allOf": [{"pattern": _NO_CONTROL}, _ref("notPrivateLike")]},
            "additionalProperties": _ref("value"),
        },
    }


def _document(kind: str, title: str, description: str, properties: Schema,
              required: list[str], **extra: Any) -> Schema:
    return {
        "$schema": DRAFT,
        "title": title,
        "description": description,
        "type": "object",
        "required": required,
        "properties": {**properties, "private": _ref("private")},
        # Unknown keys are kept for templates (page.meta); a try at `private` is an error.
        "propertyNames": {"allOf": [
            {"pattern": _NO_CONTROL},
            {"not": {"allOf": [_ref("privateLike"), {"not": {"const": "private"}}]}},
        ]},
        "additionalProperties": _ref("value"),
        **extra,
        "$defs": _defs(),
    }


def schema(kind: str) -> Schema:
    """The JSON Schema of one kind's frontmatter: "goal", "review" or "vision"."""
    if kind == "goal":
        return _document(
            "goal", "careersite goal",
            "Frontmatter of a goal, plans/goals/**/*.md (careersite plan format, version 1).",
            {
                "title": {"allOf": [_ref("text"), {"pattern": "\\S"}],
                          "description": "The goal, in a sentence."},
                "horizon": {"enum": [*HORIZONS],
                            "description": "long = 3–5 years, short = 6–12 months"},
                "target": {"allOf": [_ref("date")], "description": "When it is reached."},
                "start": _null_or(_ref("date")),
                "status": {"anyOf": [_ref("status"), {"type": "null"}],
                           "default": "planned"},
                "achieved": _null_or(_ref("date")),
                "parent": {"allOf": [_ref("textOrList")],
                           "description": "The id(s) of the goal(s) this one leads to."},
                "progress": _null_or(_ref("progress")),
                "milestones": _null_or({"type": "array", "items": _ref("milestone")}),
                "develop": {"allOf": [_ref("textOrList")],
                            "description": "Development areas (skills) this goal needs."},
                "tags": _ref("textOrList"),
            },
            ["title", "horizon", "target"],
            # `achieved` only with status `achieved` (a missing status means `planned`).
            **{"if": {"required": ["achieved"],
                      "properties": {"achieved": {"not": {"type": "null"}}}},
               "then": {"required": ["status"],
                        "properties": {"status": {"const": "achieved"}}}},
        )
    if kind == "review":
        return _document(
            "review", "careersite review",
            "Frontmatter of a review (a check-in), plans/reviews/**/*.md.",
            {
                "date": {"allOf": [_ref("day")], "description": "When the check-in was held."},
                "title": _null_or(_ref("text")),
                "goals": _null_or({
                    "type": "object",
                    "description": "Goal id -> {progress, status, note}.",
                    "additionalProperties": _null_or(_ref("checkin")),
                    "propertyNames": {"pattern": _NO_CONTROL},
                }),
                "mood": _null_or({"type": "integer", "minimum": 1, "maximum": 5,
                                  "description": "How it feels, 1–5."}),
            },
            ["date"],
        )
    if kind == "vision":
        return _document(
            "vision", "careersite vision",
            "Frontmatter of plans/vision.md.",
            {
                "title": _null_or(_ref("text")),
                "updated": _null_or(_ref("date")),
                "hard_values": {"allOf": [_ref("values")],
                                "description": "Salary development, generalist or "
                                               "specialist, products or services…"},
                "soft_values": {"allOf": [_ref("values")],
                                "description": "What you are good at, where you thrive, "
                                               "when you perform best…"},
            },
            [],
        )
    raise ValueError(f"no schema for {kind!r}; expected one of {', '.join(KINDS)}")


def schemas() -> dict[str, Schema]:
    """Every schema by kind."""
    return {kind: schema(kind) for kind in KINDS}


def file_name(kind: str) -> str:
    """The schema's file name: goal.schema.json."""
    return f"{kind}.schema.json"


def schema_text(kind: str) -> str:
    """A schema as the JSON text written to files."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_dir() -> Path:
    """The schema files inside the installed package."""
    return Path(__file__).resolve().parent / "schemas"


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every schema into out_dir (created if needed); returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = out_dir / file_name(kind)
        text = schema_text(kind)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
