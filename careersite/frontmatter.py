"""File bytes -> text split at the `---` fences -> YAML events -> a position-carrying tree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from careersite.diagnostics import Diagnostic, error, warning
from careersite.fields import (
    YAML_TAG,
    MapNode,
    Node,
    Scalar,
    SeqNode,
    describe,
    quote_hint,
    resolve_plain,
    shown,
)

MAX_BYTES = 1_048_576
MAX_DEPTH = 100
"""Deepest nesting of mappings and lists accepted in frontmatter."""

DEFAULT_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

NESTING_MESSAGE = f"frontmatter is nested too deeply (more than {MAX_DEPTH} levels)"

# Characters the YAML readers refuse (and C0/C1 controls the format forbids): found in the
# raw text they are reported exactly where they are, then blanked so parsing can go on.
_RAW_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# In a value (after escapes such as "\x01" or "\ud800" are decoded).
_VALUE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Line breaks to YAML that are not line breaks in the file (\x85 is blanked above).
_YAML_ONLY_BREAKS = re.compile("[\n\u2028\u2029]")


@dataclass(frozen=True)
class Frontmatter:
    """A document's text split into its frontmatter tree and its body."""

    root: MapNode | None
    """The frontmatter mapping; None when the file has none or it could not be read."""
    readable: bool
    """False when the file or its frontmatter could not be read at all."""
    present: bool
    """The file starts with a `---` block."""
    body: str
    """Body text after the closing fence: BOM removed, line endings turned into \\n."""
    body_line: int
    """1-based file line where the body starts."""
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Split:
    """A text cut at its fences."""

    yaml: str | None
    """The text between the fences; None when there is no frontmatter block."""
    body: str
    body_line: int
    problem: str | None = None
    """Why the fences are wrong (reported at line 1)."""


def read_frontmatter(rel: str, data: bytes, *, loader: Any = None) -> Frontmatter:
    """Decode a file, split it at its fences and parse its YAML; never raises."""
    text, diags = decode_source(rel, data)
    if text is None:
        return Frontmatter(None, False, False, "", 1, tuple(diags))
    split = split_frontmatter(text)
    if split.problem is not None:
        diags.append(error(rel, 1, 1, split.problem))
        return Frontmatter(None, False, True, "", 1, tuple(diags))
    if split.yaml is None:
        late = _late_fence(text)
        if late:
            diags.append(warning(rel, late, 1, "frontmatter must start on line 1: this "
                                               "'---' block after blank lines is body text"))
        return Frontmatter(None, True, False, split.body, split.body_line, tuple(diags))
    try:
        root, yaml_diags, ok = parse_yaml(rel, split.yaml, loader=loader)
    except Exception as exc:  # a broken file must never stop the build
        root, yaml_diags, ok = None, [error(rel, 2, 1, f"cannot read frontmatter: {exc}")], False
    diags += yaml_diags
    if ok and root is not None and not isinstance(root, MapNode):
        diags.append(error(rel, 2, 1, "frontmatter must be a mapping of keys to values, "
                                      f"got {describe(root)}"))
        ok = False
    mapping = root if ok and isinstance(root, MapNode) else None
    if ok and mapping is None:
        mapping = MapNode(2, 1)
    return Frontmatter(mapping, ok, True, split.body, split.body_line, tuple(diags))


def _late_fence(text: str) -> int:
    """The line of a closed `---` block that only blank lines precede (0: none)."""
    if not text[:1].isspace():
        return 0
    stripped = text.lstrip(" \t\n")
    start = text.count("\n", 0, len(text) - len(stripped)) + 1
    if start == 1 or split_frontmatter(stripped).yaml is None:
        return 0
    return start


def decode_source(rel: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes -> text without BOM and with \\n line endings, or None and the error."""
    if len(data) > MAX_BYTES:
        return None, [error(rel, 1, 1, f"file is over 1 MiB ({len(data):,} bytes; "
                                       f"the limit is {MAX_BYTES:,})")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
        start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
        col = len(head[start:].decode("utf-8", errors="replace").lstrip("\ufeff")) + 1
        bad = data[exc.start]
        return None, [error(rel, line, col, f"not valid UTF-8: byte 0x{bad:02x} at byte "
                                            f"offset {exc.start}")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def split_frontmatter(text: str) -> Split:
    """Cut normalised text at its `---` fences (see FORMAT.md, Precise rules)."""
    if text.startswith("+++"):
        return Split(None, "", 1, "TOML frontmatter ('+++') is not supported: "
                                  "use a YAML block between '---' lines")
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if first.rstrip(" \t") != "---":
        return Split(None, text, 1)
    pos = end
    while pos >= 0:
        fence = text.find("\n---", pos)
        if fence < 0:
            break
        after = text.find("\n", fence + 1)
        line = text[fence + 1 :] if after < 0 else text[fence + 1 : after]
        if line.rstrip(" \t") == "---":
            block = text[end + 1 : fence + 1]
            body_line = block.count("\n") + 3
            return Split(block, "" if after < 0 else text[after + 1 :], body_line)
        pos = fence + 1
    return Split(None, "", 1, "frontmatter starting with '---' is never closed: "
                              "end it with a '---' line")


def parse_yaml(
    rel: str, text: str, first_line: int = 2, *, loader: Any = None
) -> tuple[Node | None, list[Diagnostic], bool]:
    """YAML text -> (tree, problems, readable); text starts at file line first_line."""
    diags: list[Diagnostic] = []
    remap = _remapper(text, first_line) if ("\u2028" in text or "\u2029" in text) else None

    def at(line0: int, col0: int) -> tuple[int, int]:
        return remap(line0, col0) if remap is not None else (line0 + first_line, col0 + 1)

    if _RAW_BAD.search(text):  # the first such character of each line is reported
        pos = counted = line0 = 0
        while (m := _RAW_BAD.search(text, pos)) is not None:
            line0 += text.count("\n", counted, m.start())
            counted = m.start()
            col0 = m.start() - (text.rfind("\n", 0, m.start()) + 1)
            diags.append(error(rel, *at(line0, col0), _char_problem(m.group())))
            pos = text.find("\n", m.start()) + 1
            if pos == 0:
                break
        text = _RAW_BAD.sub(" ", text)
    # Deep flow nesting is cut off before parsing (see _flow_overflow); the parser then
    # meets the depth limit at the same event as for any other deep nesting.
    deep = None
    if text.count("[") + text.count("{") > MAX_DEPTH:
        deep = _flow_overflow(text, MAX_DEPTH)
    if deep is not None:
        text = text[: deep[2] + 1]
    reported = len(diags)
    builder = _Builder(rel, diags, first_line, remap)
    parser = (loader or DEFAULT_LOADER)(text)
    try:
        ok = builder.run(parser.get_event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = at(mark.line, mark.column) if mark is not None else (first_line, 1)
        diags.append(error(rel, *where, _syntax_message(exc, text, mark)))
        ok = False
    except yaml.YAMLError as exc:
        diags.append(error(rel, first_line, 1, f"YAML syntax error: {exc}"))
        ok = False
    finally:
        parser.dispose()
    if deep is not None and (ok or all(d.message != NESTING_MESSAGE for d in diags[reported:])):
        del diags[reported:]
        diags.append(error(rel, *at(deep[0], deep[1]), NESTING_MESSAGE))
        ok = False
    return builder.root, diags, ok


class _Builder:
    """Turns a stream of YAML events into a tree, without recursion."""

    def __init__(self, rel: str, diags: list[Diagnostic], first_line: int, remap: Any) -> None:
        self.rel = rel
        self.diags = diags
        self.first_line = first_line
        self.remap = remap
        self.root: Node | None = None
        self.stack: list[MapNode | SeqNode] = []
        self.keys: list[Scalar | Literal[False] | None] = []
        """Per open container: for a mapping, the key awaiting its value (False: a bad key)."""
        self.seen_anchor = False

    def run(self, next_event: Any) -> bool:
        """Consume events until the stream ends; False when the tree cannot be used."""
        # One flat loop with local names: this runs for every scalar of every document.
        diags, rel, stack, keys = self.diags, self.rel, self.stack, self.keys
        base, remap, resolve = self.first_line, self.remap, resolve_plain
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        documents = 0
        while True:
            ev = next_event()
            kind = type(ev)
            if kind is map_end or kind is seq_end:
                stack.pop()
                keys.pop()
                continue
            if ev is None or kind is yaml.StreamEndEvent:
                return True
            mark = ev.start_mark
            if remap is None:
                line, col = mark.line + base, mark.column + 1
            else:
                line, col = remap(mark.line, mark.column)
            node: Node
            if kind is scalar_event:
                value, tag = ev.value, ev.tag
                if ev.anchor is not None or tag is not None:
                    self.check_props(ev, line, col)
                if ev.style or tag is not None:
                    node = Scalar(value, value, "str", not ev.style, line, col)
                    if ev.style == '"' and _VALUE_BAD.search(value):
                        self.bad_chars(value, line, col)
                else:
                    short, resolved = resolve(value)
                    node = Scalar(resolved, value, short, True, line, col)
            elif kind is map_start or kind is seq_start:
                if ev.anchor is not None or ev.tag is not None:
                    self.check_props(ev, line, col)
                if len(stack) >= MAX_DEPTH:
                    diags.append(error(rel, line, col, NESTING_MESSAGE))
                    return False
                node = MapNode(line, col) if kind is map_start else SeqNode(line, col)
            elif kind is alias_event:
                if not self.seen_anchor:
                    self.seen_anchor = True
                    diags.append(error(rel, line, col, "YAML anchors and aliases are not "
                                                       f"allowed (*{ev.anchor})"))
                node = Scalar(None, f"*{ev.anchor}", "alias", False, line, col)
            else:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        diags.append(error(rel, line, col,
                                           "frontmatter must be a single YAML document"))
                        return False
                continue
            if stack:
                parent = stack[-1]
                if type(parent) is SeqNode:
                    parent.items.append(node)
                else:
                    key = keys[-1]
                    if key is None:
                        keys[-1] = self.key(parent, node)  # type: ignore[arg-type]
                    else:
                        if key is not False:
                            parent.items[key.value] = (key, node)
                        keys[-1] = None
            else:
                self.root = node
            if kind is map_start or kind is seq_start:
                stack.append(node)  # type: ignore[arg-type]
                keys.append(None)

    def key(self, parent: MapNode, node: Node) -> Scalar | Literal[False]:
        """Check a mapping key: the key itself, or False when its entry is to be dropped."""
        if isinstance(node, Scalar) and node.tag == "str":
            first = parent.items.get(node.value)
            if first is None:
                return node
            parent.duplicates.append(node)
            self.diags.append(error(self.rel, node.line, node.col,
                                    f"duplicate key '{shown(node.value)}' (first on line "
                                    f"{first[0].line})"))
        elif not (isinstance(node, Scalar) and node.tag == "alias"):
            self.diags.append(error(self.rel, node.line, node.col,
                                    f"key must be text, got {describe(node)}{quote_hint(node)}"))
        return False

    def check_props(self, ev: Any, line: int, col: int) -> None:
        """Report a tag (every one) and the first anchor."""
        if ev.anchor is not None and not self.seen_anchor:
            self.seen_anchor = True
            self.diags.append(error(self.rel, line, col,
                                    f"YAML anchors and aliases are not allowed (&{ev.anchor})"))
        if ev.tag is not None:
            tag = str(ev.tag)
            shown = "!!" + tag[len(YAML_TAG):] if tag.startswith(YAML_TAG) else tag
            self.diags.append(error(self.rel, line, col, f"YAML tags are not allowed ({shown})"))

    def bad_chars(self, value: str, line: int, col: int) -> None:
        """Report the first control character or lone surrogate in a quoted value."""
        bad = _VALUE_BAD.search(value)
        if bad is not None:
            self.diags.append(error(self.rel, line, col, _char_problem(bad.group())))


def _char_problem(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"lone surrogate U+{code:04X} is not allowed in frontmatter"
    if code in (0xFFFE, 0xFFFF):
        return f"character U+{code:04X} is not allowed in frontmatter"
    return f"control character U+{code:04X} is not allowed in frontmatter"


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    message = f"YAML syntax error: {exc.problem or exc.context or 'cannot parse'}"
    if exc.problem and exc.context:
        message += f" ({exc.context})"
    if mark is not None:
        lines = text.split("\n")
        if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            message += "; indent with spaces, YAML does not allow tabs there"
    return message


def _remapper(text: str, first_line: int) -> Any:
    """YAML (line, col) -> file (line, col) when U+2028/U+2029 break lines for YAML only."""
    starts = [(first_line, 0)]
    line, line_start = first_line, 0
    for m in _YAML_ONLY_BREAKS.finditer(text):
        if m.group() == "\n":
            line, line_start = line + 1, m.end()
            starts.append((line, 0))
        else:
            starts.append((line, m.end() - line_start))

    def remap(line0: int, col0: int) -> tuple[int, int]:
        file_line, offset = starts[min(line0, len(starts) - 1)]
        return file_line, offset + col0 + 1

    return remap


def _flow_overflow(text: str, limit: int) -> tuple[int, int, int] | None:
    """0-based (line, col, offset) of the first `[`/`{` nested deeper than limit, if any.

    Runs before the parser: libyaml stops at its own depth with its own message, and the
    pure-Python scanner is quadratic in flow depth. Errs on the side of counting.
    """
    depth = 0
    quote = ""
    block_indent = -1
    offset = -1
    for lineno, line in enumerate(text.split("\n")):
        offset += 1
        line_start, offset = offset, offset + len(line)
        n = len(line)
        indent = n - len(line.lstrip(" "))
        if block_indent >= 0 and not quote:
            if indent == n or indent > block_indent:
                continue
            block_indent = -1
        start, plain, prev, i = True, False, " ", 0
        while i < n:
            c = line[i]
            if quote:
                if c == "\\" and quote == '"':
                    i += 2
                    continue
                if c == quote:
                    if quote == "'" and line[i + 1 : i + 2] == "'":
                        i += 2
                        continue
                    quote, start = "", False
            elif c == "#" and prev in " \t":
                break
            elif depth:
                if c in "[{":
                    depth += 1
                    if depth > limit:
                        return lineno, i, line_start + i
                elif c in "]}":
                    depth -= 1
                    start = plain = False
                elif c in "'\"" and prev in " \t[{,:":
                    quote = c
            elif c in " \t":
                pass
            elif plain or not start:
                if c == ":" and line[i + 1 : i + 2] in ("", " ", "\t"):
                    plain, start = False, True
            elif c in "[{":
                depth = 1
                if depth > limit:
                    return lineno, i, line_start + i
            elif c in "'\"":
                quote = c
            elif c in "|>":
                block_indent = indent
                break
            elif c in "!&*":
                space = line.find(" ", i)
                i = n if space < 0 else space
                prev = " "
                continue
            elif not (c in "-?:" and line[i + 1 : i + 2] in ("", " ", "\t")):
                plain, start = True, False
            prev = c
            i += 1
    return None
