"""Time the timeline in-process: the timeline page, its model, the dashboard's 12 months,
and the small timeline + progress chart of every goal page (BENCHMARKS.md, "Timeline").

Usage: python scripts/bench_timeline.py PROJECT_DIR [--runs N] [--gc-freeze]
(PROJECT_DIR holds plans/; set SOURCE_DATE_EPOCH for a pinned "today").
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from careersite.build import load_project
from careersite.model import build_plan
from careersite.progress_svg import render_progress
from careersite.render import build_date, make_environment, page_context, render_page
from careersite.svgkit import Words
from careersite.timeline import dashboard_timeline, goal_timeline, plan_timeline, progress_points
from careersite.timeline_events import timeline_pages
from careersite.timeline_svg import GOAL, render_timeline


def measure(task: Callable[[], object], runs: int) -> str:
    """Median (min–max) CPU ms and median wall ms of `runs` runs after one warm-up."""
    task()
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        task()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return (f"{statistics.median(cpu):8.1f} CPU ms ({min(cpu):.1f}–{max(cpu):.1f}), "
            f"{statistics.median(wall):8.1f} wall ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() after loading the plan (see BENCHMARKS.md)")
    args = parser.parse_args()
    today = build_date()
    loaded = load_project(args.project, today=today)
    plan = build_plan(loaded.config, loaded.documents, loaded.assets, today=today,
                      private=False)
    env = make_environment(loaded.config.templates_path)
    ctx = page_context(plan, env, loaded.index)
    if args.gc_freeze:
        gc.freeze()

    def timeline_page() -> bytes:
        ((url, template, variables),) = timeline_pages(plan, ctx)
        return render_page(env, plan, template, url, variables)

    def goal_pages() -> None:
        words = Words.english()
        for goal in plan.goals.values():
            render_timeline(goal_timeline(plan, goal), words, "../", GOAL, "gtl")
            points = progress_points(plan, goal)
            if points:
                render_progress(points, goal.start, goal.target, plan.today, words, "../")

    print(f"{args.project}: {len(plan.goals)} goals, {len(plan.reviews)} reviews, "
          f"timeline.html {len(timeline_page()):,} bytes")
    print("timeline.html (model, SVG, list):", measure(timeline_page, args.runs))
    print("  its model alone:               ", measure(lambda: plan_timeline(plan), args.runs))
    print("dashboard 12-month model:        ",
          measure(lambda: dashboard_timeline(plan), args.runs))
    print("every goal page's timeline+chart:", measure(goal_pages, args.runs))


if __name__ == "__main__":
    main()
