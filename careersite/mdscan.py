"""Markdown token stream -> what the plan needs of a body: actions, links, headings.

Split from markdown.py: markdown.py sets markdown-it up and renders; this module walks the
parsed tokens once and records, with file lines and columns, every task item, link and
heading (and which lines sit inside `::: private` blocks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import unquote

from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify, unique_slug

from careersite.documents import Action, Heading, LinkRef
from careersite.sanitize import SAFE_SCHEMES

MARK = "\x00"
"""Delimits a placeholder: MARK + str(index) + MARK."""
LinkKind = Literal["path", "wiki"]
PRIVATE_OPEN = "container_private_open"
PRIVATE_CLOSE = "container_private_close"
SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
SWALLOWED_FENCE = re.compile(r"^ {0,3}:{3,}[ \t]*private\b", re.IGNORECASE | re.MULTILINE)


class Locator:
    """File line and column of a position in an inline token's source text.

    Positions arrive in increasing order per source, so counting newlines resumes where
    it stopped: a 300 KB paragraph full of links stays linear.
    """

    def __init__(self, text: str, first_line: int) -> None:
        self._text = text
        self._first = first_line
        self._lines: list[str] | None = None
        self._src: str | None = None
        self._base = self._pos = self._line = self._start = 0
        self._delta: dict[tuple[int, int, int], int] = {}

    def __call__(self, src: str, pos: int, base: int) -> tuple[int, int]:
        if src is not self._src or pos < self._pos or base != self._base:
            self._src, self._base, self._pos, self._line, self._start = src, base, 0, 0, 0
        newlines = src.count("\n", self._pos, pos)
        if newlines:
            self._line += newlines
            self._start = src.rfind("\n", self._pos, pos) + 1
        self._pos = pos
        key = (id(src), base, self._line)
        delta = self._delta.get(key)
        if delta is None:
            # Block markers and indentation are stripped from the inline source: find
            # the source line's text in the file line to recover the real column.
            if self._lines is None:
                text = self._text.replace("\r\n", "\n").replace("\r", "\n")
                self._lines = text.replace("\0", "\ufffd").split("\n")
            end = src.find("\n", self._start)
            content = src[self._start : len(src) if end < 0 else end]
            row = base + self._line
            file_line = self._lines[row] if row < len(self._lines) else ""
            delta = self._delta[key] = max(file_line.rfind(content), 0) if content else 0
        return self._first + base + self._line, delta + pos - self._start + 1


def classify(url: str) -> str:
    """Verdict on a link target: "path" (a plan file), "keep" (as is) or "drop"."""
    if not url or url[0] in "#/?":
        return "keep"
    scheme = SCHEME_RE.match(url)
    if scheme is None:
        return "path"
    return "keep" if scheme.group()[:-1].lower() in SAFE_SCHEMES else "drop"


def plain(children: Sequence[Token] | None) -> str:
    parts: list[str] = []
    for child in children or ():
        if child.type == "text" or child.type == "code_inline":
            parts.append(child.content)
        elif child.type == "softbreak" or child.type == "hardbreak":
            parts.append(" ")
    return " ".join("".join(parts).split())


@dataclass
class Scan:
    text: str
    first_line: int
    links: list[LinkRef] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    headings: list[tuple[Token, str, bool]] = field(default_factory=list)
    private_lines: list[list[int]] = field(default_factory=list)
    """Line ranges of the private blocks."""
    raw_html: bool = False
    fn_public_refs: set[tuple[int, int]] = field(default_factory=set)
    _locate: Locator | None = None

    def walk(self, tokens: Sequence[Token]) -> None:
        depth = 0
        for idx, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                # Links, images, footnote references and HTML all need a "[" or a "<".
                content = token.content
                if token.children and ("[" in content or "<" in content):
                    self.inline(token.children, depth > 0)
            elif kind == PRIVATE_OPEN:
                depth += 1
                self.private_lines.append((token.map or [0, 0])[:2])
            elif kind == PRIVATE_CLOSE:
                depth -= 1
            elif kind == "heading_open":
                self.headings.append((token, plain(tokens[idx + 1].children), depth > 0))
            elif kind == "list_item_open" and "checked" in token.meta and not depth:
                text = ""
                if tokens[idx + 1].type == "paragraph_open":
                    text = plain(tokens[idx + 2].children)
                line = self.first_line + (token.map[0] if token.map else 0)
                self.actions.append(Action(text, bool(token.meta["checked"]), line))
            elif kind == "html_block":
                self.raw_html = True
                if SWALLOWED_FENCE.search(token.content):
                    token.meta["cs_private_html"] = True
                    self.private_lines.append((token.map or [0, 0])[:2])

    def inline(self, children: Sequence[Token], private: bool) -> None:
        opened: list[Token] = []
        for child in children:
            kind = child.type
            if kind == "link_open":
                opened.append(child)
                wiki = child.meta.get("cs_wiki")
                if wiki is not None:
                    child.attrs["href"] = self.add(child, wiki[0], "wiki", wiki[1], wiki[2])
                else:
                    self.url(child, "href")
            elif kind == "link_close" and opened:
                child.meta = opened.pop().meta  # rendered (or hidden) like its opener
            elif kind == "image":
                self.url(child, "src")
            elif kind == "html_inline":
                self.raw_html = True
            elif kind == "footnote_ref" and not private:
                self.fn_public_refs.add((child.meta["id"], child.meta.get("subId", 0)))

    def url(self, token: Token, attr: str) -> None:
        url = str(token.attrs.get(attr, ""))
        verdict = classify(url)
        if verdict == "drop":
            token.meta["cs_drop"] = True
        elif verdict == "path":
            path, _, fragment = url.partition("#")
            path = path.partition("?")[0]
            if path:
                token.attrs[attr] = self.add(token, unquote(path), "path", unquote(fragment))

    def add(
        self, token: Token, target: str, kind: LinkKind, fragment: str, bare: bool = False
    ) -> str:
        at = token.meta.get("cs_at")
        if at is None:
            line, col = self.first_line, 1
        else:
            if self._locate is None:
                self._locate = Locator(self.text, self.first_line)
            line, col = self._locate(*at)
        index = len(self.links)
        self.links.append(LinkRef(index, target, kind, fragment, bare, line, col))
        return placeholder(index)

    def anchors(self) -> tuple[tuple[Heading, ...], str | None]:
        """Give headings unique ids, public ones first; return the public headings."""
        slugs: set[str] = set()
        public: list[Heading] = []
        for private_pass in (False, True):
            for token, text, private in self.headings:
                if private is private_pass:
                    anchor = unique_slug(slugify(text) or "section", slugs)
                    token.attrSet("id", anchor)
                    if not private:
                        public.append(Heading(int(token.tag[1]), text, anchor))
        first_h1 = next((h.text for h in public if h.level == 1), None)
        return tuple(public), first_h1


# -- public token stream, sanitizing, entry point ------------------------------------


def placeholder(index: int) -> str:
    """The text standing for link number `index` in a body's HTML."""
    return f"{MARK}{index}{MARK}"
