"""Output safety through the CLI: refusals, unchanged rebuilds, reproducible bytes."""

from __future__ import annotations

import os

from conftest import run_subprocess, site_files, write_tree

PLAN = {
    "plans/goals/long.md": "---\ntitle: Long\nhorizon: long\nstart: 2026-01-01\n"
                           "target: 2029-12-31\nstatus: active\n---\n- [ ] act\n",
    "plans/goals/a.md": "---\ntitle: A\nhorizon: short\nstart: 2026-06-01\ntarget: 2027-03-31\n"
                        "status: active\nparent: long\n---\n- [ ] act\n",
    "plans/img/chart.png": b"\x89PNG\r\n\x1a\nfake",
}


def test_refuses_project_root_and_plans(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    for target in (tmp_path, tmp_path / "plans", tmp_path / "plans/goals"):
        run = cli("build", "--project", tmp_path, "--output", target)
        assert run.code == 2, target
        assert "refusing" in run.err
    assert sorted(p.name for p in (tmp_path / "plans/goals").iterdir()) == ["a.md", "long.md"]


def test_refuses_foreign_non_empty_folder(cli, tmp_path):
    write_tree(tmp_path, {**PLAN, "site/keep.txt": "mine"})
    run = cli("build", "--project", tmp_path, "--output", tmp_path / "site")
    assert run.code == 2
    assert (tmp_path / "site/keep.txt").read_text() == "mine"


def test_rebuild_rewrites_nothing_and_keeps_user_files(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    assert cli("build", "--project", tmp_path).code == 0
    out = tmp_path / "output"
    (out / "CNAME").write_text("plan.example.org")
    old = 1_600_000_000
    for path in site_files(out):
        os.utime(path, (old, old))
    run = cli("build", "--project", tmp_path)
    assert run.code == 0
    assert "0 written" in run.err
    assert all(p.stat().st_mtime == old for p in site_files(out))
    (tmp_path / "plans/goals/a.md").unlink()
    (tmp_path / "plans/goals/long.md").write_text(
        PLAN["plans/goals/long.md"].replace("- [ ] act", "- [x] act"))  # type: ignore[union-attr]
    assert cli("build", "--project", tmp_path).code == 0
    assert not (out / "goals/a.html").exists()
    assert (out / "CNAME").read_text() == "plan.example.org"
    assert (out / "img/chart.png").read_bytes() == PLAN["plans/img/chart.png"]


def test_builds_are_reproducible(tmp_path):
    write_tree(tmp_path, PLAN)
    for name in ("one", "two"):
        run = run_subprocess("build", "--project", tmp_path, "--output", tmp_path / name)
        assert run.code == 0, run.err
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in site_files(tmp_path / "one")}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in site_files(tmp_path / "two")}
    assert one == two
    assert len(one) > 8
