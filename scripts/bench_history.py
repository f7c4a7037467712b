#!/usr/bin/env python3
"""Benchmark history from git: cold and warm cost, next to the cost of the rest of the build.

One command (it makes its own repository with `git fast-import`):

    .venv/bin/python scripts/bench_history.py              # 200 goal files, 2,000 commits
    .venv/bin/python scripts/bench_history.py --goals 5000 --commits 20000 --runs 3

The repository: a project whose plans/ holds a vision, N goal files (~2 KB: milestones,
an action plan) and reviews, next to an unrelated src/ tree; commits move targets, change
status and progress, tick milestones and actions, add reviews, rename goals, delete goals
and make some private; one commit in ten touches only src/. Author dates are one day
apart. Times are in-process wall seconds (perf_counter), median (min-max) of --runs.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import careersite.build  # noqa: E402
from careersite import history as git_history  # noqa: E402
from careersite import history_cache  # noqa: E402
from careersite.build import build, load_project  # noqa: E402
from careersite.history_cache import load_history  # noqa: E402
from careersite.history_views import plan_history  # noqa: E402
from careersite.model import build_plan  # noqa: E402
from careersite.render import build_date  # noqa: E402

STATUSES = ("planned", "active", "active", "paused", "achieved", "dropped")
WORDS = ("lead", "ship", "learn", "negotiate", "mentor", "present", "plan", "measure",
         "write", "review", "hire", "budget", "design", "test", "coach", "sell")


def goal_text(rng: random.Random, n: int, state: dict[str, Any]) -> str:
    """A goal file from its current state."""
    ms = "".join(f"  - {{title: \"Milestone {i + 1} of goal {n}\", due: 2027-{i + 2:02d}, "
                 f"done: {'true' if i < state['ms_done'] else 'false'}}}\n"
                 for i in range(4))
    actions = "".join(f"- [{'x' if i < state['acts_done'] else ' '}] "
                      f"{rng.choice(WORDS).capitalize()} the {rng.choice(WORDS)} plan, step {i}\n"
                      for i in range(6))
    progress = "" if n % 5 == 0 else f"progress: {state['progress']}\n"
    private = "private: true\n" if state["private"] else (
        "private:\n  salary: \"secret\"\n" if n % 7 == 0 else "")
    body = " ".join(rng.choice(WORDS) for _ in range(220))
    return (f"---\ntitle: \"Goal {n}: {state['title']}\"\nhorizon: "
            f"{'long' if n % 5 == 1 else 'short'}\nstart: 2026-01-01\ntarget: {state['target']}\n"
            f"status: {state['status']}\n{progress}{private}milestones:\n{ms}"
            f"tags: [bench, t{n % 10}]\n---\n\n{body}\n\n## Action plan\n\n{actions}"
            f"\n## Notes\n\n{state['note']}\n")


def fast_import_stream(goals: int, commits: int, seed: int) -> bytes:
    """The whole repository as a `git fast-import` stream."""
    rng = random.Random(seed)
    out: list[bytes] = []
    day0 = 1735732800  # 2025-01-01 12:00 UTC

    def data(text: str | bytes) -> None:
        raw = text.encode("utf-8") if isinstance(text, str) else text
        out.append(b"data %d\n" % len(raw) + raw + b"\n")

    names = {n: f"goal-{n:05d}" for n in range(goals)}
    states: dict[int, dict[str, Any]] = {
        n: {"title": " ".join(rng.choice(WORDS) for _ in range(3)), "target": "2027-06-30",
            "status": "planned", "progress": 0, "ms_done": 0, "acts_done": 0,
            "private": n % 50 == 3, "note": "first notes"} for n in range(goals)}
    reviews = 0
    anchors = list(range(0, goals, 10))
    for c in range(commits):
        when = day0 + c * 86400
        out.append(b"commit refs/heads/main\n")
        out.append(b"author Bench <bench@example.org> %d +0000\n" % when)
        out.append(b"committer Bench <bench@example.org> %d +0000\n" % when)
        files: list[bytes] = []
        if c == 0:
            data("Start the plan")
            raw = b"---\ntitle: Vision\n---\nWhere I am going.\n"
            files.append(b"M 100644 inline plans/vision.md\n" + b"data %d\n" % len(raw) + raw
                         + b"\n")
            for n in range(goals):
                raw = goal_text(random.Random(n), n, states[n]).encode()
                files.append(f"M 100644 inline plans/goals/{names[n]}.md\n".encode()
                             + b"data %d\n" % len(raw) + raw + b"\n")
            for i in range(200):
                files.append(f"M 100644 inline src/module{i}.py\n".encode()
                             + b"data 12\nvalue = 0\n\n\n")
        elif c % 10 == 0:
            data(f"Work on src {c}")
            raw = f"value = {c}\n".encode()
            files.append(f"M 100644 inline src/module{c % 200}.py\n".encode()
                         + b"data %d\n" % len(raw) + raw + b"\n")
        elif c % 25 == 0:
            data(f"Review {c}")
            reviews += 1
            picked = rng.sample(anchors, 3)
            checkins = "".join(f"  {names[n]}: {{progress: {rng.randrange(101)}}}\n"
                               for n in picked)
            day = time.strftime("%Y-%m-%d", time.gmtime(when))
            raw = f"---\ndate: {day}\ngoals:\n{checkins}---\n## What went well\n".encode()
            files.append(f"M 100644 inline plans/reviews/{day}.md\n".encode()
                         + b"data %d\n" % len(raw) + raw + b"\n")
        else:
            n = rng.randrange(goals)
            st = states[n]
            if n in anchors:  # goals that reviews name are never renamed, deleted or private
                st["private"] = False
            what = rng.choice(("progress", "progress", "status", "target", "milestone",
                               "action", "body", "rename", "private", "vision"))
            data(f"Goal {n}: {what}")
            if what == "rename" and c % 100 == 7 and n not in anchors:
                old, names[n] = names[n], f"{names[n]}-r{c}"
                files.append(f"R plans/goals/{old}.md plans/goals/{names[n]}.md\n".encode())
            elif what == "private" and n not in anchors:
                st["private"] = not st["private"]
            elif what == "vision":
                raw = f"---\ntitle: Vision\n---\nWhere I am going, take {c}.\n".encode()
                files.append(b"M 100644 inline plans/vision.md\n" + b"data %d\n" % len(raw)
                             + raw + b"\n")
            elif what == "progress":
                st["progress"] = min(100, st["progress"] + rng.randrange(1, 15))
            elif what == "status":
                st["status"] = rng.choice(STATUSES)
            elif what == "target":
                st["target"] = f"{rng.randrange(2027, 2030)}-{rng.randrange(1, 13):02d}"
            elif what == "milestone":
                st["ms_done"] = min(4, st["ms_done"] + 1)
            elif what == "action":
                st["acts_done"] = min(6, st["acts_done"] + 1)
            else:
                st["note"] = f"notes at commit {c}: " + " ".join(rng.choice(WORDS)
                                                               for _ in range(12))
            if not files or what == "rename":
                raw = goal_text(random.Random(n), n, st).encode()
                files.append(f"M 100644 inline plans/goals/{names[n]}.md\n".encode()
                             + b"data %d\n" % len(raw) + raw + b"\n")
            if c % 400 == 13:  # now and then a goal is deleted
                gone = rng.randrange(goals)
                if gone != n and gone not in anchors:
                    files.append(f"D plans/goals/{names[gone]}.md\n".encode())
                    names[gone] = f"goal-{gone:05d}-new{c}"
        out.extend(files)  # fast-import continues the branch: no "from" needed
    out.append(b"done\n")
    return b"".join(out)


def git(where: Path, *args: str, stdin: bytes | None = None) -> None:
    """Run git in the benchmark repository, without the user's configuration."""
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(where.parent), "PATH": "/usr/bin:/bin",
           "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    subprocess.run(["git", *args], cwd=where, input=stdin, check=True, env=env,
                   stdout=subprocess.DEVNULL)


def make_repo(where: Path, goals: int, commits: int, seed: int) -> float:
    """Create the repository; returns the seconds it took."""
    start = time.perf_counter()
    where.mkdir(parents=True)
    git(where, "init", "-q", "-b", "main")
    git(where, "fast-import", "--quiet", "--done",
        stdin=fast_import_stream(goals, commits, seed))
    git(where, "reset", "-q", "--hard", "main")
    return time.perf_counter() - start


def one_more_commit(where: Path) -> None:
    """Change one goal's progress and commit it (the edit-commit-build loop)."""
    path = sorted((where / "plans/goals").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    mark = "progress: "
    head, _, rest = text.partition(mark)
    value, _, tail = rest.partition("\n")
    path.write_text(f"{head}{mark}{(int(value) + 1) % 101}\n{tail}" if rest else
                    text + "\nMore.\n", encoding="utf-8")
    git(where, "commit", "-qam", "One more")


def timed(fn: Callable[[], object], runs: int, before: Callable[[], None] | None = None
          ) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def show(label: str, times: list[float]) -> str:
    return (f"| {label} | {statistics.median(times):.3f} | {min(times):.3f}-{max(times):.3f} "
            f"| {len(times)} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=200)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path,
                        help="make the repository here and keep it (reused if it exists)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-history-"))
    project = args.keep or tmp / "project"
    try:
        made = 0.0 if project.exists() else make_repo(project, args.goals, args.commits,
                                                       args.seed)
        cache = project / ".careersite"
        out = tmp / "site"
        today = build_date()
        config = load_project(project, today=today).config
        spawned: list[str] = []

        class CountPopen(subprocess.Popen):  # type: ignore[type-arg]
            """Counts the git processes history starts (subprocess.run uses Popen too)."""

            def __init__(self, cmd: list[str], *a: Any, **k: Any) -> None:
                if "--no-pager" in cmd:  # careersite's git, not the benchmark's own
                    spawned.append(cmd[1 + len(git_history.SAFE_OPTIONS)])
                super().__init__(cmd, *a, **k)

        subprocess.Popen = CountPopen  # type: ignore[misc]

        def history_alone() -> None:
            loaded = load_history(config, private=False)
            assert loaded.state == "ok", loaded

        def drop_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            history_cache._MEMO.clear()

        spawned.clear()
        drop_cache()
        history_alone()
        cold_spawned = list(spawned)
        spawned.clear()
        history_alone()
        warm_spawned = list(spawned)
        cold = timed(history_alone, args.runs, drop_cache)
        # _MEMO is what a long-running serve keeps; a second `careersite build` has none
        warm = timed(history_alone, max(args.runs, 10), history_cache._MEMO.clear)
        in_process = timed(history_alone, max(args.runs, 10))

        def commit_and_forget() -> None:
            one_more_commit(project)
            history_cache._MEMO.clear()

        incremental = timed(history_alone, args.runs, commit_and_forget)
        loaded = load_history(config, private=False)
        assert loaded.history is not None
        lineages = len(loaded.history.lineages)
        events = sum(len(lin.track.events) for lin in loaded.history.lineages)
        result = build(project, out)
        assert result.report is not None, [str(d) for d in result.diagnostics][:5]
        spent: list[float] = []
        real_with_history = careersite.build.with_history

        def timed_history(*a: Any) -> Any:
            start = time.perf_counter()
            try:
                return real_with_history(*a)
            finally:
                spent.append(time.perf_counter() - start)

        careersite.build.with_history = timed_history  # type: ignore[assignment]

        def full_build() -> tuple[float, float]:
            """(whole build, history's share of it: every with_history call)."""
            spent.clear()
            start = time.perf_counter()
            assert build(project, out).report is not None
            return time.perf_counter() - start, sum(spent)

        def clean() -> None:
            drop_cache()
            shutil.rmtree(out, ignore_errors=True)

        clean_builds = []
        for _ in range(args.runs):
            clean()
            clean_builds.append(full_build())
        again = [full_build() for _ in range(args.runs)]
        committed = []
        for _ in range(args.runs):
            one_more_commit(project)
            committed.append(full_build())
        careersite.build.with_history = real_with_history
        lo_project = load_project(project, today=today)
        plan = build_plan(config, lo_project.documents, lo_project.assets, today=today,
                          private=False)
        views = timed(lambda: plan_history(plan, lo_project.documents, loaded), args.runs)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"repository: {args.goals} goal files, {args.commits} commits "
          f"({f'made in {made:.1f} s with git fast-import' if made else 'reused'}); "
          f"{lineages} document lineages, {events} events (public)")
    print(f"git processes: cold {len(cold_spawned)} ({', '.join(cold_spawned)}), "
          f"warm {len(warm_spawned)} ({', '.join(warm_spawned)})")
    print()
    print("| what | median s | min-max s | runs |")
    print("| --- | ---: | ---: | ---: |")
    print(show("history, cold (no .careersite/): git log + cat-file + parse + events", cold))
    print(show("history, warm (unchanged HEAD): rev-parse + cache read", warm))
    print(show("history, warm, again in the same process (serve)", in_process))
    print(show("history after one more commit: git log of the new commit + 1 blob", incremental))
    print(show("history views for one build (public)", views))
    print()
    print("| full build (`build()`, public) | whole s | history s | rest s | runs |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, runs in (("clean: no output/, no .careersite/", clean_builds),
                        ("again, nothing changed", again),
                        ("after one more commit (one goal file changed)", committed)):
        whole = statistics.median(t for t, _ in runs)
        part = statistics.median(h for _, h in runs)
        rest = statistics.median(t - h for t, h in runs)
        print(f"| {label} | {whole:.3f} | {part:.3f} | {rest:.3f} | {len(runs)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
