"""A real git repository in tmp_path with commits at set dates, for the history tests."""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path

AUTHOR_EMAIL = "canary-author-4e1f@mail.example"


def git_env(home: Path) -> dict[str, str]:
    """An environment in which git reads no user or system configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Plan Author",
               GIT_AUTHOR_EMAIL=AUTHOR_EMAIL, GIT_COMMITTER_NAME="Plan Author",
               GIT_COMMITTER_EMAIL=AUTHOR_EMAIL)
    return env


class Repo:
    """git init in root; `commit()` writes files and commits them on a given day."""

    def __init__(self, root: Path, *, init: bool = True) -> None:
        self.root = root
        self.home = root.parent / (root.name + "-home")
        self.home.mkdir(parents=True, exist_ok=True)
        root.mkdir(parents=True, exist_ok=True)
        if init:
            self.git("init", "-q", "-b", "main")
            self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, date: str | None = None, input: bytes | None = None,
            cwd: Path | None = None) -> str:
        env = git_env(self.home)
        if date is not None:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
        proc = subprocess.run(["git", *args], cwd=cwd or self.root, env=env, input=input,
                              capture_output=True, check=True)
        return proc.stdout.decode("utf-8", "replace").strip()

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write (dedented) files; None deletes one."""
        for rel, content in files.items():
            path = self.root / rel
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")

    def commit(self, date: str, message: str | bytes,
               files: Mapping[str, str | bytes | None] | None = None) -> str:
        """Write files, stage everything and commit on date (YYYY-MM-DD); returns the id."""
        self.write(files or {})
        self.git("add", "-A", "--", ".")
        raw = message if isinstance(message, bytes) else message.encode("utf-8")
        self.git("commit", "-q", "--allow-empty", "-F", "-", date=date, input=raw)
        return self.git("rev-parse", "HEAD")

    def move(self, date: str, old: str, new: str, message: str = "Rename") -> str:
        """git mv old new and commit."""
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", "--", old, new)
        return self.commit(date, message)


def goal(title: str = "First deal", *, target: str = "2027-06-30", status: str = "active",
         progress: int | None = 20, extra: str = "", body: str = "Why it matters.") -> str:
    """A goal file."""
    lines = [f"title: {title}", "horizon: short", "start: 2026-01-01", f"target: {target}",
             f"status: {status}"]
    if progress is not None:
        lines.append(f"progress: {progress}")
    return "---\n" + "\n".join(lines) + "\n" + textwrap.dedent(extra) + "---\n" + body + "\n"
