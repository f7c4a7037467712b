"""Time each output file source (calendar, feed, plan.json, sitemap) on a project.

    python scripts/bench_outputs.py PROJECT [--runs 5]

Loads and models the plan once, then times each source in-process: wall and CPU medians
of --runs runs, cold (the memos of earlier builds emptied before each run, as in
`careersite build`) and warm (a rebuild in the same process with nothing changed, as in
`serve`: only the link signatures and memo look-ups are paid).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from careersite import calendar, feed, planjson
from careersite.build import load_project
from careersite.calendar import calendar_files
from careersite.feed import feed_files
from careersite.model import build_plan
from careersite.outputs import DocMemo
from careersite.planjson import plan_json_files
from careersite.render import build_date, make_environment, page_context, page_sources
from careersite.sitemap import sitemap_files


def timed(fn: Callable[[], Mapping[str, bytes]], runs: int) -> tuple[float, float, int]:
    """(median wall s, median CPU s, bytes) of runs calls."""
    walls: list[float] = []
    cpus: list[float] = []
    size = 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        size = sum(len(v) for v in out.values())
    return statistics.median(walls), statistics.median(cpus), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    today = build_date()
    loaded = load_project(args.project.resolve(), today=today)
    plan = build_plan(loaded.config, loaded.documents, loaded.assets, today=today,
                      private=False)
    env = make_environment(loaded.config.templates_path, loaded.config.language)
    ctx = page_context(plan, env, loaded.index)
    urls = [url for source in page_sources() for url, _, _ in source(plan, ctx)]
    print(f"{len(loaded.documents)} documents, {len(urls)} pages, "
          f"base_url={plan.config.base_url!r}")

    def cold(make: Callable[[], Mapping[str, bytes]]) -> Callable[[], Mapping[str, bytes]]:
        def run() -> Mapping[str, bytes]:
            calendar._GoalMemo.previous = {}
            feed._Memo.bodies = DocMemo()
            planjson._Memo.documents = DocMemo()
            return make()
        return run

    sources: list[tuple[str, Callable[[], Mapping[str, bytes]]]] = [
        ("calendar.ics", lambda: calendar_files(plan, ctx)),
        ("feed.xml", lambda: feed_files(plan, ctx)),
        ("plan.json", lambda: plan_json_files(plan, ctx)),
        ("sitemap.xml", lambda: sitemap_files(plan, urls)),
    ]
    for name, make in sources:
        wall, cpu, size = timed(cold(make), args.runs)
        warm_wall, warm_cpu, _ = timed(make, args.runs)
        print(f"{name:13s} cold: wall {wall * 1000:7.1f} ms, cpu {cpu * 1000:7.1f} ms | "
              f"warm: wall {warm_wall * 1000:6.1f} ms, cpu {warm_cpu * 1000:6.1f} ms | "
              f"{size / 1e6:5.2f} MB")


if __name__ == "__main__":
    main()
