"""Nothing private reaches any file of a public build; a --private build shows it."""

from __future__ import annotations

from pathlib import Path

from conftest import site_files, soup, write_tree

CANARY_FIELD = "CANARY-FIELD-7f3a"
CANARY_BLOCK = "CANARY-BLOCK-91bc"
CANARY_DOC = "CANARY-DOC-55d0"
CANARY_DOC_TITLE = "CANARY-TITLE-0a1e"
CANARY_REVIEW = "CANARY-REVIEW-3c3c"
CANARY_META = "CANARY-META-8e21"

CANARIES = (CANARY_FIELD, CANARY_BLOCK, CANARY_DOC, CANARY_DOC_TITLE, CANARY_REVIEW,
            CANARY_META)


def private_plan(root: Path) -> Path:
    return write_tree(root, {
        "plans/vision.md": f"""\
            ---
            hard_values:
              Salary: Top quartile
            private:
              salary_target: "{CANARY_FIELD}"
            ---
            My vision.
            """,
        "plans/goals/long.md": f"""\
            ---
            title: Public long goal
            horizon: long
            target: 2029
            status: active
            private:
              manager: "{CANARY_META}"
            ---
            Public text. See [the secret goal](secret.md) and [[secret]].

            ::: private
            Manager said {CANARY_BLOCK}.
            :::

            - [ ] act
            """,
        "plans/goals/secret.md": f"""\
            ---
            title: {CANARY_DOC_TITLE}
            horizon: short
            target: 2027-06
            parent: long
            status: active
            private: true
            ---
            {CANARY_DOC}

            - [ ] act
            """,
        "plans/goals/public-short.md": """\
            ---
            title: Public short goal
            horizon: short
            target: 2027-06
            parent: [long, secret]
            status: active
            ---
            - [ ] act
            """,
        "plans/reviews/2026-11-01.md": f"""\
            ---
            date: 2026-11-01
            goals:
              secret: {{progress: 50, note: "{CANARY_REVIEW}"}}
              public-short: {{progress: 20}}
            ---
            Checked in on [[secret]].
            """,
    })


def everything(out: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in site_files(out))


def test_public_build_leaks_no_canary(cli, tmp_path):
    private_plan(tmp_path)
    run = cli("build", "--project", tmp_path)
    assert run.code == 0, run.err
    text = everything(tmp_path / "output")
    for canary in CANARIES:
        assert canary not in text
    assert not (tmp_path / "output/goals/secret.html").exists()


def test_public_build_keeps_link_text_and_says_private(cli, tmp_path):
    private_plan(tmp_path)
    assert cli("build", "--project", tmp_path).code == 0
    body = soup(tmp_path / "output/goals/long.html").select_one(".goal-body")
    assert body.find_all("a") == []
    text = body.get_text(" ", strip=True)
    assert "See the secret goal and private ." in text or "See the secret goal and private" in text
    review = soup(tmp_path / "output/reviews/2026-11-01.html")
    rows = review.select(".checkin-table tbody tr")
    assert [r.find("a").get_text() for r in rows] == ["Public short goal"]
    short = soup(tmp_path / "output/goals/public-short.html")
    assert [a["href"] for a in short.select(".relations a")] == ["../goals/long.html"]


def test_private_build_shows_everything(cli, tmp_path):
    private_plan(tmp_path)
    out = tmp_path / "private-site"
    run = cli("build", "--project", tmp_path, "--private", "--output", out)
    assert run.code == 0, run.err
    text = everything(out)
    for canary in CANARIES:
        assert canary in text
    assert soup(out / "index.html").select_one(".private-banner") is not None
