"""Commands: the only place that prints and picks exit codes (0 ok, 1 plan errors, 2 usage)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from careersite import __version__
from careersite.diagnostics import Diagnostic, PlanError, UsageError, has_errors

EXIT_OK, EXIT_PLAN, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Usage errors exit with 2 and a one-line hint."""
        self.print_usage(sys.stderr)
        sys.stderr.write(f"careersite: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="careersite",
                     description="Turn a career plan kept as Markdown into a linked static site.")
    parser.add_argument("--version", action="version", version=f"careersite {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)

    def project_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                       help="the project folder (default: the current folder)")

    p = sub.add_parser("build", help="build the site into output/")
    project_arg(p)
    p.add_argument("--output", type=Path, metavar="DIR",
                   help="where to write the site (default: the project's output/)")
    p.add_argument("--private", action="store_true",
                   help="include private documents, fields and blocks (never publish this)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--watch", action="store_true",
                   help="keep rebuilding what changes whenever a file changes (no server)")

    p = sub.add_parser("serve", help="preview the site in a browser; it follows your edits")
    project_arg(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=int, default=8000,
                   help="port to listen on (default: 8000; 0 picks a free one)")
    p.add_argument("--public", action="store_true",
                   help="preview exactly what build publishes (default: a private preview)")
    p.add_argument("--open", action="store_true", help="open the preview in a browser")

    p = sub.add_parser("check", help="check the plan; nothing is written")
    project_arg(p)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="report format (json goes to standard output)")
    _writing_parsers(sub, project_arg)
    return parser


def _writing_parsers(sub: Any, project_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    """init, new goal, new review, status, schema."""
    p = sub.add_parser("init", help="start a new plan project")
    p.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR",
                   help="the new project's folder (default: the current folder)")
    p.add_argument("--language", choices=("en", "sv"), default="en",
                   help="language of the starter plan and the site (default: en)")
    p.add_argument("--interactive", action="store_true",
                   help="ask for the vision, values and goals in the terminal")
    p.add_argument("--publish", choices=("github-pages",),
                   help="also write a workflow that publishes the public site")
    p = sub.add_parser("new", help="add a goal, or a review to fill in")
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND", parser_class=_Parser)
    p = kinds.add_parser("goal", help="write plans/goals/<title>.md")
    project_arg(p)
    p.add_argument("title", help="the goal, in a sentence")
    p.add_argument("--horizon", choices=("short", "long"), default="short",
                   help="short = 6–12 months (default), long = 3–5 years")
    p.add_argument("--parent", metavar="ID", help="the long-term goal this one leads to")
    p.add_argument("--target", metavar="DATE",
                   help="2027-06-30, 2027-06, 2027-Q2 or 2027 (default: 12 months or 4 years "
                        "from today)")
    p = kinds.add_parser("review", help="write plans/reviews/<date>.md for a check-in")
    project_arg(p)
    p.add_argument("--date", metavar="DATE", help="the review's day (default: today)")
    p = sub.add_parser("status", help="the plan in the terminal")
    project_arg(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour: on a terminal unless NO_COLOR is set (auto), always or never")
    p = sub.add_parser("schema", help="JSON Schema of the frontmatter, for editors")
    p.add_argument("kind", nargs="?", choices=("goal", "review", "vision"),
                   help="print one schema (default: all three, keyed by kind)")
    p.add_argument("--output", type=Path, metavar="DIR",
                   help="write goal/review/vision.schema.json into DIR instead")


def _report(diags: Sequence[Diagnostic]) -> None:
    for d in diags:
        sys.stderr.write(f"{d}\n")


def _summary(diags: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diags if d.severity == "error")
    warnings = len(diags) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _status(diags: Sequence[Diagnostic], strict: bool) -> int:
    if has_errors(diags) or (strict and diags):
        return EXIT_PLAN
    return EXIT_OK


def _project(args: argparse.Namespace) -> Path:
    root: Path = args.project.resolve()
    if not root.is_dir():
        raise UsageError(f"no such project folder: {args.project}")
    return root


def cmd_build(args: argparse.Namespace) -> int:
    from careersite.build import build

    root = _project(args)
    # absolute(), not resolve(): a symbolic link given as --output must reach
    # check_output_dir as a link, to be refused.
    output = args.output.absolute() if args.output is not None else None
    if args.watch:
        return _build_and_watch(root, output, private=args.private, strict=args.strict)
    result = build(root, output, private=args.private, strict=args.strict)
    _report(result.diagnostics)
    if result.report is None:
        sys.stderr.write(f"careersite: nothing written ({_summary(result.diagnostics)})\n")
        return EXIT_PLAN
    r = result.report
    where = output if output is not None else Path(root, "output")
    kind = "private" if args.private else "public"
    sys.stderr.write(
        f"careersite: built {kind} site in {where}: {result.pages} pages, "
        f"{r.written} written, {r.unchanged} unchanged, {r.removed} removed"
        + (f" ({_summary(result.diagnostics)})" if result.diagnostics else "") + "\n")
    return _status(result.diagnostics, args.strict)


def _build_and_watch(root: Path, output: Path | None, *, private: bool, strict: bool) -> int:
    """build --watch: the first build, then a rebuild of what changes, until Ctrl-C."""
    import time

    from careersite.history import find_git_dir
    from careersite.incremental import Site
    from careersite.watch import rebuild_forever, start_watching

    _stop_on_sigterm()
    site = Site(root, output, private=private, strict=strict)
    started = time.perf_counter()
    printer = _RebuildPrinter()
    printer(site.rebuild(), time.perf_counter() - started)
    site.autosave = False
    git_dir = find_git_dir(root)
    watcher = start_watching(site, git_dir)
    sys.stderr.write(f"careersite: watching {root} (Ctrl-C to stop)\n")
    try:
        rebuild_forever(site, watcher, printer, git_dir)
    except KeyboardInterrupt:
        sys.stderr.write("careersite: stopped\n")
    return EXIT_OK


def _stop_on_sigterm() -> None:
    """SIGTERM ends serve and build --watch as cleanly as Ctrl-C."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def cmd_serve(args: argparse.Namespace) -> int:
    from careersite.serve import run

    root = _project(args)
    _stop_on_sigterm()
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port: expected a port number from 0 to 65535, got {args.port}")
    kind = "public" if args.public else "private"

    def ready(url: str) -> None:
        sys.stderr.write(f"careersite: serving a {kind} preview of {root} at {url} "
                         "(Ctrl-C to stop)\n")
        sys.stderr.flush()
        if args.open:
            import webbrowser

            webbrowser.open(url)

    try:
        run(root, host=args.host, port=args.port, public=args.public, ready=ready,
            done=_RebuildPrinter())
    except KeyboardInterrupt:
        sys.stderr.write("careersite: stopped\n")
    return EXIT_OK


class _RebuildPrinter:
    """Reports each rebuild of serve and build --watch: problems, then one line."""

    def __init__(self) -> None:
        self.shown: frozenset[Diagnostic] = frozenset()

    def __call__(self, outcome: Any, seconds: float) -> None:
        took = f"{seconds * 1000:.0f} ms"
        if outcome.quick:
            if outcome.changed:
                sys.stderr.write(f"careersite: {', '.join(outcome.changed)} updated in {took}\n")
        elif outcome.report is None:
            _report(outcome.diagnostics)
            sys.stderr.write(f"careersite: not rebuilt ({_summary(outcome.diagnostics)}); the "
                             "last good site stays\n")
            self.shown = frozenset()
        else:
            _report([d for d in outcome.diagnostics if d not in self.shown])
            self.shown = frozenset(outcome.diagnostics)
            sys.stderr.write(f"careersite: rebuilt in {took}: {len(outcome.rendered)} of "
                             f"{outcome.pages} pages rendered, {len(outcome.changed)} files "
                             f"changed, {len(outcome.removed)} removed"
                             + (f" ({_summary(outcome.diagnostics)})"
                                if outcome.diagnostics else "") + "\n")
        sys.stderr.flush()


def cmd_check(args: argparse.Namespace) -> int:
    from careersite.build import load_project
    from careersite.render import build_date

    root = _project(args)
    loaded = load_project(root, today=build_date())
    diags = loaded.diagnostics
    status = _status(diags, args.strict)
    if args.format == "json":
        errors = sum(1 for d in diags if d.severity == "error")
        json.dump({"ok": status == EXIT_OK, "errors": errors, "warnings": len(diags) - errors,
                   "diagnostics": [d.to_json() for d in diags]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _report(diags)
        sys.stderr.write(f"careersite: {len(loaded.documents)} documents checked: "
                         f"{_summary(diags)}\n")
    return status


def cmd_init(args: argparse.Namespace) -> int:
    from careersite.render import build_date
    from careersite.scaffold import check_new_project, init_project

    root: Path = args.dir.resolve()
    check_new_project(root)  # before any question is asked
    today = build_date()
    answers = None
    if args.interactive:
        import io

        from careersite.interactive import ask_answers
        from careersite.starter import words

        answers = ask_answers(words(args.language), today, sys.stdin or io.StringIO(),
                              sys.stdout)
    result = init_project(root, today=today, language=args.language, answers=answers,
                          publish=args.publish)
    sys.stdout.write(f"Created a career plan in {args.dir}:\n")
    sys.stdout.writelines(f"  {rel}\n" for rel in result.written)
    if result.gitignore_hint:
        sys.stdout.write("Add output/ and .careersite/ to your .gitignore (it was left as "
                         "it is).\n")
    where = "" if args.dir == Path(".") else f" --project {args.dir}"
    sys.stdout.write(f"Next: write your vision and goals in {args.dir / 'plans'}, then "
                     f"`careersite build{where}` and open {args.dir / 'output/index.html'}. "
                     f"`careersite status{where}` shows the plan in the terminal.\n")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from careersite.render import build_date
    from careersite.scaffold import new_goal, new_review, parse_date_text

    root = _project(args)
    today = build_date()
    if args.kind == "goal":
        path = new_goal(root, args.title, today=today, horizon=args.horizon,
                        parent=args.parent, target=args.target)
        sys.stdout.write(f"{args.project / path.relative_to(root)}\n")
        if args.horizon == "short" and args.parent is None:
            sys.stderr.write("careersite: note: which long-term goal does it lead to? "
                             "Set `parent:` in the file (or use --parent ID).\n")
        return EXIT_OK
    day = None
    if args.date is not None:
        parsed = parse_date_text(args.date)
        if parsed is None or parsed.form != "day":
            raise UsageError(f"--date: expected a day such as 2027-06-30, got {args.date!r}")
        day = parsed.first
    review = new_review(root, today=today, date=day)
    sys.stdout.write(f"{args.project / review.path.relative_to(root)}\n")
    sys.stderr.write(f"careersite: {review.goals} active goal{'s' * (review.goals != 1)} to "
                     f"check in on, {review.milestones} milestone"
                     f"{'s' * (review.milestones != 1)} due since the last review\n")
    if review.errors:
        sys.stderr.write(f"careersite: note: the plan has {review.errors} error"
                         f"{'s' * (review.errors != 1)}, and goals with errors are left out: "
                         "run careersite check\n")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    import os

    from careersite.render import build_date
    from careersite.status import load_status, status_json, status_text, terminal_style

    status = load_status(_project(args), today=build_date())
    if args.format == "json":
        json.dump(status_json(status), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(status_text(status, terminal_style(sys.stdout, args.color,
                                                            os.environ)))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from careersite.schema import schema, schemas, write_schemas

    if args.output is not None:
        for path in write_schemas(args.output):
            sys.stdout.write(f"{path}\n")
        return EXIT_OK
    data = schema(args.kind) if args.kind else schemas()
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_OK


COMMANDS = {"build": cmd_build, "serve": cmd_serve, "check": cmd_check, "init": cmd_init,
            "new": cmd_new, "status": cmd_status, "schema": cmd_schema}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `careersite` command."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        sys.stderr.write(f"careersite: error: {exc}\n")
        return EXIT_USAGE
    except PlanError as exc:
        _report(exc.diagnostics)
        return EXIT_PLAN
    except KeyboardInterrupt:
        return 130
