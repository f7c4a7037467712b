"""init, init --interactive, new goal and new review through the real CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT, TODAY_EPOCH, site_files, soup, write_tree

from careersite.frontmatter import split_frontmatter
from careersite.schema import schema
from careersite.starter.github_pages import WORKFLOW_PATH

TODAY = dt.date(2026, 12, 1)
EN_FILES = ["careersite.toml", ".gitignore", "plans/vision.md", "plans/goals/long-term-goal.md",
            "plans/goals/short-term-goal.md", "plans/reviews/2026-12-01.md"]


def frontmatter(path: Path) -> dict[str, Any]:
    """The YAML frontmatter of a plan file, as PyYAML reads it."""
    split = split_frontmatter(path.read_text(encoding="utf-8"))
    assert split.yaml is not None and split.problem is None
    data = yaml.safe_load(split.yaml)
    assert isinstance(data, dict)
    return data


def body(path: Path) -> str:
    return split_frontmatter(path.read_text(encoding="utf-8")).body


def as_json(value: Any) -> Any:
    """YAML values as an editor sees them: dates are strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def assert_schema_valid(kind: str, path: Path) -> None:
    jsonschema.Draft202012Validator(schema(kind)).validate(as_json(frontmatter(path)))


def check_clean(cli: Any, project: Path) -> None:
    """`check --strict`: no error and no warning."""
    run = cli("check", "--project", project, "--format", "json")
    report = json.loads(run.out)
    assert (report["errors"], report["warnings"], report["diagnostics"]) == (0, 0, []), run.out
    assert run.code == 0


# --- init ------------------------------------------------------------------------------


def test_init_writes_the_starter_plan_and_it_builds_without_a_warning(cli, tmp_path):
    project = tmp_path / "plan"
    run = cli("init", project)
    assert run.code == 0, run.err
    assert run.out.splitlines()[1:7] == [f"  {rel}" for rel in EN_FILES]
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()) == \
        sorted(EN_FILES)
    check_clean(cli, project)
    build = cli("build", "--project", project, "--strict")
    assert build.code == 0 and build.lines == [], build.err
    out = project / "output"
    index = soup(out / "index.html")
    assert index.find("h1").get_text() == "Career plan"
    long = soup(out / "goals/long-term-goal.html")
    assert long.find("h1").get_text(strip=True) == "Where I want to be in 3–5 years"
    short = soup(out / "goals/short-term-goal.html")
    assert short.find("h1").get_text(strip=True) == "What I will reach in the next 6–12 months"
    assert [a.get_text() for a in short.select('main a[href$="goals/long-term-goal.html"]')][:1] == [
        "Where I want to be in 3–5 years"]
    vision = soup(out / "vision.html")
    text = vision.get_text()
    for label in ("Salary development", "Generalist or specialist", "Products or services",
                  "What I am good at", "When I thrive", "When I perform best"):
        assert label in text
    assert "salary_target" not in "".join(p.read_text("utf-8", "replace")
                                          for p in site_files(out))


def test_starter_plan_walks_the_method(cli, tmp_path):
    assert cli("init", tmp_path).code == 0
    config = tomllib.loads((tmp_path / "careersite.toml").read_text("utf-8"))
    assert config == {"title": "Career plan", "author": "", "language": "en", "base_url": "",
                      "review_every_days": 30}
    assert (tmp_path / ".gitignore").read_text().splitlines()[1:] == ["/output/", "/.careersite/"]
    vision = frontmatter(tmp_path / "plans/vision.md")
    assert list(vision["hard_values"]) == ["Salary development", "Generalist or specialist",
                                           "Products or services"]
    assert list(vision["soft_values"]) == ["What I am good at", "When I thrive",
                                           "When I perform best"]
    assert all(q.endswith("?") for q in [*vision["hard_values"].values(),
                                         *vision["soft_values"].values()])
    assert vision["private"] == {"salary_target": ""}
    assert "hard values: salary development" in body(tmp_path / "plans/vision.md")
    long = frontmatter(tmp_path / "plans/goals/long-term-goal.md")
    assert {k: long[k] for k in ("horizon", "start", "target", "status")} == {
        "horizon": "long", "start": TODAY, "target": dt.date(2030, 12, 1), "status": "active"}
    assert "parent" not in long
    short = frontmatter(tmp_path / "plans/goals/short-term-goal.md")
    assert {k: short[k] for k in ("horizon", "start", "target", "status", "parent")} == {
        "horizon": "short", "start": TODAY, "target": dt.date(2027, 12, 1), "status": "active",
        "parent": "long-term-goal"}
    assert [m["due"] for m in short["milestones"]] == [dt.date(2027, 3, 1), dt.date(2027, 9, 1)]
    assert "## Action plan" in body(tmp_path / "plans/goals/short-term-goal.md")
    assert body(tmp_path / "plans/goals/short-term-goal.md").count("- [ ] ") == 3
    review = frontmatter(tmp_path / "plans/reviews/2026-12-01.md")
    assert review["date"] == TODAY
    assert review["goals"] == {
        "long-term-goal": {"status": "active", "note": "Vision and goals written down."},
        "short-term-goal": {"status": "active",
                            "note": "The first step toward the long-term goal."}}
    for kind, rel in (("vision", "plans/vision.md"), ("goal", "plans/goals/long-term-goal.md"),
                      ("goal", "plans/goals/short-term-goal.md"),
                      ("review", "plans/reviews/2026-12-01.md")):
        assert_schema_valid(kind, tmp_path / rel)


def test_init_in_swedish(cli, tmp_path):
    run = cli("init", tmp_path, "--language", "sv")
    assert run.code == 0, run.err
    config = tomllib.loads((tmp_path / "careersite.toml").read_text("utf-8"))
    assert (config["language"], config["title"]) == ("sv", "Karriärplan")
    vision = frontmatter(tmp_path / "plans/vision.md")
    assert list(vision["hard_values"]) == ["Löneutveckling", "Generalist eller specialist",
                                           "Produkter eller tjänster"]
    assert list(vision["soft_values"]) == ["Vad jag är bra på", "När jag trivs",
                                           "När jag presterar som bäst"]
    assert vision["private"] == {"lönemål": ""}
    short = tmp_path / "plans/goals/kortsiktigt-mal.md"
    assert frontmatter(short)["parent"] == "langsiktigt-mal"
    assert "## Handlingsplan" in body(short)
    review = body(tmp_path / "plans/reviews/2026-12-01.md")
    assert ["## Vad gick bra", "## Vad kan bli bättre", "## Nästa steg"] == [
        line for line in review.splitlines() if line.startswith("## ")]
    assert "Var systematisk och nå dit du vill" in body(tmp_path / "plans/vision.md")
    check_clean(cli, tmp_path)
    build = cli("build", "--project", tmp_path, "--strict")
    assert build.code == 0 and build.lines == [], build.err
    assert soup(tmp_path / "output/index.html").find("h1").get_text() == "Karriärplan"


@pytest.mark.parametrize("existing", ["careersite.toml", "plans/vision.md",
                                      "plans/goals/sub/a.md", "plans/notes.md"])
def test_init_refuses_a_folder_that_holds_a_plan(cli, tmp_path, existing):
    write_tree(tmp_path, {existing: "mine\n"})
    run = cli("init", tmp_path)
    assert run.code == 2
    assert run.err == (f"careersite: error: {tmp_path} already holds a plan ({existing}); add "
                       "to it with `careersite new goal` or `careersite new review`\n")
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] \
        == [existing]


def test_init_never_overwrites_a_file(cli, tmp_path):
    write_tree(tmp_path, {WORKFLOW_PATH: "mine\n", "plans/goals/notes.txt": "an asset\n"})
    run = cli("init", tmp_path, "--publish", "github-pages")
    assert run.code == 2
    assert run.err == (f"careersite: error: refusing to overwrite {WORKFLOW_PATH} in "
                       f"{tmp_path}; careersite init never overwrites a file\n")
    assert (tmp_path / WORKFLOW_PATH).read_text() == "mine\n"
    assert not (tmp_path / "careersite.toml").exists()
    assert not (tmp_path / "plans/vision.md").exists()


def test_init_keeps_an_existing_gitignore(cli, tmp_path):
    write_tree(tmp_path, {".gitignore": "*.pyc\n", "README.md": "my repo\n"})
    run = cli("init", tmp_path)
    assert run.code == 0
    assert "  .gitignore" not in run.out.splitlines()
    assert "Add output/ and .careersite/ to your .gitignore (it was left as it is)." in run.out
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\n"
    assert (tmp_path / "README.md").read_text() == "my repo\n"
    write_tree(tmp_path / "b", {".gitignore": "output/\n/.careersite\n"})
    run = cli("init", tmp_path / "b")
    assert run.code == 0 and "Add output/" not in run.out


def test_init_refuses_a_file(cli, tmp_path):
    write_tree(tmp_path, {"f": "x"})
    run = cli("init", tmp_path / "f")
    assert (run.code, run.err) == (2, f"careersite: error: {tmp_path / 'f'} is a file, not a "
                                      "folder\n")


def test_init_publish_github_pages_writes_the_workflow(cli, tmp_path):
    run = cli("init", tmp_path, "--publish", "github-pages")
    assert run.code == 0
    assert f"  {WORKFLOW_PATH}" in run.out.splitlines()
    flow = yaml.safe_load((tmp_path / WORKFLOW_PATH).read_text("utf-8"))
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = flow["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0}
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == ['python -m pip install "$CAREERSITE"', "careersite build --output _site"]
    assert flow["env"]["CAREERSITE"].startswith("careersite")
    upload = next(s for s in steps if s.get("uses", "").startswith(
        "actions/upload-pages-artifact@"))
    assert upload["with"] == {"path": "_site"}
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert not (tmp_path / "output").exists()


def test_init_without_publish_writes_no_workflow(cli, tmp_path):
    assert cli("init", tmp_path).code == 0
    assert not (tmp_path / ".github").exists()


# --- init --interactive ----------------------------------------------------------------

ANSWERS = "\n".join([
    "Sara Lindqvist",
    "I lead strategic accounts: no discount races.",
    "Grow 5 % a year",
    "",
    "Software products with services",
    "Turning problems into business cases",
    "",
    "",
    "Become key account manager",
    "2030-Q4",
    "NO",  # a title YAML 1.1 would read as false: written quoted
    "next year",  # not a date: asked again
    "2027-06",
    "Lead two renewals: holding price",
    "2027",
    "",
]) + "\n"


def test_interactive_with_piped_answers(cli, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(ANSWERS))
    run = cli("init", tmp_path, "--interactive")
    assert run.code == 0, run.err
    assert "  Not a date: write 2027-06-30, 2027-06, 2027-Q2 or 2027." in run.out.splitlines()
    config = tomllib.loads((tmp_path / "careersite.toml").read_text("utf-8"))
    assert (config["title"], config["author"]) == ("Sara Lindqvist — career plan",
                                                   "Sara Lindqvist")
    vision = frontmatter(tmp_path / "plans/vision.md")
    assert vision["hard_values"] == {
        "Salary development": "Grow 5 % a year",
        "Generalist or specialist": "Do you want to be a generalist or a specialist, and in "
                                    "what?",
        "Products or services": "Software products with services"}
    assert vision["soft_values"]["What I am good at"] == "Turning problems into business cases"
    assert body(tmp_path / "plans/vision.md").startswith(
        "\nI lead strategic accounts: no discount races.\n")
    goals = tmp_path / "plans/goals"
    assert sorted(p.name for p in goals.iterdir()) == [
        "become-key-account-manager.md", "lead-two-renewals-holding-price.md", "no.md"]
    long = frontmatter(goals / "become-key-account-manager.md")
    assert (long["title"], long["horizon"], long["target"]) == (
        "Become key account manager", "long", "2030-Q4")
    first = frontmatter(goals / "no.md")
    assert (first["title"], first["target"], first["parent"]) == (
        "NO", "2027-06", "become-key-account-manager")
    second = frontmatter(goals / "lead-two-renewals-holding-price.md")
    assert (second["title"], second["target"], second["parent"]) == (
        "Lead two renewals: holding price", 2027, "become-key-account-manager")
    review = frontmatter(tmp_path / "plans/reviews/2026-12-01.md")
    assert list(review["goals"]) == ["become-key-account-manager", "no",
                                     "lead-two-renewals-holding-price"]
    check_clean(cli, tmp_path)


def test_interactive_keeps_every_suggestion_when_the_input_ends(cli, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli("init", tmp_path / "a", "--interactive").code == 0
    assert cli("init", tmp_path / "b").code == 0
    for rel in EN_FILES:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_interactive_refuses_before_asking(cli, tmp_path, monkeypatch):
    write_tree(tmp_path, {"careersite.toml": ""})
    stdin = io.StringIO(ANSWERS)
    monkeypatch.setattr("sys.stdin", stdin)
    run = cli("init", tmp_path, "--interactive")
    assert run.code == 2 and run.out == "" and stdin.tell() == 0


def test_interactive_in_swedish_through_a_real_pipe(cli, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": TODAY_EPOCH, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "careersite", "init", str(tmp_path), "--language", "sv",
         "--interactive"],
        input="Sara\n\n\n\n\n\n\n\nBli key account manager\n\nSkriva kundplaner\n2027-09-30\n",
        capture_output=True, text=True, encoding="utf-8", timeout=60, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Några frågor för att starta din karriärplan.")
    assert "Måldatum [2030-12-01]: " in proc.stdout
    config = tomllib.loads((tmp_path / "careersite.toml").read_text("utf-8"))
    assert (config["title"], config["language"]) == ("Sara — karriärplan", "sv")
    short = frontmatter(tmp_path / "plans/goals/skriva-kundplaner.md")
    assert (short["target"], short["parent"]) == (dt.date(2027, 9, 30),
                                                  "bli-key-account-manager")
    assert frontmatter(tmp_path / "plans/goals/bli-key-account-manager.md")["target"] == \
        dt.date(2030, 12, 1)
    check_clean(cli, tmp_path)


# --- new goal --------------------------------------------------------------------------

PLAN = {
    "careersite.toml": "review_every_days = 45\n",
    "plans/goals/kam.md": """\
        ---
        title: Become key account manager
        horizon: long
        start: 2026-01
        target: 2029-Q4
        status: active
        ---
        - [ ] act
        """,
}


def test_new_goal_writes_complete_frontmatter(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    run = cli("new", "goal", "Lead two renewals", "--parent", "kam", "--project", tmp_path)
    assert run.code == 0, run.err
    path = tmp_path / "plans/goals/lead-two-renewals.md"
    assert run.out == f"{path}\n"
    data = frontmatter(path)
    assert data == {"title": "Lead two renewals", "horizon": "short", "start": TODAY,
                    "target": dt.date(2027, 12, 1), "status": "planned", "parent": "kam",
                    "milestones": [], "develop": [], "tags": []}
    assert "## Action plan\n" in body(path) and "- [ ] " in body(path)
    assert_schema_valid("goal", path)
    check_clean(cli, tmp_path)


def test_new_goal_prints_the_path_relative_to_the_project(cli, tmp_path, monkeypatch):
    write_tree(tmp_path, PLAN)
    monkeypatch.chdir(tmp_path)
    run = cli("new", "goal", "Speak at a fair", "--horizon", "long", "--target", "2030-06")
    assert run.out == "plans/goals/speak-at-a-fair.md\n"
    data = frontmatter(tmp_path / "plans/goals/speak-at-a-fair.md")
    assert (data["horizon"], data["target"], "parent" in data) == ("long", "2030-06", False)


def test_new_long_goal_defaults_to_four_years(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    assert cli("new", "goal", "Head of sales", "--horizon", "long", "--project", tmp_path).code == 0
    assert frontmatter(tmp_path / "plans/goals/head-of-sales.md")["target"] == dt.date(2030, 12, 1)


def test_new_short_goal_without_parent_says_what_is_missing(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    run = cli("new", "goal", "Yes: 3.10", "--project", tmp_path)
    assert run.code == 0
    assert "careersite: note: which long-term goal does it lead to?" in run.err
    path = tmp_path / "plans/goals/yes-3-10.md"
    data = frontmatter(path)
    assert (data["title"], data["parent"]) == ("Yes: 3.10", [])
    check = cli("check", "--project", tmp_path)
    assert [x for x in check.lines if "yes-3-10" in x] == [
        "plans/goals/yes-3-10.md:3:1: warning: short-term goal has no parent: which long-term "
        "goal does it lead to?"]


@pytest.mark.parametrize(("args", "message"), [
    (["--parent", "km"], "--parent: no goal has the id 'km'; did you mean 'kam'?"),
    (["--parent", "zzzzzz"], "--parent: no goal has the id 'zzzzzz'"),
    (["--target", "next year"], "--target: expected a date such as 2027-06-30, 2027-06, "
                                "2027-Q2 or 2027, got 'next year'"),
    (["--target", "2027-02-30"], "--target: expected a date such as 2027-06-30, 2027-06, "
                                 "2027-Q2 or 2027, got '2027-02-30'"),
])
def test_new_goal_usage_errors(cli, tmp_path, args, message):
    write_tree(tmp_path, PLAN)
    run = cli("new", "goal", "A goal", *args, "--project", tmp_path)
    assert (run.code, run.err) == (2, f"careersite: error: {message}\n")
    assert not (tmp_path / "plans/goals/a-goal.md").exists()


def test_new_goal_refuses_an_existing_file(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    before = (tmp_path / "plans/goals/kam.md").read_bytes()
    run = cli("new", "goal", "KAM", "--project", tmp_path)
    assert run.code == 2
    assert run.err == (f"careersite: error: {tmp_path / 'plans/goals/kam.md'} already exists; "
                       "careersite never overwrites a file\n")
    assert (tmp_path / "plans/goals/kam.md").read_bytes() == before


def test_new_goal_avoids_a_generated_page_and_needs_a_title(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    assert cli("new", "goal", "Index", "--project", tmp_path).code == 0
    assert (tmp_path / "plans/goals/index-goal.md").is_file()
    run = cli("new", "goal", "  ", "--project", tmp_path)
    assert run.code == 2 and "the goal needs a title" in run.err


def test_new_goal_in_a_swedish_project(cli, tmp_path):
    write_tree(tmp_path, {**PLAN, "careersite.toml": 'language = "sv"\n'})
    assert cli("new", "goal", "Få en mentor", "--parent", "kam", "--project", tmp_path).code == 0
    text = body(tmp_path / "plans/goals/fa-en-mentor.md")
    assert "## Handlingsplan" in text and "Vad målet är" in text


# --- new review ------------------------------------------------------------------------

REVIEW_PLAN = {
    "careersite.toml": "review_every_days = 45\n",
    "plans/goals/kam.md": """\
        ---
        title: Become key account manager
        horizon: long
        start: 2026-01
        target: 2029-Q4
        status: active
        progress: 25
        milestones:
          - {title: Told my manager, due: 2026-04-30, done: 2026-04-22}
          - {title: "Sat in on a *business review*", due: 2026-11-20, done: 2026-11-18}
        ---
        - [ ] act
        """,
    "plans/goals/plans.md": """\
        ---
        title: Account plans
        horizon: short
        parent: kam
        start: 2026-06
        target: 2027-03-31
        status: active
        milestones:
          - {title: Plan 1, due: 2026-10-31, done: true}
          - {title: Plan 2, due: 2026-11-15, done: false}
          - {title: "Plan 3 [[kam]]", due: 2026-12-01, done: false}
          - {title: Plan 4, due: 2026-12-02, done: false}
        ---
        - [x] one
        - [ ] two
        """,
    "plans/goals/paused.md": """\
        ---
        title: Paused goal
        horizon: short
        parent: kam
        target: 2027-06
        status: paused
        milestones:
          - {title: Paused milestone, due: 2026-11-30}
        ---
        """,
    "plans/goals/dropped.md": """\
        ---
        title: Dropped goal
        horizon: short
        parent: kam
        target: 2027-06
        status: dropped
        milestones:
          - {title: Dropped milestone, due: 2026-11-30}
        ---
        """,
    "plans/goals/secret.md": """\
        ---
        title: Secret goal
        horizon: short
        parent: kam
        target: 2027-06
        status: active
        private: true
        milestones:
          - {title: CANARY-MILESTONE, due: 2026-11-25, done: false}
        ---
        - [ ] act
        """,
    "plans/reviews/2026-10-01.md": """\
        ---
        date: 2026-10-01
        goals:
          plans: {progress: 30}
        ---
        """,
    "plans/reviews/2026-11-10.md": """\
        ---
        date: 2026-11-10
        title: Early November
        goals:
          plans: {progress: 40, status: active}
        ---
        """,
}


def review_items(path: Path) -> tuple[list[str], list[str]]:
    """(public, private) list items of the milestones section."""
    public: list[str] = []
    private: list[str] = []
    inside = False
    section = body(path).split("## What went well")[0]
    for line in section.splitlines():
        if line.startswith(":::"):
            inside = not inside
        elif line.startswith("- "):
            (private if inside else public).append(line)
    return public, private


def test_new_review_lists_active_goals_and_milestones_due_since_the_last_review(cli, tmp_path):
    write_tree(tmp_path, REVIEW_PLAN)
    run = cli("new", "review", "--project", tmp_path)
    assert run.code == 0, run.err
    path = tmp_path / "plans/reviews/2026-12-01.md"
    assert run.out == f"{path}\n"
    assert run.err == ("careersite: 3 active goals to check in on, 5 milestones due since the "
                       "last review\n")
    data = frontmatter(path)
    assert data == {"date": TODAY, "mood": None, "goals": {
        "kam": {"progress": 25, "status": "active", "note": None},
        "plans": {"progress": 40, "status": "active", "note": None},
        "secret": {"progress": 0, "status": "active", "note": None}}}
    public, private = review_items(path)
    assert public == [
        r"- [[plans]]: Plan 2 (due 2026-11-15; not done)",
        r"- [[kam]]: Sat in on a \*business review\* (due 2026-11-20; done 2026-11-18)",
        r"- [[paused]]: Paused milestone (due 2026-11-30; not done)",
        r"- [[plans]]: Plan 3 \[\[kam\]\] (due 2026-12-01; not done)",
    ]
    assert private == ["- [[secret]]: CANARY-MILESTONE (due 2026-11-25; not done)"]
    assert "Since [2026-11-10](2026-11-10.md):" in body(path)
    headings = [line for line in body(path).splitlines() if line.startswith("## ")]
    assert headings == ["## Milestones due since the last review", "## What went well",
                        "## What to improve", "## Next steps"]
    assert_schema_valid("review", path)
    check_clean(cli, tmp_path)


def test_new_review_keeps_private_milestones_out_of_the_public_site(cli, tmp_path):
    write_tree(tmp_path, REVIEW_PLAN)
    assert cli("new", "review", "--project", tmp_path).code == 0
    assert cli("build", "--project", tmp_path).code == 0
    page = soup(tmp_path / "output/reviews/2026-12-01.html")
    assert [a.get_text() for a in page.select("main li a")][:2] == ["Account plans",
                                                                   "Become key account manager"]
    published = "".join(p.read_text("utf-8", "replace") for p in site_files(tmp_path / "output"))
    assert "CANARY" not in published and "Secret goal" not in published
    assert cli("build", "--project", tmp_path, "--private", "--output", tmp_path / "priv").code == 0
    assert "CANARY-MILESTONE" in (tmp_path / "priv/reviews/2026-12-01.html").read_text("utf-8")


def test_new_review_with_a_date_and_without_an_earlier_review(cli, tmp_path):
    plan = {k: v for k, v in REVIEW_PLAN.items() if "reviews/" not in k}
    write_tree(tmp_path, plan)
    run = cli("new", "review", "--date", "2026-11-01", "--project", tmp_path)
    assert run.code == 0, run.err
    path = tmp_path / "plans/reviews/2026-11-01.md"
    assert frontmatter(path)["date"] == dt.date(2026, 11, 1)
    public, private = review_items(path)
    assert public == ["- [[kam]]: Told my manager (due 2026-04-30; done 2026-04-22)",
                      "- [[plans]]: Plan 1 (due 2026-10-31; done)"]
    assert private == []
    assert "Due so far:" in body(path)


def test_new_review_with_nothing_due_and_no_active_goal(cli, tmp_path):
    write_tree(tmp_path, {"plans/vision.md": "---\ntitle: V\n---\n"})
    run = cli("new", "review", "--project", tmp_path)
    assert run.code == 0
    path = tmp_path / "plans/reviews/2026-12-01.md"
    assert frontmatter(path) == {"date": TODAY, "mood": None, "goals": {}}
    assert "None were due." in body(path)
    check_clean(cli, tmp_path)


@pytest.mark.parametrize("date", ["2026-12", "tomorrow", "2026-02-30"])
def test_new_review_date_must_be_a_day(cli, tmp_path, date):
    write_tree(tmp_path, PLAN)
    run = cli("new", "review", "--date", date, "--project", tmp_path)
    assert (run.code, run.err) == (2, f"careersite: error: --date: expected a day such as "
                                      f"2027-06-30, got '{date}'\n")


def test_new_review_refuses_an_existing_file(cli, tmp_path):
    write_tree(tmp_path, {**PLAN, "plans/reviews/2026-12-01.md": "---\ndate: 2026-12-01\n---\n"})
    run = cli("new", "review", "--project", tmp_path)
    assert run.code == 2 and "already exists; careersite never overwrites a file" in run.err
    assert (tmp_path / "plans/reviews/2026-12-01.md").read_text() == "---\ndate: 2026-12-01\n---\n"


def test_new_review_notes_plan_errors(cli, tmp_path):
    write_tree(tmp_path, {**PLAN, "plans/goals/bad.md": "---\ntitle: Bad\nhorizon: mid\n"
                                                         "target: 2027\nstatus: active\n---\n"})
    run = cli("new", "review", "--project", tmp_path)
    assert run.code == 0
    assert "careersite: note: the plan has 1 error, and goals with errors are left out" in run.err
    assert list(frontmatter(tmp_path / "plans/reviews/2026-12-01.md")["goals"]) == ["kam"]


def test_new_review_in_a_swedish_project(cli, tmp_path):
    write_tree(tmp_path, {**REVIEW_PLAN, "careersite.toml": 'language = "sv"\n'})
    assert cli("new", "review", "--project", tmp_path).code == 0
    path = tmp_path / "plans/reviews/2026-12-01.md"
    headings = [line for line in body(path).splitlines() if line.startswith("## ")]
    assert headings == ["## Delmål sedan förra avstämningen", "## Vad gick bra",
                        "## Vad kan bli bättre", "## Nästa steg"]
    assert review_items(path)[0][0] == "- [[plans]]: Plan 2 (klart senast 2026-11-15; inte klart)"


def test_new_review_of_the_example_plan(cli, tmp_path):
    for rel in ("careersite.toml",):
        (tmp_path / rel).write_bytes((ROOT / rel).read_bytes())
    import shutil

    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    run = cli("new", "review", "--project", tmp_path)
    assert run.code == 0
    data = frontmatter(tmp_path / "plans/reviews/2026-12-01.md")
    assert data["goals"] == {
        "account-plans": {"progress": 40, "status": "active", "note": None},
        "industry-expert": {"progress": 33, "status": "active", "note": None},
        "industry/automotive-reference-case": {"progress": 25, "status": "active", "note": None},
        "key-account-manager": {"progress": 25, "status": "active", "note": None},
        "lead-renewal-negotiations": {"progress": 45, "status": "active", "note": None}}
    assert review_items(tmp_path / "plans/reviews/2026-12-01.md") == (
        ["- [[industry/automotive-reference-case]]: Customer approves a public case in writing "
         "(due 2026-11-30; done 2026-11-12)"], [])
    check_clean(cli, tmp_path)


class _Dist:
    def __init__(self, direct_url: str | None) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return self.direct_url


@pytest.mark.parametrize(("direct_url", "expected"), [
    (None, "careersite==0.1.0"),
    ('{"url": "file:///home/me/careersite", "dir_info": {"editable": true}}',
     "careersite==0.1.0"),
    ('{"url": "https://github.com/me/careersite", "vcs_info": {"vcs": "git", '
     '"commit_id": "abc123"}}', "careersite @ git+https://github.com/me/careersite@abc123"),
])
def test_the_workflow_installs_the_careersite_that_wrote_it(monkeypatch, direct_url, expected):
    from careersite.starter import github_pages

    monkeypatch.setattr(github_pages, "__version__", "0.1.0")
    monkeypatch.setattr(github_pages.metadata, "distribution", lambda name: _Dist(direct_url))
    assert github_pages.requirement() == expected
    assert f'CAREERSITE: "{expected}"' in github_pages.workflow_text()


def test_new_needs_a_kind_and_init_a_known_target(cli, tmp_path):
    run = cli("new", "--project", tmp_path)
    assert run.code == 2 and "careersite: error:" in run.err
    run = cli("init", tmp_path, "--publish", "netlify")
    assert run.code == 2 and "invalid choice: 'netlify'" in run.err
    assert list(tmp_path.iterdir()) == []
