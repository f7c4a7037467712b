"""The rebuild engine: after any edit, an incremental rebuild writes exactly the bytes a clean
build writes, renders only what the edit touched, and the cache and the process pool
change nothing but the time it takes."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import site_files, write_tree

from careersite import cache, pool
from careersite.build import build
from careersite.incremental import Site
from careersite.state import Changes


def goal(title: str, *, parent: str | None = None, progress: int | None = None,
         horizon: str = "short", body: str = "Body.\n", extra: str = "") -> str:
    lines = [f"title: {title}", f"horizon: {horizon}",
             "start: 2026-01-01" if horizon == "long" else "start: 2026-06-01",
             "target: 2029-12-31" if horizon == "long" else "target: 2027-03-31",
             "status: active"]
    if parent:
        lines.append(f"parent: {parent}")
    if progress is not None:
        lines.append(f"progress: {progress}")
    return "---\n" + "\n".join(lines) + "\n" + extra + "---\n" + body


PLAN: dict[str, str | bytes] = {
    "careersite.toml": 'title = "Incremental"\n',
    "plans/vision.md": "---\ntitle: My vision\nhard_values:\n  Salary: top\n---\n"
                       "Lead accounts. See [[long]].\n",
    "plans/goals/long.md": goal("The long goal", horizon="long", body="- [ ] act\n"),
    "plans/goals/other-long.md": goal("Another long goal", horizon="long", body="- [ ] x\n"),
    "plans/goals/a.md": goal("Goal A", parent="long", body="Links [[b]] and [B](b.md).\n\n"
                                                             "- [x] one\n- [ ] two\n"),
    "plans/goals/b.md": goal("Goal B", parent="long", progress=40,
                             extra="private:\n  salary: 123456\n"),
    "plans/goals/c.md": goal("Goal C", parent="other-long", body="::: private\nsecret C\n:::\n"),
    "plans/goals/sub/d.md": goal("Goal D", parent="long", body="![chart](../../img/chart.png)\n"),
    "plans/goals/hidden.md": goal("Hidden goal", parent="long", extra="private: true\n"),
    "plans/reviews/2026-10-01.md": "---\ndate: 2026-10-01\ngoals:\n  a: {progress: 30}\n---\n"
                                   "Early. [[a]]\n",
    "plans/reviews/2026-11-20.md": "---\ndate: 2026-11-20\nmood: 4\ngoals:\n"
                                   "  a: {progress: 50, note: fine}\n  b: {status: active}\n---\n"
                                   "## What went well\n\nSee [[c]].\n",
    "plans/notes/coach.md": "# Coach notes\n\nAbout [[a]].\n",
    "plans/img/chart.png": b"\x89PNG\r\n\x1a\nfake",
}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("progress", lambda p: edit(p / "plans/goals/b.md", "progress: 40", "progress: 45")),
    ("body only", lambda p: edit(p / "plans/goals/c.md", "secret C", "secret C, more")),
    ("title", lambda p: edit(p / "plans/goals/b.md", "title: Goal B", "title: Goal Bee")),
    ("action done", lambda p: edit(p / "plans/goals/a.md", "- [ ] two", "- [x] two")),
    ("parent", lambda p: edit(p / "plans/goals/c.md", "parent: other-long", "parent: long")),
    ("target", lambda p: edit(p / "plans/goals/a.md", "target: 2027-03-31",
                              "target: 2027-02-28")),
    ("review progress", lambda p: edit(p / "plans/reviews/2026-11-20.md", "progress: 50",
                                       "progress: 60")),
    ("review checkin", lambda p: edit(p / "plans/reviews/2026-11-20.md", "  b: {status: active}",
                                      "  b: {status: active}\n  c: {progress: 10}")),
    ("review date", lambda p: edit(p / "plans/reviews/2026-10-01.md", "date: 2026-10-01",
                                   "date: 2026-12-01")),
    ("made private", lambda p: edit(p / "plans/goals/b.md", "private:\n  salary: 123456\n",
                                    "private: true\n")),
    ("made public", lambda p: edit(p / "plans/goals/hidden.md", "private: true\n", "")),
    ("vision", lambda p: edit(p / "plans/vision.md", "Lead accounts.", "Lead big accounts.")),
    ("note title", lambda p: edit(p / "plans/notes/coach.md", "# Coach notes", "# My coach")),
    ("new goal", lambda p: write_tree(p, {"plans/goals/new.md": goal("New", parent="long")})),
    ("new folder", lambda p: write_tree(p, {"plans/goals/x/y.md": goal("XY", parent="long")})),
    ("deleted", lambda p: (p / "plans/goals/new.md").unlink()),
    ("renamed folder", lambda p: (p / "plans/goals/x").rename(p / "plans/goals/z")),
    ("asset", lambda p: (p / "plans/img/chart.png").write_bytes(b"\x89PNG\r\n\x1a\nnew")),
    ("template", lambda p: write_tree(p, {"templates/note.html":
                                          '{% extends "default/note.html" %}{% block content %}'
                                          "<p class=mine>x</p>{{ super() }}{% endblock %}"})),
    ("settings", lambda p: edit(p / "careersite.toml", "Incremental", "Renamed")),
]


def files(folder: Path) -> dict[str, bytes]:
    """Every published file's bytes, by site path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in site_files(folder)}


def clean_build(project: Path, out: Path, *, private: bool) -> dict[str, bytes]:
    if out.exists():
        shutil.rmtree(out)
    result = build(project, out, private=private, cache=False, jobs=1)
    assert result.report is not None, result.diagnostics
    return files(out)


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
def test_every_kind_of_edit_gives_the_bytes_of_a_clean_build(tmp_path, private):
    project = write_tree(tmp_path / "p", PLAN)
    out = tmp_path / "out"
    site = Site(project, out, private=private, cache=False, jobs=1)
    assert site.rebuild().report is not None
    for name, change in EDITS:
        change(project)
        outcome = site.rebuild(Changes(config=True, templates=True))
        assert outcome.report is not None, (name, outcome.diagnostics)
        assert files(out) == clean_build(project, tmp_path / "ref", private=private), name


def test_cost_follows_the_change(tmp_path):
    project = write_tree(tmp_path / "p", PLAN)
    site = Site(project, tmp_path / "out", cache=False, jobs=1)
    first = site.rebuild()
    assert first.full and set(first.rendered) == {u for u in first.changed if u.endswith(".html")}
    again = site.rebuild()
    assert again.rendered == () and again.changed == ()  # nothing changed, nothing rendered

    edit(project / "plans/goals/c.md", "secret C", "another secret")  # a private block only
    outcome = site.rebuild()
    assert outcome.rendered == ("goals/c.html",) and outcome.changed == ()

    edit(project / "plans/goals/c.md", ":::\n", ":::\n\nA new public sentence.\n")
    outcome = site.rebuild()
    assert outcome.rendered == ("goals/c.html",)
    assert [p for p in outcome.changed if p.endswith(".html")] == ["goals/c.html"]

    edit(project / "plans/goals/b.md", "title: Goal B", "title: Goal Bee")
    rendered = set(site.rebuild().rendered)
    # Its page, its parent's, the review that checks in on it, the page linking to it, and
    # every list of goals; not an unrelated goal such as c.
    assert {"goals/b.html", "goals/long.html", "goals/a.html", "reviews/2026-11-20.html",
            "index.html", "goals/index.html"} <= rendered
    assert "goals/c.html" not in rendered and "goals/other-long.html" not in rendered


def test_a_file_changed_in_the_output_is_put_back(tmp_path, cli):
    project = write_tree(tmp_path / "p", PLAN)
    assert cli("build", "--project", project).code == 0
    page = project / "output/goals/a.html"
    good = page.read_bytes()
    page.write_text("vandalised")
    (project / "output/goals/b.html").unlink()
    run = cli("build", "--project", project)
    assert run.code == 0
    assert page.read_bytes() == good
    assert (project / "output/goals/b.html").is_file()
    assert "2 written" in run.err


def test_second_build_reads_the_cache_and_rewrites_nothing(tmp_path):
    project = write_tree(tmp_path / "p", PLAN)
    command = [sys.executable, "-m", "careersite", "build", "--project", str(project)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796083200"}
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert len(list((project / ".careersite" / cache.PARSED_DIR).glob("*.pickle"))) > 5
    mtimes = {p: p.stat().st_mtime_ns for p in site_files(project / "output")}
    # What the clean build cached says every page is current: none is rendered (pages
    # given their variables as a dict, such as timeline.html, are compared by a digest
    # that must not depend on how the values happen to share objects).
    outcome = Site(project).rebuild()
    assert outcome.rendered == () and not outcome.full and outcome.changed == ()
    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0 and " 0 written" in second.stderr, second.stderr
    assert {p: p.stat().st_mtime_ns for p in site_files(project / "output")} == mtimes
    outcome = Site(project).rebuild()
    assert outcome.rendered == () and not outcome.full and outcome.changed == ()


def test_a_cache_from_elsewhere_is_never_loaded(tmp_path):
    project = write_tree(tmp_path / "p", PLAN)
    assert build(project).report is not None
    proof = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {proof}",))

    head = cache.MAGIC + cache.code_fingerprint(cache.PARSER)
    shards = sorted((project / ".careersite" / cache.PARSED_DIR).glob("*.pickle"))
    for path in shards:
        path.write_bytes(head + pickle.dumps(Evil()))
    result = build(project)
    assert result.report is not None
    assert not proof.exists()
    path.write_bytes(b"garbage")  # a damaged cache is ignored as well
    assert build(project).report is not None
    path.chmod(0o666)  # writable by others: not trusted
    assert cache._read(path, cache.code_fingerprint(cache.PARSER)) is None


def test_process_pool_gives_the_bytes_of_the_serial_path(tmp_path, monkeypatch):
    project = write_tree(tmp_path / "p", PLAN)
    for i in range(30):
        write_tree(project, {f"plans/goals/many/g{i:02}.md":
                             goal(f"Goal {i}", parent="long", body=f"[[a]] number {i}\n")})
    serial = clean_build(project, tmp_path / "serial", private=True)
    monkeypatch.setattr(pool, "MIN_PARSE_JOBS", 1)
    monkeypatch.setattr(pool, "MIN_RENDER_JOBS", 1)
    calls: list[int] = []
    real = pool.run

    def counting(task, items, *, jobs, minimum, heavy=0):  # type: ignore[no-untyped-def]
        calls.append(len(items))
        assert pool.can_fork() and jobs == 2
        return real(task, items, jobs=jobs, minimum=minimum, heavy=heavy)

    monkeypatch.setattr(pool, "run", counting)
    result = build(project, tmp_path / "parallel", private=True, cache=False, jobs=2)
    assert result.report is not None
    assert files(tmp_path / "parallel") == serial
    assert len(calls) == 2 and calls[0] == 41 and calls[1] > 40  # parsed, then rendered


def test_a_template_failing_in_a_worker_changes_no_file(tmp_path, monkeypatch):
    project = write_tree(tmp_path / "p", PLAN)
    for i in range(30):
        write_tree(project, {f"plans/goals/many/g{i:02}.md":
                             goal(f"Goal {i}", parent="long", body=f"Number {i}\n")})
    out = tmp_path / "out"
    assert build(project, out, cache=False, jobs=2).report is not None
    before = files(out)
    write_tree(project, {
        "plans/goals/many/g07.md": goal("Goal seven", parent="long", body="Changed\n"),
        "templates/goal.html": """
            {% extends "default/goal.html" %}
            {% block content %}{% if title == "Goal seven" %}{{ nothing() }}{% endif %}
            {{ super() }}{% endblock %}
            """})
    monkeypatch.setattr(pool, "MIN_RENDER_JOBS", 1)
    result = build(project, out, cache=False, jobs=2)
    assert result.report is None
    [problem] = [d for d in result.diagnostics if d.severity == "error"]
    assert (problem.path, problem.line) == ("templates/goal.html", 2)
    assert problem.message == "template: 'nothing' is undefined (in goals/many/g07.html)"
    # The other worker staged its pages; none of them replaced a file, none is left over.
    assert files(out) == before


def test_quick_update_writes_what_the_rebuild_then_confirms(tmp_path):
    project = write_tree(tmp_path / "p", PLAN)
    out = tmp_path / "out"
    site = Site(project, out, private=True, cache=False, jobs=1)
    site.rebuild()
    cases = [
        ("plans/goals/a.md", "- [ ] two", "- [x] two"),
        ("plans/goals/b.md", "progress: 40", "progress: 41"),
        ("plans/reviews/2026-11-20.md", "progress: 50", "progress: 55"),
        ("plans/goals/c.md", "parent: other-long", "parent: long"),
        ("plans/vision.md", "Lead accounts.", "Lead all accounts."),
        ("plans/notes/coach.md", "About", "All about"),
    ]
    for rel, old, new in cases:
        path = project / rel
        edit(path, old, new)
        quick = site.quick([str(path)])
        assert quick is not None and quick.changed, rel
        early = {url: (out / url).read_bytes() for url in quick.changed}
        outcome = site.rebuild(Changes(paths=frozenset([str(path)])))
        for url, data in early.items():
            assert (out / url).read_bytes() == data, (rel, url)
            assert url not in outcome.changed  # no second reload for the same bytes
    path = project / "plans/goals/a.md"
    edit(path, "title: Goal A", "title: Goal Ay")  # other pages show titles: not quick
    assert site.quick([str(path)]) is None
    edit(path, "status: active", "status: nonsense")  # an error: left to the rebuild
    assert site.quick([str(path)]) is None
