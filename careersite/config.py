"""careersite.toml -> frozen Config; every problem at once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from careersite.diagnostics import Diagnostic, error, warning

CONFIG_NAME = "careersite.toml"


@dataclass(frozen=True)
class Config:
    """The project's settings (FORMAT.md, Configuration)."""

    root: Path
    """Project root (absolute)."""
    title: str = "Career plan"
    author: str = ""
    language: str = "en"
    base_url: str = ""
    plans_dir: str = "plans"
    output_dir: str = "output"
    templates_dir: str = "templates"
    review_every_days: int = 30
    calendar_include_done: bool = False
    """Keep achieved goals and done milestones in calendar.ics (marked done)."""
    feed_limit: int = 50
    """The newest entries feed.xml keeps (0: all of them)."""

    @property
    def plans_path(self) -> Path:
        return self.root / self.plans_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def templates_path(self) -> Path:
        return self.root / self.templates_dir

    @property
    def cache_path(self) -> Path:
        return self.root / ".careersite"


_STRING_KEYS = ("title", "author", "language", "base_url", "plans_dir", "output_dir",
                "templates_dir")
LANGUAGES = ("en", "sv")


def _is_site_url(value: str) -> bool:
    """An absolute http(s) URL without query or fragment (feeds and sitemaps join to it)."""
    parts = urlsplit(value)
    return (parts.scheme in ("http", "https") and bool(parts.netloc)
            and not parts.query and not parts.fragment and value == value.strip())


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(key) and line.lstrip()[len(key):].lstrip().startswith("="):
            return number
    return 1


def load_config(root: Path) -> tuple[Config, list[Diagnostic]]:
    """Read careersite.toml under root (optional); problems are reported, defaults kept."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config(root=root), []
    diags: list[Diagnostic] = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        return Config(root=root), [error(CONFIG_NAME, 1, 1,
                                         f"not UTF-8: bad byte at offset {exc.start}")]
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        col = getattr(exc, "colno", 1) or 1
        message = str(exc).split(" (at line")[0]
        return Config(root=root), [error(CONFIG_NAME, line, col, message)]
    values: dict[str, object] = {}
    for key, value in data.items():
        line = _line_of(text, key)
        if key in _STRING_KEYS:
            if not isinstance(value, str):
                diags.append(error(CONFIG_NAME, line, 1, f"{key}: expected a string"))
                continue
            if key == "language" and value not in LANGUAGES:
                diags.append(error(CONFIG_NAME, line, 1,
                                   f"language: expected 'en' or 'sv', got {value!r}"))
                continue
            if key.endswith("_dir") and (not value or Path(value).is_absolute()
                                         or ".." in Path(value).parts):
                diags.append(error(CONFIG_NAME, line, 1,
                                   f"{key}: expected a folder inside the project, got {value!r}"))
                continue
            if key == "base_url" and value and not _is_site_url(value):
                diags.append(error(CONFIG_NAME, line, 1,
                                   "base_url: expected an absolute http(s) URL such as "
                                   f"https://example.org/plan, got {value!r}"))
                continue
            values[key] = value.rstrip("/") if key == "base_url" else value
        elif key == "review_every_days":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                diags.append(error(
                    CONFIG_NAME, line, 1,
                    "review_every_days: expected a whole number of days (1 or more)"))
                continue
            values[key] = value
        elif key == "feed_limit":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                diags.append(error(CONFIG_NAME, line, 1,
                                   "feed_limit: expected a whole number of entries "
                                   "(0 for all of them)"))
                continue
            values[key] = value
        elif key == "calendar_include_done":
            if not isinstance(value, bool):
                diags.append(error(CONFIG_NAME, line, 1,
                                   "calendar_include_done: expected true or false"))
                continue
            values[key] = value
        else:
            diags.append(warning(CONFIG_NAME, line, 1, f"unknown setting {key!r}"))
    if "title" not in values and values.get("language", "en") != "en":
        from careersite.i18n import localizer  # the default title, in the site's language

        values["title"] = localizer(str(values["language"])).gettext(Config.title)
    return Config(root=root, **values), diags  # type: ignore[arg-type]
