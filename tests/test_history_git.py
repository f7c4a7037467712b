"""History from git, the hard cases: no git, no repository, no commits, shallow clones,
detached HEAD, a big tree, odd messages and names, hostile configuration, failures, and
the process count and cache that make it fast."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import Run, soup, write_tree
from gitrepo import Repo, goal

import careersite.history_cache
from careersite import history, history_model
from careersite.history import GitError


def history_items(page: Path) -> list[tuple[str, str]]:
    section = soup(page).select_one("section.goal-history")
    return [(li.time["datetime"], li.select_one(".hist-what").get_text(" ", strip=True))
            for li in section.select("li")] if section else []


def doc_line(page: Path) -> str:
    found = soup(page).select_one(".doc-history")
    return found.get_text(" ", strip=True) if found else ""


def notice(out: Path) -> list[str]:
    return [p.get_text(" ", strip=True) for p in soup(out / "history.html").select(".notice")]


def history_warnings(run: Run) -> list[str]:
    return [line for line in run.lines if "history" in line or "git" in line]


def three_commits(repo: Repo, plans: str = "plans") -> list[str]:
    return [
        repo.commit("2026-01-10", "one", {f"{plans}/goals/deal.md": goal(progress=10)}),
        repo.commit("2026-02-10", "two", {f"{plans}/goals/deal.md": goal(progress=20)}),
        repo.commit("2026-03-10", "three", {f"{plans}/goals/deal.md": goal(progress=30)}),
    ]


def test_not_a_git_repository_builds_without_warning(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    write_tree(tmp_path, {"plans/goals/deal.md": goal()})
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    assert history_warnings(run) == []
    out = tmp_path / "output"
    assert notice(out) == ["This plan is not kept in a git repository, so there is no history "
                           "to show. Put it under git and commit your changes to see how it "
                           "evolves."]
    assert doc_line(out / "goals/deal.html") == ""


def test_git_not_installed_warns_only_when_there_is_a_repository(cli, tmp_path, monkeypatch):
    repo = Repo(tmp_path / "with")
    repo.commit("2026-01-10", "one", {"plans/goals/deal.md": goal()})
    write_tree(tmp_path / "without", {"plans/goals/deal.md": goal()})
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    run = cli("build", "--project", tmp_path / "with")
    assert run.code == 0, run.err
    assert history_warnings(run) == [
        "plans:1:1: warning: git is not installed, so the plan's history is left out"]
    assert notice(tmp_path / "with/output") == [
        "git was not available when this site was built, so there is no history to show."]
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    run = cli("build", "--project", tmp_path / "without")
    assert run.code == 0 and history_warnings(run) == []


def test_repository_with_no_commits(cli, tmp_path):
    Repo(tmp_path)
    write_tree(tmp_path, {"plans/goals/deal.md": goal()})
    run = cli("build", "--project", tmp_path)
    assert run.code == 0 and history_warnings(run) == []
    assert notice(tmp_path / "output") == [
        "Nothing has been committed yet: commit the plan to start its history."]
    out = tmp_path / "private-site"
    assert cli("build", "--project", tmp_path, "--private", "--output", out).code == 0
    assert doc_line(out / "goals/deal.html") == "not committed yet"


def test_shallow_clone_says_where_history_starts(cli, tmp_path):
    source = Repo(tmp_path / "source")
    ids = three_commits(source)
    clone = tmp_path / "clone"
    source.git("clone", "-q", "--depth", "2", f"file://{source.root}", str(clone))
    run = cli("build", "--project", clone)
    assert run.code == 0, run.err
    assert history_warnings(run) == [
        f"plans:1:1: warning: shallow clone: history starts at 2026-02-10 (commit {ids[1][:10]}"
        "); run 'git fetch --unshallow' (in CI: fetch the full history) to see when goals "
        "were set"]
    out = clone / "output"
    assert notice(out) == ["This site was built from a shallow clone: history starts on "
                           "10 Feb 2026, and earlier changes are not shown."]
    page = out / "goals/deal.html"
    assert history_items(page) == [("2026-03-10", "progress 20 → 30")]  # no "goal set"
    assert doc_line(page) == (
        "In history since 10 Feb 2026 · last changed 10 Mar 2026 · 2 revisions")
    strict = cli("build", "--project", clone, "--strict")
    assert strict.code == 1 and (out / "history.html").is_file()  # a warning, as --strict says


def test_detached_head(cli, tmp_path):
    repo = Repo(tmp_path)
    three_commits(repo)
    repo.git("checkout", "-q", "--detach", "HEAD~1")
    run = cli("build", "--project", tmp_path)
    assert run.code == 0 and history_warnings(run) == []
    assert history_items(tmp_path / "output/goals/deal.html") == [
        ("2026-02-10", "progress 10 → 20"), ("2026-01-10", "goal set")]


def test_plans_folder_in_a_big_tree_and_a_project_in_a_subfolder(cli, tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("2026-01-01", "code", {f"src/m{i}.py": f"x = {i}\n" for i in range(300)})
    repo.commit("2026-01-10", "plan", {"career/plans/goals/deal.md": goal(progress=10),
                                       "plans/goals/other.md": goal("Not this project")})
    for day in range(11, 20):
        repo.commit(f"2026-01-{day}", "code", {f"src/m{day}.py": f"x = -{day}\n"})
    repo.commit("2026-02-10", "plan", {"career/plans/goals/deal.md": goal(progress=40)})
    project = repo.root / "career"
    assert cli("build", "--project", project).code == 0
    page = project / "output/goals/deal.html"
    assert doc_line(page) == "Created 10 Jan 2026 · last changed 10 Feb 2026 · 2 revisions"
    titles = [a.get_text() for a in soup(project / "output/history.html").select("li a")]
    assert "Not this project" not in titles


def test_non_utf8_commit_messages(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.git("config", "i18n.commitEncoding", "ISO-8859-1")
    repo.commit("2026-01-10", "Mål för året".encode("latin-1"),
                {"plans/goals/deal.md": goal(progress=10)})
    repo.git("config", "--unset", "i18n.commitEncoding")
    repo.commit("2026-02-10", b"Broken \xff\xfe bytes", {"plans/goals/deal.md": goal(
        progress=20, target="2027-12-31")})
    out = tmp_path / "private-site"
    run = cli("build", "--project", tmp_path, "--private", "--output", out)
    assert run.code == 0, run.err
    subjects = [p.get_text(" ", strip=True).removeprefix("Commit: ")
                for p in soup(out / "history.html").select(".hist-subject")]
    assert subjects[1] == "Mål för året"
    assert subjects[0].startswith("Broken ") and subjects[0].endswith(" bytes")
    assert history_items(out / "goals/deal.html")[-2] == ("2026-02-10", "progress 10 → 20")


def test_file_names_that_look_like_options(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "odd names", {
        "plans/-p.md": "---\ntitle: Dash note\n---\nText.\n",
        "plans/goals/--output=x.md": goal("Dashing goal", progress=10)})
    repo.commit("2026-02-10", "edit", {"plans/goals/--output=x.md": goal("Dashing goal",
                                                                          progress=50)})
    run = cli("build", "--project", tmp_path)
    assert run.code == 0 and history_warnings(run) == []
    out = tmp_path / "output"
    page = next((out / "goals").glob("*output*.html"))
    assert history_items(page)[0] == ("2026-02-10", "progress 10 → 50")
    [link] = soup(out / "index.html").select(".notes-nav a")
    note = out / link["href"]
    assert doc_line(note) == "Created 10 Jan 2026 · last changed 10 Jan 2026 · 1 revision"
    assert not (tmp_path / "x.md").exists() and not (tmp_path / "plans/x.md").exists()


def test_repository_configuration_cannot_run_commands(cli, tmp_path):
    repo = Repo(tmp_path)
    three_commits(repo)
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\ntouch '{marker}'\ncat\n")
    evil.chmod(evil.stat().st_mode | stat.S_IEXEC)
    for key, value in (("core.fsmonitor", str(evil)), ("diff.external", str(evil)),
                       ("core.pager", str(evil)), ("pager.log", str(evil)),
                       ("diff.evil.textconv", str(evil)), ("filter.evil.clean", str(evil)),
                       ("filter.evil.smudge", str(evil)), ("log.showSignature", "true"),
                       ("gpg.program", str(evil)), ("core.hooksPath", str(tmp_path))):
        repo.git("config", key, value)
    (tmp_path / ".gitattributes").write_text("*.md diff=evil filter=evil\n")
    for args in ((), ("--private", "--output", tmp_path / "private-site")):
        assert cli("build", "--project", tmp_path, *args).code == 0
    assert not marker.exists()
    assert history_items(tmp_path / "output/goals/deal.html")[0][1] == "progress 20 → 30"


def test_git_environment_of_a_hook_does_not_point_history_elsewhere(cli, tmp_path, monkeypatch):
    repo = Repo(tmp_path / "plan")
    three_commits(repo)
    other = Repo(tmp_path / "other")
    other.commit("2025-05-05", "other", {"plans/goals/deal.md": goal(progress=99)})
    monkeypatch.setenv("GIT_DIR", str(other.root / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other.root))
    assert cli("build", "--project", repo.root).code == 0
    assert doc_line(repo.root / "output/goals/deal.html").startswith("Created 10 Jan 2026")


def test_a_git_failure_is_a_warning_never_a_failed_build(cli, tmp_path, monkeypatch):
    repo = Repo(tmp_path)
    three_commits(repo)

    def boom(*args: object) -> None:
        raise GitError("git log failed: fatal: bad object")

    monkeypatch.setattr(careersite.history_cache, "read_log", boom)
    run = cli("build", "--project", tmp_path)
    assert run.code == 0
    assert history_warnings(run) == [
        "plans:1:1: warning: history from git left out: git log failed: fatal: bad object"]
    assert notice(tmp_path / "output") == [
        "The history could not be read from git for this build."]

    def bug(*args: object, **kwargs: object) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(careersite.history_cache, "build_history", bug)
    monkeypatch.setattr(careersite.history_cache, "read_log", history.read_log)
    run = cli("build", "--project", tmp_path)
    assert run.code == 0
    assert history_warnings(run) == [
        "plans:1:1: warning: history from git left out: RuntimeError: unexpected"]
    assert "Traceback" not in run.err


def test_broken_repository_is_a_warning(cli, tmp_path):
    repo = Repo(tmp_path)
    three_commits(repo)
    shutil.rmtree(tmp_path / ".git/objects")
    (tmp_path / ".git/objects").mkdir()
    run = cli("build", "--project", tmp_path)
    assert run.code == 0
    [line] = history_warnings(run)
    assert line.startswith("plans:1:1: warning: history from git left out: git ")


class Spawned:
    """Records every git subcommand started (subprocess.run goes through Popen too)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        self.commands: list[list[str]] = []
        self.last_commands: list[list[str]] = []
        real = subprocess.Popen
        calls, commands = self.calls, self.commands

        class Counting(real):  # type: ignore[misc, valid-type]
            def __init__(self, cmd, *args, **kwargs):  # type: ignore[no-untyped-def]
                if os.path.basename(str(cmd[0])) == "git" and "--no-pager" in cmd:
                    calls.append(cmd[1 + len(history.SAFE_OPTIONS)])
                    commands.append([str(c) for c in cmd])
                super().__init__(cmd, *args, **kwargs)

        monkeypatch.setattr(subprocess, "Popen", Counting)

    def take(self) -> list[str]:
        """The git commands started since the last take, rev-parse (a quick look at HEAD,
        which the build's cache may also take) left out."""
        taken = [c for c in self.calls if c != "rev-parse"]
        assert 1 <= self.calls.count("rev-parse") <= 2, self.calls
        self.calls.clear()
        self.last_commands = list(self.commands)
        self.commands.clear()
        return taken


def test_one_log_and_one_cat_file_however_many_files_and_commits(cli, tmp_path, monkeypatch):
    repo = Repo(tmp_path)
    for day in range(1, 13):
        repo.commit(f"2026-01-{day:02d}", f"c{day}", {
            f"plans/goals/g{n}.md": goal(f"Goal {n}", progress=day * 5) for n in range(25)})
    spawned = Spawned(monkeypatch)
    first_head = repo.git("rev-parse", "HEAD")
    assert cli("build", "--project", tmp_path).code == 0
    assert spawned.take() == ["log", "cat-file"]
    assert cli("build", "--project", tmp_path).code == 0
    assert spawned.take() == []  # warm: the cache answers
    assert cli("build", "--project", tmp_path, "--private", "--output", tmp_path / "p").code == 0
    assert spawned.take() == []  # both kinds of build were cached at once
    repo.commit("2026-02-01", "one more", {"plans/goals/g3.md": goal("Goal 3", progress=99)})
    worked_out = []
    real_lineages = history_model.lineages

    def counting(chain, *args):  # type: ignore[no-untyped-def]
        worked_out.append(chain.revs[-1][1])
        return real_lineages(chain, *args)

    monkeypatch.setattr(history_model, "lineages", counting)
    assert cli("build", "--project", tmp_path).code == 0
    assert worked_out == ["goals/g3.md"]  # the other 24 goals' lineages come from the cache
    assert spawned.take() == ["log", "cat-file"]
    [log_command] = [c for c in spawned.last_commands if "log" in c]
    assert "^" + first_head in log_command  # only the commits since the last build are read
    log = json.loads((tmp_path / ".careersite/history-log.json").read_text())
    assert len(log["log"]) == 13


def cached(root: Path) -> dict[str, object]:
    return {name: json.loads((root / ".careersite" / name).read_text())["history"]
            for name in ("history-public.json", "history-private.json")}


def test_incremental_history_equals_history_read_whole(cli, tmp_path):
    repo = Repo(tmp_path)
    three_commits(repo)
    assert cli("build", "--project", tmp_path).code == 0
    repo.commit("2026-04-01", "code only", {"README": "hello\n"})
    assert cli("build", "--project", tmp_path).code == 0
    repo.move("2026-04-02", "plans/goals/deal.md", "plans/goals/big-deal.md")
    repo.commit("2026-04-03", "more", {"plans/goals/new.md": goal("New"),
                                       "plans/goals/big-deal.md": goal(status="achieved")})
    assert cli("build", "--project", tmp_path).code == 0
    incremental = cached(tmp_path)
    shutil.rmtree(tmp_path / ".careersite")
    assert cli("build", "--project", tmp_path).code == 0
    assert cached(tmp_path) == incremental
    # history rewritten (HEAD moved back): read whole again, not extended
    repo.git("reset", "-q", "--hard", "HEAD~2")
    assert cli("build", "--project", tmp_path).code == 0
    assert history_items(tmp_path / "output/goals/deal.html")[0] == (
        "2026-03-10", "progress 20 → 30")
    moved_back = cached(tmp_path)
    shutil.rmtree(tmp_path / ".careersite")
    assert cli("build", "--project", tmp_path).code == 0
    assert cached(tmp_path) == moved_back


def test_a_broken_cache_is_rebuilt(cli, tmp_path):
    repo = Repo(tmp_path)
    three_commits(repo)
    assert cli("build", "--project", tmp_path).code == 0
    for name in ("history-public.json", "history-log.json", "history-blobs.json"):
        (tmp_path / ".careersite" / name).write_text("{not json")
    run = cli("build", "--project", tmp_path)
    assert run.code == 0 and history_warnings(run) == []
    assert history_items(tmp_path / "output/goals/deal.html")[0] == (
        "2026-03-10", "progress 20 → 30")


def test_a_revision_missing_from_the_clone_is_left_out_with_a_warning(cli, tmp_path):
    repo = Repo(tmp_path)
    three_commits(repo)
    first = repo.git("rev-parse", "HEAD~2:plans/goals/deal.md")
    (tmp_path / ".git/objects" / first[:2] / first[2:]).unlink()
    run = cli("build", "--project", tmp_path)
    assert run.code == 0
    assert history_warnings(run) == [
        "plans:1:1: warning: 1 revision(s) could not be read from git (a partial clone?); "
        "their history is left out"]
    assert history_items(tmp_path / "output/goals/deal.html") == [
        ("2026-03-10", "progress 20 → 30"), ("2026-02-10", "goal set")]

