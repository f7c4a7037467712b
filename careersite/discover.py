"""The plans folder -> sorted SourceFiles and Assets (FORMAT.md "A project")."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from careersite.diagnostics import Diagnostic, warning
from careersite.documents import Asset, Kind, SourceFile

ASSET_EXTENSIONS = frozenset(
    (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".pdf", ".txt", ".csv")
)
_JUNK_SUFFIXES = ("~", ".swp", ".bak", ".tmp", ".orig")


def is_junk(name: str) -> bool:
    """Hidden files and editor leftovers, which are never read."""
    return (
        name.startswith(".")
        or name.endswith(_JUNK_SUFFIXES)
        or (name.startswith("#") and name.endswith("#"))
    )


def is_asset_name(name: str) -> bool:
    """True for files copied to the site as they are."""
    return os.path.splitext(name)[1].lower() in ASSET_EXTENSIONS


def classify(plan_rel: str) -> tuple[Kind, str]:
    """Kind and id of a document from its path under the plans folder."""
    stem = plan_rel[:-3]
    if plan_rel == "vision.md":
        return "vision", "vision"
    if plan_rel.startswith("goals/"):
        return "goal", stem[len("goals/"):]
    if plan_rel.startswith("reviews/"):
        return "review", stem[len("reviews/"):]
    return "note", stem


@dataclass(frozen=True)
class Discovery:
    """What the plans folder holds."""

    documents: tuple[SourceFile, ...]
    assets: tuple[Asset, ...]
    diagnostics: tuple[Diagnostic, ...]


def discover(root: Path, plans: Path) -> Discovery:
    """Walk the plans folder: documents, assets, and warnings for skipped links."""
    docs: list[SourceFile] = []
    assets: list[Asset] = []
    diags: list[Diagnostic] = []
    if not plans.is_dir():
        return Discovery((), (), ())
    plans_real = os.path.realpath(plans)
    root_s = str(root)

    def rel_to_root(path: str) -> str:
        return os.path.relpath(path, root_s).replace(os.sep, "/")

    def inside(real: str) -> bool:
        return real == plans_real or real.startswith(plans_real + os.sep)

    # Iterative walk; `seen` holds the real paths of folders on the current route, so a
    # link back to an ancestor (a loop) is noticed and skipped.
    stack: list[tuple[str, str, frozenset[str]]] = [(str(plans), "", frozenset([plans_real]))]
    while stack:
        folder, prefix, seen = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if is_junk(name):
                continue
            plan_rel = prefix + name
            if entry.is_symlink():
                link_rel = rel_to_root(entry.path)
                try:
                    os.stat(entry.path)
                except OSError as exc:
                    why = "makes a loop" if exc.errno == errno.ELOOP else "points nowhere"
                    diags.append(warning(link_rel, 1, 1, f"symbolic link {why}: skipped"))
                    continue
                real = os.path.realpath(entry.path)
                if not inside(real):
                    diags.append(warning(link_rel, 1, 1,
                                         "symbolic link points outside the plans folder: skipped"))
                    continue
                if os.path.isdir(real):
                    if real in seen:
                        diags.append(warning(link_rel, 1, 1,
                                             "symbolic link makes a loop: skipped"))
                        continue
                    stack.append((entry.path, plan_rel + "/", seen | {real}))
                    continue
            elif entry.is_dir(follow_symlinks=False):
                real = os.path.realpath(entry.path)
                stack.append((entry.path, plan_rel + "/", seen | {real}))
                continue
            elif not entry.is_file(follow_symlinks=False):
                continue
            path = Path(entry.path)
            if name.endswith(".md"):
                kind, doc_id = classify(plan_rel)
                docs.append(SourceFile(path, rel_to_root(entry.path), plan_rel, kind, doc_id))
            elif is_asset_name(name):
                assets.append(Asset(path, rel_to_root(entry.path), plan_rel))
    docs.sort(key=lambda s: s.plan_rel)
    assets.sort(key=lambda a: a.plan_rel)
    return Discovery(tuple(docs), tuple(assets), tuple(diags))
