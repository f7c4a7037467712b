"""History and privacy (FORMAT.md, History of privacy): a canary per rule, absent from every
file of the public build; a private build shows what it may."""

from __future__ import annotations

from pathlib import Path

from conftest import site_files, soup
from gitrepo import AUTHOR_EMAIL, Repo, goal

CANARY_MESSAGE = "CANARY-COMMIT-MSG-77aa"
CANARY_OLD_FIELD = "CANARY-OLD-SALARY-1b2c"
CANARY_NEW_FIELD = "CANARY-NEW-SALARY-3d4e"
CANARY_PRIVATE_TITLE = "CANARY-WAS-PRIVATE-5f60"
CANARY_DELETED = "CANARY-DELETED-PRIVATE-7182"
CANARY_LATER_PRIVATE = "CANARY-LATER-PRIVATE-93a4"
CANARY_PRIVATE_TODAY = "CANARY-PRIVATE-TODAY-b5c6"


def everything(out: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in site_files(out))


def doc_line(page: Path) -> str:
    found = soup(page).select_one(".doc-history")
    return found.get_text(" ", strip=True) if found else ""


def history_items(page: Path) -> list[tuple[str, str]]:
    section = soup(page).select_one("section.goal-history")
    return [(li.time["datetime"], li.select_one(".hist-what").get_text(" ", strip=True))
            for li in section.select("li")] if section else []


def private_history(repo: Repo) -> None:
    """A repository whose history holds one canary per privacy rule."""
    salary = "private:\n  salary: {}\n"
    repo.commit("2026-01-10", f"Start {CANARY_MESSAGE}", {
        "plans/goals/deal.md": goal("Deal", extra=salary.format(CANARY_OLD_FIELD)),
        "plans/goals/flip.md": goal("Flip", target="2027-06-30"),
        "plans/goals/secret.md": goal(CANARY_DELETED, extra="private: true\n"),
        "plans/goals/later.md": goal(CANARY_LATER_PRIVATE),
        "plans/goals/hidden.md": goal(CANARY_PRIVATE_TODAY, extra="private: true\n"),
    })
    # a private field changes: the commit changes nothing public
    repo.commit("2026-02-02", "Raise", {
        "plans/goals/deal.md": goal("Deal", extra=salary.format(CANARY_NEW_FIELD))})
    # a document private for one revision, then public again
    repo.commit("2026-03-03", "Hide", {"plans/goals/flip.md": goal(
        CANARY_PRIVATE_TITLE, target="2031-11-11", progress=97, extra="private: true\n")})
    repo.commit("2026-04-04", "Show", {"plans/goals/flip.md": goal("Flip", target="2027-09-30")})
    # a private document deleted; a public one made private, then deleted
    repo.commit("2026-05-05", "Drop secret", {"plans/goals/secret.md": None})
    repo.commit("2026-06-06", "Hide later", {
        "plans/goals/later.md": goal(CANARY_LATER_PRIVATE, extra="private: true\n")})
    repo.commit("2026-07-07", "Drop later", {"plans/goals/later.md": None})


def test_public_build_leaks_nothing_of_history(cli, tmp_path):
    repo = Repo(tmp_path)
    private_history(repo)
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    out = tmp_path / "output"
    text = everything(out)
    for canary in (CANARY_MESSAGE, AUTHOR_EMAIL, CANARY_OLD_FIELD, CANARY_NEW_FIELD,
                   CANARY_PRIVATE_TITLE, CANARY_DELETED, CANARY_LATER_PRIVATE,
                   CANARY_PRIVATE_TODAY, "2031-11-11"):
        assert canary not in text, canary
    # nothing from the revision in which flip.md was private: not its date either
    assert history_items(out / "goals/flip.html") == [
        ("2026-04-04", "target moved from 2027-06-30 to 2027-09-30"),
        ("2026-01-10", "goal set")]
    assert "2026-03-03" not in text
    # a commit that changed only a private field is no public revision
    assert doc_line(out / "goals/deal.html") == (
        "Created 10 Jan 2026 · last changed 10 Jan 2026 · 1 revision")
    assert "2026-02-02" not in text
    # deleted documents that were ever private leave nothing, not even their dates
    assert "2026-05-05" not in text and "2026-06-06" not in text and "2026-07-07" not in text


def test_private_build_shows_subjects_and_all_revisions_never_emails(cli, tmp_path):
    repo = Repo(tmp_path)
    private_history(repo)
    out = tmp_path / "private-site"
    run = cli("build", "--project", tmp_path, "--private", "--output", out)
    assert run.code == 0, run.err
    text = everything(out)
    assert AUTHOR_EMAIL not in text
    history = soup(out / "history.html")
    subjects = [p.get_text(" ", strip=True) for p in history.select(".hist-subject")]
    assert f"Commit: Start {CANARY_MESSAGE}" in subjects
    assert doc_line(out / "goals/deal.html") == (
        "Created 10 Jan 2026 · last changed 2 Feb 2026 · 2 revisions")
    assert ("2026-03-03", "target moved from 2027-06-30 to 2031-11-11") in history_items(
        out / "goals/flip.html")
    removed = [li.get_text(" ", strip=True) for li in history.select("li.hist-removed")]
    assert removed == [f"Goal {CANARY_LATER_PRIVATE} — goal removed",
                       f"Goal {CANARY_DELETED} — goal removed"]
    assert CANARY_OLD_FIELD not in text  # a private field's earlier value: never shown


def test_public_cache_file_holds_no_commit_message(cli, tmp_path):
    repo = Repo(tmp_path)
    private_history(repo)
    assert cli("build", "--project", tmp_path).code == 0
    public = (tmp_path / ".careersite/history-public.json").read_text(encoding="utf-8")
    assert CANARY_MESSAGE not in public and CANARY_DELETED not in public
    assert AUTHOR_EMAIL not in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / ".careersite").glob("history*"))


def test_uncommitted_changes_only_in_a_private_build(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "Set", {"plans/goals/deal.md": goal("Deal"),
                                      "plans/goals/gone.md": goal("Gone soon")})
    repo.write({"plans/goals/deal.md": goal("Deal", progress=60),
                "plans/goals/fresh.md": goal("Fresh"),
                "plans/goals/gone.md": None})
    out = tmp_path / "private-site"
    assert cli("build", "--project", tmp_path, "--private", "--output", out).code == 0
    flags = soup(out / "goals/deal.html").select(".doc-history .flag-uncommitted")
    assert [f.get_text() for f in flags] == ["uncommitted changes"]
    assert soup(out / "goals/fresh.html").select_one(".flag-uncommitted").get_text() == (
        "not committed yet")
    listed = [li.get_text(" ", strip=True) for li in
              soup(out / "history.html").select(".hist-uncommitted li")]
    assert listed == ["Goal Deal — uncommitted changes", "Goal Fresh — not committed yet",
                      "Goal Gone soon — deleted, not committed yet"]
    assert cli("build", "--project", tmp_path).code == 0
    public = tmp_path / "output"
    assert soup(public / "history.html").select_one(".hist-uncommitted") is None
    assert not soup(public / "goals/deal.html").select(".flag-uncommitted")
    pages = "".join(p.read_text(encoding="utf-8") for p in public.rglob("*.html"))
    assert "ncommitted" not in pages and "not committed" not in pages
    assert doc_line(public / "goals/fresh.html") == ""


def test_crlf_checkout_is_not_an_uncommitted_change(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "Set", {"plans/goals/deal.md": goal("Deal")})
    path = tmp_path / "plans/goals/deal.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "private-site"
    assert cli("build", "--project", tmp_path, "--private", "--output", out).code == 0
    assert soup(out / "goals/deal.html").select_one(".flag-uncommitted") is None
