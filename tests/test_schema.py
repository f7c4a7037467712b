"""The JSON Schemas agree with careersite's validator, on valid and invalid frontmatter.

An editor validates what its YAML parser makes of the frontmatter, with dates as strings.
Two readings are tried: YAML 1.1 as careersite reads it (PyYAML), and the YAML 1.2 core
schema that editors' YAML language server uses by default. Where JSON Schema cannot see
what careersite sees (YAML tags, duplicate keys, how a scalar was written), the cases are
listed in DIVERGENT, so the list stays exact.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from test_parse import ERRORS, GOAL_HEAD, PRIVATE_MISSES, parse
from yaml.constructor import SafeConstructor

from careersite.discover import classify
from careersite.fields import is_private_like
from careersite.frontmatter import split_frontmatter
from careersite.schema import (
    KINDS,
    file_name,
    private_like_pattern,
    schema,
    schema_text,
    schemas,
    shipped_schema_dir,
)


class Yaml11(yaml.SafeLoader):
    """careersite's reading: YAML 1.1; a date that cannot be (2027-02-30) stays text."""


def _timestamp(loader: SafeConstructor, node: yaml.Node) -> Any:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


Yaml11.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class Yaml12(yaml.SafeLoader):
    """The YAML 1.2 core schema: only true/false are booleans, no dates, no 1:30 numbers."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


for _tag, _pattern, _first in [
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$", "-+.0123456789"),
]:
    Yaml12.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern),
                                 [*_first, ""] if _tag == "null" else list(_first))

LOADERS = {"yaml-1.1": Yaml11, "yaml-1.2": Yaml12}


def as_json(value: Any) -> Any:
    """What an editor validates: dates and datetimes are strings (ISO 8601)."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def instance(text: str, loader: str) -> Any:
    """The frontmatter of a document as a JSON value ({} when it has none)."""
    split = split_frontmatter(text)
    if split.yaml is None:
        return {}
    data = yaml.load(split.yaml, Loader=LOADERS[loader])  # noqa: S506 (safe loaders)
    return {} if data is None else as_json(data)


def schema_rejects(kind: str, text: str, loader: str) -> bool:
    validator = jsonschema.Draft202012Validator(schema(kind))
    return not validator.is_valid(instance(text, loader))


def careersite_rejects(kind: str, text: str) -> bool:
    _, diags = parse(kind, text)  # type: ignore[arg-type]
    return any(" error: " in d for d in diags)


R = "---\ndate: 2026-09-04\n"
V = "---\n"
EXTRA: list[tuple[str, str, str]] = [
    # valid: every date form, empty values, extra keys
    ("date-forms", "goal", "---\ntitle: T\nhorizon: long\nstart: 2026-Q1\ntarget: '2029'\n"
                           "milestones:\n  - {title: a, due: 2027-06, done: 2027}\n"
                           "  - {title: b, due: 2027-Q3, done: 2027-08-01}\n"
                           "  - {title: c, due: 2028, done: false}\n  - {title: d}\n---\n"),
    ("leap-day", "goal", GOAL_HEAD + "start: 2028-02-29\n---\n"),
    ("leap-century", "goal", GOAL_HEAD + "start: '2000-02-29'\n---\n"),
    ("empty-values", "goal", GOAL_HEAD + "start:\nstatus:\nachieved:\nparent:\nprogress:\n"
                                         "milestones:\ndevelop:\ntags:\n---\n"),
    ("single-strings", "goal", GOAL_HEAD + "parent: a\ndevelop: x\ntags: y\n---\n"),
    ("achieved", "goal", GOAL_HEAD + "status: achieved\nachieved: 2027-05\n---\n"),
    ("quoted-no", "goal", '---\ntitle: "NO"\nhorizon: short\ntarget: 2027\n---\n'),
    ("extra-keys", "goal", GOAL_HEAD + "salary: 5\nlinks: [{url: x}]\nrole: {a: [1, 2]}\n---\n"),
    ("private-mapping", "goal", GOAL_HEAD + "private: {}\n---\n"),
    ("private-true-any-case", "goal", GOAL_HEAD + "private: TRUE\n---\n"),
    ("emoji-title", "goal", "---\ntitle: Lead 🚀 a team\nhorizon: short\ntarget: 2027\n---\n"),
    ("review-datetime", "review", "---\ndate: 2026-09-04 10:30:00\n---\n"),
    ("review-datetime-zone", "review", "---\ndate: 2026-09-04T10:30:00Z\n---\n"),
    ("review-empty", "review", R + "title:\ngoals:\nmood:\nprivate: false\n---\n"),
    ("checkin-empty", "review", R + "goals:\n  a:\n  b: {progress: , status: , note: }\n---\n"),
    ("checkin-extra", "review", R + "goals:\n  a: {progress: 0, status: paused, why: x}\n---\n"),
    ("review-title-empty", "review", R + "title: ''\n---\n"),
    ("vision-values", "vision", V + "hard_values: [a, b]\nsoft_values:\n  Good at:\n---\n"),
    ("vision-empty", "vision", "---\n---\nbody\n"),
    ("vision-none", "vision", "just a body\n"),
    # invalid
    ("not-leap-day", "goal", GOAL_HEAD + "start: 2027-02-29\n---\n"),
    ("not-leap-century", "goal", GOAL_HEAD + "start: '1900-02-29'\n---\n"),
    ("day-31-of-april", "goal", GOAL_HEAD + "start: '2027-04-31'\n---\n"),
    ("year-zero", "goal", "---\ntitle: T\nhorizon: long\ntarget: 0000\n---\n"),
    ("year-five-digits", "goal", "---\ntitle: T\nhorizon: long\ntarget: 10000\n---\n"),
    ("horizon-case", "goal", "---\ntitle: T\nhorizon: Long\ntarget: 2027\n---\n"),
    ("title-blank", "goal", "---\ntitle: '   '\nhorizon: long\ntarget: 2030\n---\n"),
    ("achieved-default-status", "goal", GOAL_HEAD + "achieved: 2027-05\n---\n"),
    ("control-in-title", "goal", '---\ntitle: "a\\x01b"\nhorizon: long\ntarget: 2030\n---\n'),
    ("control-in-extra", "goal", GOAL_HEAD + 'note: ["a\\x1fb"]\n---\n'),
    ("control-in-key", "goal", GOAL_HEAD + '"a\\x07": 1\n---\n'),
    ("private-in-milestone", "goal", GOAL_HEAD + "milestones:\n  - title: A\n"
                                                 "    private: true\n---\n"),
    ("private-in-checkin", "review", R + "goals:\n  a: {Private: true}\n---\n"),
    ("checkin-list", "review", R + "goals:\n  a: [40]\n---\n"),
    ("milestone-title-null", "goal", GOAL_HEAD + "milestones:\n  - {title: , due: 2027}\n---\n"),
    ("done-text", "goal", GOAL_HEAD + "milestones:\n  - {title: a, done: soon}\n---\n"),
    ("review-date-null", "review", "---\ndate:\n---\n"),
    ("mood-zero", "review", R + "mood: 0\n---\n"),
    ("values-number", "vision", V + "hard_values: 5\n---\n"),
    ("private-privacy", "vision", V + "privacy: true\n---\n"),
    ("not-a-mapping", "goal", "---\n- a\n---\n"),
    ("progress-integral-float", "goal", GOAL_HEAD + "progress: 50.0\n---\n"),
    ("datetime-quoted", "review", "---\ndate: '2026-09-04 10:30:00'\n---\n"),
]

CASES = (
    [(case_id, kind, text) for case_id, kind, text, _ in ERRORS if kind != "note"]
    + [(f"near-miss-{key}", "goal", GOAL_HEAD + f"{key}: true\n---\n")
       for key, _ in PRIVATE_MISSES]
    + EXTRA
)

# Where the schema cannot say what careersite says. True: careersite rejects, the schema
# (for that reading) accepts; `careersite check` is the authority there.
_BOTH = {
    "private-duplicate": True,  # a duplicate key: YAML, not a value
    "progress-integral-float": True,  # JSON has one number type: 50.0 is an integer
    "datetime-quoted": True,  # quoted or not looks the same to an editor
}
DIVERGENT = {
    "yaml-1.1": {**_BOTH, "private-off": True},  # `off` is false to YAML 1.1
    # YAML 1.2 reads `NO`, `on` and `1:30` as text; careersite (YAML 1.1) does not.
    "yaml-1.2": {**_BOTH, "title-bool": True, "title-sexagesimal": True, "tags-item": True},
}


@pytest.mark.parametrize("loader", list(LOADERS))
@pytest.mark.parametrize(("case_id", "kind", "text"), CASES, ids=[c[0] for c in CASES])
def test_schema_and_validator_agree(case_id: str, kind: str, text: str, loader: str) -> None:
    ours = careersite_rejects(kind, text)
    theirs = schema_rejects(kind, text, loader)
    if case_id in DIVERGENT[loader]:
        assert (ours, theirs) == (True, False), "no longer divergent: update DIVERGENT"
    else:
        assert theirs == ours, f"careersite {'rejects' if ours else 'accepts'} {case_id}"


def test_divergences_name_real_cases_and_most_cases_are_errors() -> None:
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))
    for loader, divergent in DIVERGENT.items():
        assert set(divergent) <= set(ids), loader
    rejected = [c for c in CASES if careersite_rejects(c[1], c[2])]
    assert len(rejected) >= 60


def test_the_example_plan_validates() -> None:
    checked = []
    for path in sorted((ROOT / "plans").rglob("*.md")):
        kind, _ = classify(path.relative_to(ROOT / "plans").as_posix())
        if kind not in KINDS:
            continue
        text = path.read_text(encoding="utf-8")
        assert not careersite_rejects(kind, text), path
        for loader in LOADERS:
            errors = list(jsonschema.Draft202012Validator(schema(kind)).iter_errors(
                instance(text, loader)))
            assert errors == [], (path, loader, [e.message for e in errors])
        checked.append(kind)
    assert sorted(set(checked)) == ["goal", "review", "vision"]
    assert len(checked) >= 10


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_json_schema(kind: str) -> None:
    data = schema(kind)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(data)
    jsonschema.Draft7Validator.check_schema(data)  # editors still on draft-07 read it too


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_schema_files_are_current(kind: str) -> None:
    shipped = shipped_schema_dir() / file_name(kind)
    assert shipped.read_text(encoding="utf-8") == schema_text(kind), (
        "run: careersite schema --output careersite/schemas")


def test_schema_files_ship_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    packages = {p.parent.relative_to(ROOT).as_posix().replace("/", ".")
                for p in (ROOT / "careersite").rglob("__init__.py")}
    assert packages <= set(setuptools["packages"])
    globs = setuptools["package-data"]["careersite"]
    for kind in KINDS:
        assert any(Path("schemas", file_name(kind)).match(g) for g in globs), kind


def test_schema_command_prints_and_writes(cli, tmp_path: Path) -> None:
    run = cli("schema", "goal")
    assert run.code == 0 and json.loads(run.out) == schema("goal")
    run = cli("schema")
    assert json.loads(run.out) == schemas()
    run = cli("schema", "--output", tmp_path / "s")
    assert run.code == 0
    assert run.out.splitlines() == [str(tmp_path / "s" / file_name(k)) for k in KINDS]
    for kind in KINDS:
        assert (tmp_path / "s" / file_name(kind)).read_text("utf-8") == schema_text(kind)
    assert cli("schema", "note").code == 2


def test_schema_completes_and_explains() -> None:
    goal = schema("goal")
    assert goal["required"] == ["title", "horizon", "target"]
    assert goal["properties"]["horizon"]["enum"] == ["long", "short"]
    assert goal["properties"]["status"]["default"] == "planned"
    assert goal["$defs"]["status"]["enum"] == ["planned", "active", "achieved", "dropped",
                                                "paused"]
    assert "quarter" in goal["$defs"]["date"]["description"]
    assert schema("review")["required"] == ["date"]
    assert schema("vision")["required"] == []


_near = st.text(alphabet="privatePRIVATExyc_ -", min_size=3, max_size=10)


@given(st.one_of(_near, st.text(max_size=12)))
def test_private_like_pattern_is_is_private_like(key: str) -> None:
    assert bool(re.match(private_like_pattern(), key)) == is_private_like(key)
