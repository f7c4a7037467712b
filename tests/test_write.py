"""Output safety: refusals, atomic writes, unchanged files kept, manifest-based clean."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from careersite.diagnostics import UsageError
from careersite.outdir import check_output_dir
from careersite.write import (
    MANIFEST_NAME,
    MARKER_NAME,
    TEMP_PREFIX,
    DiskFullError,
    OutputWriteError,
    Stage,
    WriteReport,
    write_site,
)

ROOT = Path(__file__).resolve().parent.parent
OLD_TIME = 1_500_000_000


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (links not followed), by posix path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def manifest(folder: Path) -> list[str]:
    data = json.loads((folder / MANIFEST_NAME).read_bytes())
    files = data["files"]
    assert isinstance(files, list)
    return files


def site(version: str = "1", count: int = 3) -> dict[str, bytes]:
    files = {"index.html": f"<h1>home {version}</h1>".encode(),
             "goals/sales/first-deal.html": f"deal {version}".encode(),
             "reviews/2027-01-15.html": f"review {version}".encode()}
    files.update({f"notes/n{i}.html": f"note {i} {version}".encode() for i in range(count)})
    return files


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "plans" / "goals").mkdir(parents=True)
    return root


# --- check_output_dir ----------------------------------------------------------------


def refuse(output: Path, project: Path) -> str:
    with pytest.raises(UsageError) as info:
        check_output_dir(output, project_root=project, plans_dir=project / "plans")
    return str(info.value)


def test_accepts_the_default_and_an_outside_folder(project: Path, tmp_path: Path) -> None:
    check_output_dir(project / "output", project_root=project, plans_dir=project / "plans")
    check_output_dir(tmp_path / "elsewhere" / "site", project_root=project,
                     plans_dir=project / "plans")
    check_output_dir(project / "public" / "career", project_root=project,
                     plans_dir=project / "plans")


def test_refuses_the_project_root(project: Path) -> None:
    message = refuse(project, project)
    assert message == (f"refusing to write the site into the project root {project.resolve()}: "
                       "choose an output folder such as output/")
    assert "project root" in refuse(project / "plans" / "..", project)


def test_refuses_the_plans_folder(project: Path) -> None:
    assert refuse(project / "plans", project).startswith(
        f"refusing to write the site into the plans folder {(project / 'plans').resolve()}")


def test_refuses_a_folder_inside_plans(project: Path) -> None:
    message = refuse(project / "plans" / "goals" / "site", project)
    assert "inside the plans folder" in message
    assert str((project / "plans").resolve()) in message


def test_refuses_a_parent_of_plans(project: Path) -> None:
    message = refuse(project.parent, project)
    assert f"into {project.parent.resolve()}, a parent of the plans folder" in message


def test_refuses_the_file_system_root(project: Path) -> None:
    assert "file system root /" in refuse(Path("/"), project)


def test_refuses_the_home_folder(project: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert f"the home folder {home.resolve()}" in refuse(home, project)


def test_refuses_a_symlink(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-site"
    real.mkdir()
    link = project / "output"
    link.symlink_to(real)
    assert "it is a symbolic link" in refuse(link, project)
    with pytest.raises(UsageError, match="symbolic link"):
        write_site(link, site())
    assert list(real.iterdir()) == []


def test_refuses_a_symlink_to_the_plans_folder_by_what_it_is(project: Path) -> None:
    # Reached through a linked parent folder, the plans folder is still the plans folder.
    (project / "alias").symlink_to(project)
    assert "plans folder" in refuse(project / "alias" / "plans", project)


def test_refuses_the_cache_and_a_file(project: Path) -> None:
    assert "cache folder" in refuse(project / ".careersite", project)
    (project / "site.html").write_text("x")
    assert "not a folder" in refuse(project / "site.html", project)


# --- the marker ------------------------------------------------------------------------


def test_refuses_a_non_empty_folder_careersite_did_not_create(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.tex").write_text("mine")
    with pytest.raises(UsageError) as info:
        write_site(out, site())
    assert str(info.value) == (
        f"refusing to write the site into {out}: the folder is not empty and careersite did "
        f"not create it (no {MARKER_NAME} file); empty it or choose another output folder")
    assert tree(out) == {"thesis.tex": b"mine"}


def test_creates_missing_and_takes_empty_folders(tmp_path: Path) -> None:
    for out in (tmp_path / "a" / "b" / "output", tmp_path / "empty"):
        if out.name == "empty":
            out.mkdir()
        report = write_site(out, site())
        assert report == WriteReport(written=6, unchanged=0, removed=0)
        assert (out / MARKER_NAME).is_file()
        assert manifest(out) == sorted(site())
        assert {k: v for k, v in tree(out).items() if not k.startswith(".")} == site()


def test_missing_manifest_with_files_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, site())
    (out / MANIFEST_NAME).unlink()
    with pytest.raises(UsageError, match="missing or unreadable"):
        write_site(out, site("2"))
    (out / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(UsageError, match="missing or unreadable"):
        write_site(out, site("2"))


# --- paths that are bugs ------------------------------------------------------------


@pytest.mark.parametrize("bad", ["/etc/passwd", "../x.html", "a/../../x.html", "a//b.html",
                                 "./a.html", "", "a\\b.html", MARKER_NAME, MANIFEST_NAME,
                                 f"goals/{TEMP_PREFIX}x", "a/", "nul\0.html"])
def test_refuses_paths_that_could_leave_the_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        write_site(tmp_path / "output", {bad: b"x"})
    assert not (tmp_path / "output").exists()


def test_refuses_a_path_that_is_both_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="both a file and a folder"):
        write_site(tmp_path / "output", {"a": b"1", "a/b.html": b"2"})


def test_refuses_to_write_through_a_symlinked_sub_folder(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, {"index.html": b"i"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "goals").symlink_to(outside)
    with pytest.raises(UsageError, match="symbolic link"):
        write_site(out, {"index.html": b"i", "goals/a.html": b"a"})
    assert list(outside.iterdir()) == []


def test_never_removes_through_a_link_or_outside(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, {"index.html": b"i", "goals/a.html": b"a"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.html").write_bytes(b"precious")
    (outside / "secret.txt").write_bytes(b"precious")
    for path in (out / "goals").iterdir():
        path.unlink()
    (out / "goals").rmdir()
    (out / "goals").symlink_to(outside)
    data = json.loads((out / MANIFEST_NAME).read_bytes())
    data["files"] += ["../outside/secret.txt", "/etc/hostname"]
    (out / MANIFEST_NAME).write_text(json.dumps(data))
    write_site(out, {"index.html": b"i"})
    assert tree(outside) == {"a.html": b"precious", "secret.txt": b"precious"}


# --- clean by manifest -------------------------------------------------------------------


def test_clean_removes_only_careersites_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "output"
    private = {**site(), "goals/salary/raise.html": b"private", "goals/salary/img.png": b"p"}
    write_site(out, private)
    (out / "CNAME").write_bytes(b"career.example.org")
    (out / "goals" / "notes-of-mine.txt").write_bytes(b"mine")
    (out / "extra").mkdir()
    (out / "extra" / "keep.html").write_bytes(b"mine")

    report = write_site(out, site())
    assert report == WriteReport(written=0, unchanged=6, removed=2)
    assert not (out / "goals" / "salary").exists()
    assert (out / "CNAME").read_bytes() == b"career.example.org"
    assert (out / "goals" / "notes-of-mine.txt").read_bytes() == b"mine"
    assert (out / "extra" / "keep.html").read_bytes() == b"mine"
    assert manifest(out) == sorted(site())


def test_clean_keeps_a_folder_that_holds_a_users_file(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, {"index.html": b"i", "goals/a/b.html": b"b"})
    (out / "goals" / "a" / "mine.txt").write_bytes(b"mine")
    assert write_site(out, {"index.html": b"i"}).removed == 1
    assert tree(out / "goals") == {"a/mine.txt": b"mine"}


def test_stale_file_where_a_folder_is_needed_and_back(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, {"x.png": b"image"})
    assert write_site(out, {"x.png/a.html": b"page"}).removed == 1
    assert (out / "x.png" / "a.html").read_bytes() == b"page"
    assert write_site(out, {"x.png": b"image"}).removed == 1
    assert (out / "x.png").read_bytes() == b"image"


def test_a_users_folder_in_the_way_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, {"index.html": b"i"})
    (out / "a.html").mkdir()
    with pytest.raises(UsageError, match="a folder is in the way"):
        write_site(out, {"index.html": b"i", "a.html": b"a"})


# --- unchanged, changed, reproducible -------------------------------------------------


def set_old_mtimes(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (OLD_TIME, OLD_TIME), follow_symlinks=False)


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.lstat().st_mtime_ns
            for p in [folder, *folder.rglob("*")]}


def test_unchanged_rebuild_rewrites_nothing(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, site())
    set_old_mtimes(out)
    before = mtimes(out)
    report = write_site(out, dict(reversed(list(site().items()))))
    assert report == WriteReport(written=0, unchanged=6, removed=0)
    assert mtimes(out) == before
    assert temp_files(out) == []


def test_changed_bytes_rewrite_only_that_file(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, site())
    set_old_mtimes(out)
    before = mtimes(out)
    changed = {**site(), "notes/n1.html": b"note 1 X", "index.html": b"<h1>home 1</h1> more"}
    assert len(changed["notes/n1.html"]) == len(site()["notes/n1.html"])  # same size
    report = write_site(out, changed)
    assert report == WriteReport(written=2, unchanged=4, removed=0)
    after = mtimes(out)
    differ = {path for path in before if before[path] != after[path]}
    assert differ == {"notes/n1.html", "index.html", "notes", "."}  # folders: new entries
    assert (out / "notes" / "n1.html").read_bytes() == b"note 1 X"


def test_reproducible(tmp_path: Path) -> None:
    files = site(count=50)
    write_site(tmp_path / "a", files)
    write_site(tmp_path / "b", dict(sorted(files.items(), reverse=True)))
    (tmp_path / "c").mkdir()
    write_site(tmp_path / "c", {"old.html": b"old", **files})
    write_site(tmp_path / "c", files)
    assert tree(tmp_path / "a") == tree(tmp_path / "b") == tree(tmp_path / "c")


def test_files_are_readable_by_others(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        write_site(tmp_path / "output", {"index.html": b"i"})
    finally:
        os.umask(old_umask)
    assert (tmp_path / "output" / "index.html").stat().st_mode & 0o777 == 0o644


def test_many_files(tmp_path: Path) -> None:
    files = {f"goals/g{i // 100}/p{i}.html": b"x" * (i % 300) for i in range(5000)}
    out = tmp_path / "output"
    assert write_site(out, files).written == 5000
    assert write_site(out, files) == WriteReport(written=0, unchanged=5000, removed=0)


# --- failures -------------------------------------------------------------------------


@pytest.fixture
def fail_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, int, int], None]]:
    """Make os.<name> raise OSError(code) from its (n+1)-th call on."""

    def arm(name: str, n: int, code: int) -> None:
        real = getattr(os, name)
        calls = [0]

        def failing(*args: object) -> object:
            calls[0] += 1
            if calls[0] > n:
                raise OSError(code, os.strerror(code))
            return real(*args)

        monkeypatch.setattr(os, name, failing)

    yield arm


def assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    for path, data in tree(out).items():
        if path.rpartition("/")[2].startswith(".careersite"):
            continue
        assert data in (old.get(path), new.get(path)), path


def test_failure_midway_leaves_complete_files(tmp_path: Path,
                                              fail_after: Callable[[str, int, int], None],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    old, new = site("1", 20), {**site("2", 30), "added/x.html": b"x"}
    write_site(out, old)
    fail_after("replace", 12, errno.EIO)
    with pytest.raises(OutputWriteError, match="cannot write .*: Input/output error"):
        write_site(out, new)
    assert_old_or_new(out, old, new)
    assert temp_files(out) == []
    assert set(manifest(out)) == set(old) | set(new)  # widened before writing
    changed = sum(1 for p, d in tree(out).items() if new.get(p) == d and old.get(p) != d)
    assert 0 < changed < len(new)
    monkeypatch.undo()
    write_site(out, new)
    assert {k: v for k, v in tree(out).items() if not k.startswith(".")} == new


def test_disk_full_is_reported_clearly(tmp_path: Path,
                                       fail_after: Callable[[str, int, int], None]) -> None:
    out = tmp_path / "output"
    old, new = site("1"), site("22")
    write_site(out, old)
    fail_after("write", 2, errno.ENOSPC)
    with pytest.raises(DiskFullError) as info:
        write_site(out, new)
    target = info.value.path
    assert target.parent.is_relative_to(out)
    rel = target.relative_to(out).as_posix()
    assert str(info.value).startswith(
        f"no space left on the device while writing {target} ({len(new[rel])} bytes)")
    assert isinstance(info.value, UsageError)
    assert target.read_bytes() == old[rel]
    assert temp_files(out) == []
    assert_old_or_new(out, old, new)


def test_leftover_temp_files_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, site())
    (out / "goals" / "sales" / f"{TEMP_PREFIX}abc").write_bytes(b"half")
    (out / f"{TEMP_PREFIX}def").write_bytes(b"half")
    (out / "mine").mkdir()
    (out / "mine" / f"{TEMP_PREFIX}x").write_bytes(b"not in a folder careersite writes")
    write_site(out, site())
    assert temp_files(out) == [out / "mine" / f"{TEMP_PREFIX}x"]


def on_disk(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and not p.name.startswith(".careersite")}


def test_staged_pages_move_into_place_and_leave_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "output"
    old = site()
    write_site(out, old)
    stage = Stage(out)
    staged = {path: stage.put(path, data + b" v2") for path, data in old.items()
              if path != "index.html"}
    assert stage.put("index.html", old["index.html"]) is None  # same bytes: not staged
    assert on_disk(out) == old  # staging alone changes no file of the site
    report = write_site(out, {p: s for p, s in staged.items() if s is not None},
                        keep=["index.html"], stage=stage)
    stage.discard()
    assert (report.written, report.unchanged) == (len(old) - 1, 1)
    assert on_disk(out) == {p: d if p == "index.html" else d + b" v2" for p, d in old.items()}
    assert temp_files(out) == []


def test_a_staged_page_crossing_file_systems_is_copied(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    write_site(out, {"index.html": b"old"})
    stage = Stage(out)
    staged = stage.put("index.html", b"new")
    assert staged is not None
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(src).name == staged.temp:  # as if another file system were mounted there
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_site(out, {"index.html": staged}, stage=stage)
    assert on_disk(out) == {"index.html": b"new"}
    assert temp_files(out) == []


KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from careersite.write import write_site

    out, version, stop_at = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    files = {f"goals/g{i % 7}/p{i}.html": (version + str(i)).encode() * 20000
             for i in range(60)}
    real_write, calls = os.write, [0]

    def slow_write(fd, data):
        calls[0] += 1
        if calls[0] == stop_at:  # write half of this file, then wait to be killed
            real_write(fd, bytes(data[: len(data) // 2]))
            print("half", flush=True)
            time.sleep(60)
        return real_write(fd, data)

    os.write = slow_write
    write_site(out, files)
    print("done", flush=True)
""")


def expected(version: str) -> dict[str, bytes]:
    return {f"goals/g{i % 7}/p{i}.html": (version + str(i)).encode() * 20000 for i in range(60)}


def test_sigkill_midway_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "output"
    script = tmp_path / "writer.py"
    script.write_text(KILLED_WRITER)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, str(script), str(out), "old", "0"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert first.stdout == "done\n", first.stderr
    proc = subprocess.Popen([sys.executable, str(script), str(out), "new", "25"],
                            env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "half\n"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    old, new = expected("old"), expected("new")
    assert len(temp_files(out)) == 1  # the half-written file, under its temporary name
    assert_old_or_new(out, old, new)
    on_disk = tree(out)
    assert sum(1 for p in new if on_disk[p] == new[p]) > 0
    assert sum(1 for p in new if on_disk[p] == old[p]) > 0

    final = subprocess.run([sys.executable, str(script), str(out), "new", "0"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert final.stdout == "done\n", final.stderr
    assert temp_files(out) == []
    assert {k: v for k, v in tree(out).items() if not k.startswith(".")} == new
