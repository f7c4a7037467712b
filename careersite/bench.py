"""The benchmark: `python -m careersite.bench` writes a Markdown report for BENCHMARKS.md.

For corpora of 100, 1,000 and 5,000 documents made by `make_corpus.py` (seed 1, from the
shared bench folder, `../shared/bench` beside the repository unless --shared says
otherwise) it times, each as a whole process as a user runs it, in rounds so that every
tool runs once per round and ratios come from the same round:

- careersite: a clean build, a no-change rebuild, a one-file edit rebuild;
- `floor.py --jobs 1` and `--jobs 2` (parse, render, write: the floor of a Python build),
  and Hugo, Pelican and MkDocs when installed (sites laid out by `adapt.py`);
- `careersite serve` on 1,000 and 5,000 documents: from a file's write to the new bytes
  served over HTTP, for edits to a goal, a review and a template;
- peak memory (the largest process, os.wait4) and where the time goes (stages, cProfile).

`--quick` (CI) runs only the 100-document corpus, once. The numbers are medians with their
min-max: this is a benchmark, not a test; the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from careersite.benchserve import serve_latency

REPO = Path(__file__).resolve().parent.parent
SIZES = {100: (80, 20), 1000: (800, 200), 5000: (4000, 1000), 20000: (16000, 4000)}
EDITED_GOAL = "goals/aga-plattformens-sakerhetsarbete-2.md"
"""The goal ANCHORS.md edits (a short goal); another one if a corpus lacks it."""


@dataclass
class Timing:
    """Runs of one command: wall seconds and peak RSS (KiB) of each."""

    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)

    def cell(self) -> str:
        if not self.seconds:
            return "-"
        med = statistics.median(self.seconds)
        return f"{med:.3f} ({min(self.seconds):.3f}-{max(self.seconds):.3f})"

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def peak_mib(self) -> float:
        return max(self.peak_kib) / 1024 if self.peak_kib else float("nan")


def timed(command: list[str], *, clean: Path | None = None, cwd: Path | None = None,
          env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command (after deleting `clean`, timed too); (wall seconds, peak RSS KiB)."""
    started = time.perf_counter()
    if clean is not None and clean.exists():
        shutil.rmtree(clean)
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{err[-2000:]}")
    return seconds, int(usage.ru_maxrss)


def careersite(*args: str) -> list[str]:
    return [sys.executable, "-m", "careersite", *args]


def make_corpus(shared: Path, work: Path, size: int) -> Path:
    """The project folder of a corpus (its plans/ made by make_corpus.py), made once."""
    goals, reviews = SIZES[size]
    project = work / f"c{size}"
    plans = project / "plans"
    if not (plans / "vision.md").is_file():
        subprocess.run([sys.executable, str(shared / "make_corpus.py"), str(plans),
                        "--goals", str(goals), "--reviews", str(reviews), "--seed", "1"],
                       check=True, stdout=subprocess.DEVNULL)
    return project


def edited_goal(project: Path) -> Path:
    """The goal the edits change (ANCHORS.md's, when the corpus has it)."""
    path = project / "plans" / EDITED_GOAL
    if path.is_file():
        return path
    return sorted((project / "plans/goals").glob("*.md"))[len(SIZES) * 7 % 50]


def set_progress(path: Path, value: int) -> None:
    """Give a goal this progress (the edit every benchmark makes)."""
    text = path.read_text(encoding="utf-8")
    if re.search(r"(?m)^progress: \d+$", text):
        text = re.sub(r"(?m)^progress: \d+$", f"progress: {value}", text, count=1)
    else:
        text = text.replace("\n---\n", f"\nprogress: {value}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


@dataclass
class Peer:
    """A tool timed against careersite: its command and the folder it writes."""

    name: str
    command: list[str]
    output: Path
    env: dict[str, str] | None = None


def peers(shared: Path, work: Path, project: Path, size: int, floor_python: str,
          with_peers: bool) -> list[Peer]:
    """floor.py, and Hugo, Pelican and MkDocs where installed (MkDocs up to 1,000 docs)."""
    plans = project / "plans"
    found = [Peer(f"floor.py --jobs {jobs}", [floor_python, str(shared / "floor.py"),
                                              str(plans), str(work / f"floor{jobs}-{size}"),
                                              "--jobs", str(jobs)],
                  work / f"floor{jobs}-{size}") for jobs in (1, 2)]
    if not with_peers:
        return found
    sites = work / "sites"
    for tool in ("hugo", "pelican", "mkdocs"):
        exe = shutil.which(tool) or shutil.which(tool, path=str(Path(floor_python).parent))
        if exe is None or (tool == "mkdocs" and size > 1000):
            continue
        site = sites / f"{tool}-{size}"
        if not site.exists():
            subprocess.run([floor_python, str(shared / "adapt.py"), tool, str(plans), str(site)],
                           check=True, stdout=subprocess.DEVNULL)
        if tool == "hugo":
            found.append(Peer("hugo", [exe, "--quiet", "-s", str(site)], site / "public"))
        elif tool == "pelican":
            found.append(Peer("pelican", [exe, str(site / "content"), "-s",
                                          str(site / "pelicanconf.py"), "-o",
                                          str(site / "output"), "-q"], site / "output"))
        else:
            found.append(Peer("mkdocs", [exe, "build", "-q", "-f", str(site / "mkdocs.yml")],
                              site / "site"))
    return found


@dataclass
class SizeResult:
    size: int
    docs: int
    clean: Timing = field(default_factory=Timing)
    nochange: Timing = field(default_factory=Timing)
    edit: Timing = field(default_factory=Timing)
    peers: dict[str, Timing] = field(default_factory=dict)
    ratios: dict[str, list[float]] = field(default_factory=dict)


def bench_size(shared: Path, work: Path, size: int, runs: int, *, floor_python: str,
               with_peers: bool, with_floor: bool) -> SizeResult:
    """Clean builds in rounds with every peer, then no-change and one-edit rebuilds."""
    project = make_corpus(shared, work, size)
    docs = sum(1 for _ in (project / "plans").rglob("*.md"))
    result = SizeResult(size, docs)
    others = peers(shared, work, project, size, floor_python, with_peers) if with_floor else []
    build = careersite("build", "--project", str(project))
    cache = project / ".careersite"
    for round_ in range(runs + 1):  # the first round warms the disk cache: not counted
        if cache.exists():
            shutil.rmtree(cache)
        mine = timed(build, clean=project / "output")
        times = {"careersite": mine}
        for peer in others:
            times[peer.name] = timed(peer.command, clean=peer.output, env=peer.env)
        if round_ == 0:
            continue
        result.clean.seconds.append(mine[0])
        result.clean.peak_kib.append(mine[1])
        for name, (seconds, kib) in times.items():
            if name == "careersite":
                continue
            timing = result.peers.setdefault(name, Timing())
            timing.seconds.append(seconds)
            timing.peak_kib.append(kib)
            result.ratios.setdefault(name, []).append(mine[0] / seconds)
    for _ in range(runs):
        seconds, kib = timed(build)
        result.nochange.seconds.append(seconds)
        result.nochange.peak_kib.append(kib)
    goal = edited_goal(project)
    original = goal.read_bytes()
    try:
        for run in range(runs):
            set_progress(goal, 11 + run)
            time.sleep(0.01)
            seconds, kib = timed(build)
            result.edit.seconds.append(seconds)
            result.edit.peak_kib.append(kib)
    finally:
        goal.write_bytes(original)
    return result


def where_time_goes(shared: Path, work: Path, size: int) -> str:
    """Stage times of one in-process clean build, serial and with the pool, and cProfile's
    top functions of the serial one (grouped as the pipeline's stages)."""
    import cProfile
    import io
    import pstats

    from careersite.incremental import Site

    project = make_corpus(shared, work, size)
    lines = [f"Stages of one clean build of {size} documents (in process, seconds):", ""]
    lines += ["| stage | serial | 2 processes |", "| --- | ---: | ---: |"]
    stages: dict[str, list[str]] = {}
    for jobs in (1, 2):
        for folder in (project / "output", project / ".careersite"):
            shutil.rmtree(folder, ignore_errors=True)
        site = Site(project, jobs=jobs, cache=False)
        site.rebuild()
        for stage, seconds in site.timings.items():
            stages.setdefault(stage, []).append(f"{seconds:.3f}")
    lines += [f"| {stage} | {' | '.join(v)} |" for stage, v in stages.items()]
    shutil.rmtree(project / "output", ignore_errors=True)
    profiler = cProfile.Profile()
    site = Site(project, jobs=1, cache=False)
    profiler.runcall(site.rebuild)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(45)
    lines += ["", "cProfile, serial clean build (cumulative seconds, top entries):", "",
              "```", *_profile_lines(text.getvalue()), "```"]
    return "\n".join(lines)


def _profile_lines(report: str) -> list[str]:
    keep = []
    for line in report.splitlines():
        if re.match(r"\s*\d", line) and ("careersite" in line or "templates" in line
                                         or "markdown_it" in line or "jinja2/environment" in line
                                         or "icalendar" in line or "yaml" in line):
            parts = line.split()
            where = parts[-1].replace(str(REPO) + "/", "").split("site-packages/")[-1]
            keep.append(f"{parts[3]:>8}  {where}")
    return keep[:40]


def machine() -> str:
    """CPU, cores, memory, Python."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except (OSError, ValueError, IndexError):
        mem = 0
    return (f"{cpu}, {os.cpu_count()} cores, {mem} GiB, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f} at the start")


def report(results: list[SizeResult], serve: list[str], profile: str, command: str) -> str:
    """The Markdown for BENCHMARKS.md."""
    out = [f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()}.",
           f"Command: `{command}`.", "",
           "Whole-process wall seconds, median (min-max) of the counted rounds after one "
           "warm-up round; peak = largest single process (MiB). Ratios: careersite ÷ tool "
           "in the same round, median of the rounds.", ""]
    out += ["| docs | careersite clean | peak MiB | no-change rebuild | one-file edit "
            "| no-change ÷ clean | edit ÷ clean |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        out.append(f"| {r.docs} | {r.clean.cell()} | {r.clean.peak_mib:.0f} | "
                   f"{r.nochange.cell()} | {r.edit.cell()} | "
                   f"{r.nochange.median / r.clean.median:.0%} | "
                   f"{r.edit.median / r.clean.median:.0%} |")
    out += ["", "| docs | tool | clean build | peak MiB | careersite ÷ tool |",
            "| ---: | --- | ---: | ---: | ---: |"]
    for r in results:
        for name, timing in r.peers.items():
            ratio = statistics.median(r.ratios[name])
            out.append(f"| {r.docs} | {name} | {timing.cell()} | {timing.peak_mib:.0f} | "
                       f"{ratio:.2f} |")
    if serve:
        out += ["", *serve]
    if profile:
        out += ["", profile]
    return "\n".join(out) + "\n"


def find_shared(given: Path | None) -> Path:
    """The shared bench folder: --shared, else ../shared/bench beside the repository."""
    for candidate in ([given] if given else [REPO.parent / "shared" / "bench",
                                             REPO.parent.parent / "shared" / "bench"]):
        if candidate is not None and (candidate / "make_corpus.py").is_file():
            return candidate.resolve()
    raise SystemExit("careersite.bench: no make_corpus.py found; give the shared bench folder "
                     "with --shared DIR")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the report goes to standard output and --out."""
    parser = argparse.ArgumentParser(prog="python -m careersite.bench",
                                     description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--shared", type=Path, help="the shared bench folder (make_corpus.py)")
    parser.add_argument("--work", type=Path, default=Path("bench-work"),
                        help="scratch folder for corpora and outputs (default: bench-work)")
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="corpus sizes (documents, about): 100, 1000, 5000, 20000")
    parser.add_argument("--runs", type=int, default=5, help="counted rounds per size")
    parser.add_argument("--serve-sizes", default="1000,5000")
    parser.add_argument("--edits", type=int, default=20, help="serve edits per measurement")
    parser.add_argument("--floor-python", default=sys.executable,
                        help="Python with python-frontmatter for floor.py and the peers")
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo, Pelican, MkDocs")
    parser.add_argument("--profile", type=int, default=1000, metavar="DOCS",
                        help="profile a clean build of this corpus (0: none)")
    parser.add_argument("--quick", action="store_true",
                        help="CI: the 100-document corpus only, one round, three serve edits")
    parser.add_argument("--out", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    shared = find_shared(args.shared)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    serve_sizes = [int(s) for s in args.serve_sizes.split(",") if s]
    runs, edits, profile_size = args.runs, args.edits, args.profile
    if args.quick:
        sizes, serve_sizes, runs, edits, profile_size = [100], [100], 1, 3, 0
    floor_ok = subprocess.run([args.floor_python, "-c", "import frontmatter"],
                              capture_output=True).returncode == 0
    results = []
    for size in sizes:
        print(f"careersite.bench: {size} documents", file=sys.stderr, flush=True)
        count = runs if size <= 5000 else 1
        results.append(bench_size(shared, work, size, count, floor_python=args.floor_python,
                                  with_peers=not args.no_peers, with_floor=floor_ok))
    serve_lines: list[str] = []
    for size in serve_sizes:
        print(f"careersite.bench: serve, {size} documents", file=sys.stderr, flush=True)
        serve_lines += serve_latency(make_corpus(shared, work, size), edits,
                                     edited_goal(make_corpus(shared, work, size)))
    if serve_lines:
        serve_lines = ["Edit to served (ms, from just before the write to the first HTTP "
                       "response holding the new bytes; median, min-max):", "",
                       "| docs | edit | median | min-max | n |",
                       "| ---: | --- | ---: | ---: | ---: |",
                       *serve_lines]
    profile = where_time_goes(shared, work, profile_size) if profile_size else ""
    if not floor_ok:
        profile += ("\n\nfloor.py and the peers were not run: "
                    f"{args.floor_python} cannot import python-frontmatter (--floor-python).")
    text = report(results, serve_lines, profile,
                  "python -m careersite.bench " + " ".join(argv or sys.argv[1:]))
    print(text)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
