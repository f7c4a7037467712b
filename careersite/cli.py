"""Commands: the only place that prints and picks exit codes (0 ok, 1 plan errors, 2 usage)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

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

    p = sub.add_parser("check", help="check the plan; nothing is written")
    project_arg(p)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="report format (json goes to standard output)")
    return parser


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
    output = args.output.resolve() if args.output is not None else None
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


COMMANDS = {"build": cmd_build, "check": cmd_check}


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
