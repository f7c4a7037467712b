"""markdown-it set up to do less work for the same tokens (speed only, never output).

Each function here replaces a generic markdown-it step by a narrower one that makes the
very same tokens, for the rules careersite enables (careersite.markdown.build_md, whose
`fast=False` leaves them out: the tests compare both on generated Markdown):

- the text rule skips every character at which no enabled inline rule can start;
- block rules are tried only where they can match, chosen by the line's first character
  (markdown-it tries every rule on every line);
- a link's destination is read by one regular expression, and a relative URL that
  markdown-it's normalizeLink would give back unchanged is not parsed and re-encoded
  (both were a Python loop per character);
- normalize and text_join only work on bodies and paragraphs that have something to do
  (a carriage return or NUL; an escape or entity);
- markdown-it's debug logging, one call per rule tried, costs nothing;
- the renderer writes text and tags without markdown-it's generic per-token steps.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from types import ModuleType

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core import text_join as md_text_join
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

BlockRule = Callable[[StateBlock, int, int, bool], bool]

INLINE_STOP = re.compile(r"[\n\\`~*_\[\]!^<&]")
"""Where an inline rule of ours can start (newline, escape, code, strikethrough, emphasis,
links, images and footnotes, autolinks and HTML, entities), and "]", which ends a link
label. markdown-it's text rule also stops at # $ % + - : = > @ { }, where none does."""

# The first characters (after indentation) at which these block rules can match; every
# one returns False at once for any other. Rules not named here can match at any.
_BLOCK_STARTS = {
    "container_private": ":",
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}


def speed_up(md: MarkdownIt) -> None:
    """Apply every speed-up but the renderer's (a MarkdownIt argument) to a set-up md."""
    _quiet_markdown_it_loggers()
    md.core.ruler.at("normalize", normalize)
    md.core.ruler.at("text_join", text_join)
    md.inline.ruler.at("text", text)
    dispatch_block_rules(md)
    fast_links(md)


def _quiet_markdown_it_loggers() -> None:
    """Make markdown-it's per-rule LOGGER.debug calls (about 500 per 2.5 KB body) cheap.

    Logger.debug costs two Python calls even when disabled; a bound ``"".format``
    accepts any arguments and returns at C speed. Only markdown-it's own rule loggers
    are touched, and they only ever log "entering <rule>" at debug level.
    """
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("markdown_it."):
            setattr(logging.getLogger(name), "debug", "".format)  # noqa: B010


def normalize(state: StateCore) -> None:
    """markdown-it's normalize: line endings to \\n, NUL to U+FFFD."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def text_join(state: StateCore) -> None:
    """markdown-it's text_join, for the paragraphs with an escape or an entity.

    Only those make text_special tokens; in the others the inline parse already joined
    adjacent text tokens.
    """
    joined = [token for token in state.tokens
              if token.type == "inline" and ("\\" in token.content or "&" in token.content)]
    if joined:
        md_text_join(StateCore("", state.md, state.env, joined))


def text(state: StateInline, silent: bool) -> bool:
    """markdown-it's text rule, stopping only at INLINE_STOP."""
    pos = state.pos
    stop = INLINE_STOP.search(state.src, pos, state.posMax)
    end = state.posMax if stop is None else stop.start()
    if end == pos:
        return False
    if not silent:
        state.append_pending(state.src[pos:end])
    state.pos = end
    return True


def dispatch_block_rules(md: MarkdownIt) -> None:
    """Replace each chain of block rules by one rule that runs only those that can match.

    markdown-it tries its rules in turn on every line (the main chain), and the rules that
    can end a paragraph, a list, a blockquote or a reference definition on every line of
    one (the "alt" chains). Each chain gets a dispatcher here that calls, in the same order,
    the chain's rules that can match a line starting with that character; the rules leave
    the alt chains. In the main chain the rules stay after its dispatcher and are never
    reached: the paragraph rule, last in each of its lists, always matches.
    """
    ruler = md.block.ruler
    enabled = [rule for rule in ruler.__rules__ if rule.enabled]
    names = [rule.name for rule in enabled]
    if names[-1] != "paragraph":
        raise RuntimeError("the paragraph rule must be the last block rule")
    unknown = set(names) - set(_BLOCK_STARTS) - {"table", "code", "lheading", "paragraph"}
    if unknown:
        raise RuntimeError(f"block rules without a known first character: {unknown}")
    rules = dict(zip(names, ruler.getRules(""), strict=True))
    chains = {"": names}
    for rule in enabled:
        for alt in rule.alt:
            chains.setdefault(alt, []).append(rule.name)
        if rule.alt:
            ruler.at(rule.name, rules[rule.name], {"alt": []})
    for chain, members in chains.items():
        dispatch = _dispatcher([(name, rules[name]) for name in members])
        ruler.before(names[0], f"cs_dispatch_{chain or 'main'}", dispatch,
                     {"alt": [chain] if chain else []})


def _dispatcher(members: list[tuple[str, BlockRule]]) -> BlockRule:
    """One block rule running those of `members` that can match the line, in order."""
    every = [rule for _, rule in members]

    def chain(char: str, table: bool) -> list[BlockRule]:
        # "code" matches only lines indented 4 more, which take the whole chain.
        return [rule for name, rule in members
                if (name == "table" and table) or name in ("lheading", "paragraph")
                or (char != "" and char in _BLOCK_STARTS.get(name, ""))]

    plain, with_table = chain("", False), chain("", True)
    by_char = {(char, table): chain(char, table)
               for char in "".join(_BLOCK_STARTS.values()) for table in (False, True)}

    def dispatch(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        src, first, ends = state.src, state.bMarks, state.eMarks
        pos = first[start] + state.tShift[start]
        if pos >= ends[start] or state.sCount[start] - state.blkIndent >= 4:
            todo = every
        else:
            # A table needs a next line starting with "|", "-" or ":".
            table = False
            if start + 1 < end:
                nxt = first[start + 1] + state.tShift[start + 1]
                table = nxt < ends[start + 1] and src[nxt] in "|-:"
            found = by_char.get((src[pos], table))
            todo = found if found is not None else with_table if table else plain
        for rule in todo:
            if rule(state, start, end, silent):
                return True
        return False

    return dispatch


# A link destination without "(" or a backslash, up to what ends it (markdown-it's
# parseLinkDestination ends one not in <> at a space, a control character or a ")").
_DESTINATION = re.compile(r"[^\x00-\x20\x7f()\\]+")
# URLs that markdown-it's normalizeLink returns unchanged: no scheme, no "//host", only
# characters mdurl.encode keeps (a "%" only in an escape).
_PLAIN_URL = re.compile(
    r"(?![A-Za-z0-9.+\-]+:)(?!//)(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*\Z"
)


class _Destination:
    """What markdown-it's parseLinkDestination returns."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool, pos: int, text: str) -> None:
        self.ok = ok
        self.pos = pos
        self.str = text


def fast_links(md: MarkdownIt) -> None:
    """Give md the faster link destination reader and URL normalizer."""
    slow_destination = helpers.parseLinkDestination
    slow_normalize = md.normalizeLink

    def parse_destination(text: str, pos: int, end: int) -> object:
        match = None if text.startswith("<", pos) else _DESTINATION.match(text, pos, end)
        if match is None or (match.end() < end and text[match.end()] in "(\\"):
            return slow_destination(text, pos, end)
        return _Destination(True, match.end(), unescapeAll(match.group()))

    def normalize_link(url: str) -> str:
        return url if _PLAIN_URL.match(url) else slow_normalize(url)

    own = ModuleType(helpers.__name__, helpers.__doc__)
    own.__dict__.update({name: getattr(helpers, name) for name in helpers.__all__})
    setattr(own, "parseLinkDestination", parse_destination)  # noqa: B010
    md.helpers = own
    md.normalizeLink = normalize_link  # type: ignore[method-assign]


def escape_html(text: str) -> str:
    """markdown-it's escapeHtml, which costs four str.replace calls even on plain text."""
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return escapeHtml(text)
    return text


class FastRenderer(RendererHTML):
    """RendererHTML with its generic per-token steps written out: the same HTML.

    markdown-it renders each token through a rule lookup and a call, and every tag through
    renderToken -> renderAttrs -> attrItems. Here text, the most common token, and plain
    tags are written in the loop (careersite adds no render rule for text tokens).
    """

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        out: list[str] = []
        rules = self.rules
        for idx, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                children = token.children
                if children and len(children) == 1 and children[0].type == "text":
                    out.append(escape_html(children[0].content))  # plain text
                elif children:
                    out.append(self.renderInline(children, options, env))
            elif kind in rules:
                out.append(rules[kind](tokens, idx, options, env))
            elif token.nesting == -1 and not token.attrs and token.block:
                # What renderToken makes of a closing block tag, the most common one.
                out.append("" if token.hidden else f"</{token.tag}>\n")
            else:
                out.append(self.renderToken(tokens, idx, options, env))
        return "".join(out)

    def renderInline(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        out: list[str] = []
        rules = self.rules
        for idx, token in enumerate(tokens):
            kind = token.type
            if kind == "text":
                out.append(escape_html(token.content))
            elif kind in rules:
                out.append(rules[kind](tokens, idx, options, env))
            elif token.nesting and not token.attrs and not token.block and not token.hidden:
                # An inline tag such as <em> or </strong>, as renderToken makes it.
                out.append(f"<{token.tag}>" if token.nesting == 1 else f"</{token.tag}>")
            else:
                out.append(self.renderToken(tokens, idx, options, env))
        return "".join(out)

    def renderToken(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if token.hidden:
            return ""
        nesting = token.nesting
        html = ("</" if nesting == -1 else "<") + token.tag
        if token.attrs:
            html += "".join(f' {escape_html(key)}="{escape_html(str(value))}"'
                            for key, value in token.attrs.items())
        if nesting == 0 and options["xhtmlOut"]:
            html += " /"
        if not token.block:
            return html + ">"
        if nesting != -1 and idx and tokens[idx - 1].hidden:
            html = "\n" + html  # after a hidden paragraph (tight list)
        if nesting == 1 and idx + 1 < len(tokens):
            after = tokens[idx + 1]
            if after.type == "inline" or after.hidden or (
                after.nesting == -1 and after.tag == token.tag
            ):
                return html + ">"
        return html + ">\n"
