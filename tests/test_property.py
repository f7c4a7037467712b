"""Generated plans through the real CLI: every build ends with a site or with located
messages (never a traceback), and nothing private reaches any file of a public build."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path

from conftest import site_files
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from careersite.cli import main

CANARY = "PRIVCANARY"
"""Written only where FORMAT.md makes it private; must never be published."""
IDS = ("a", "b", "c")


def title_id(title: str) -> str:
    """The id a generated title was made for (the part after the last '-' or ' ')."""
    return title.replace("-", " ").split()[-1]
LOCATED = re.compile(r"^[^:\s][^:]*:\d+:\d+: (error|warning): \S")

# Plain text: any Unicode (controls, NUL, bidi, zero-width, emoji, CR) except characters
# that open a block swallowing what follows (code fences, raw HTML, private fences).
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="`~<:\n\r",
                           exclude_categories=("Cs",)),
    max_size=40,
)
SCALARS = st.one_of(
    st.sampled_from([
        "NO", "off", "yes", "3.10", "01234", "1:30", "2027-02-30", "2027-Q2", "2027-06",
        "2029", "2027-06-30", "2026-01-15T10:00:00+02:00", "~", "", "[a, b]", "{x: 1}",
        "'quoted'", '"dq \\x01"', "&anchor x", "*alias", "!!str x", "!!python/name:os.system",
        "|\n  block text", ">-\n  folded", "- item", "[[[", "{{ 7*7 }}", "-1", "101", "50",
        "\t", "'", '"\\ud800"', "...", "---x",
    ]),
    TEXT.map(lambda t: t.replace("#", "")),
)
PRIVATE_FLAGS = {
    # how `private` is written -> whether the document is private (None: a mapping)
    "none": False, "false": False, "true": True, "True": True, "TRUE": True, "off": True,
    "'false'": True, '"true"': True, "empty": True, "yes": True, "dup": True, "near": True,
    "mapping": None, "empty-mapping": False,
}
COMMON_FLAGS = ["none", "none", "false", "true", "True", "mapping", "empty-mapping"]
"""Ways of writing `private` that build: most documents use one of them."""
RARE_FRAGMENTS = ["[[nope]]", "[x](nope.md)", "\\", "\x00", "<pre>\nunclosed", "<div>"]
FRAGMENTS = st.sampled_from([
    "# Heading", "## Action plan", "- [ ] task", "- [x] done [[a]]", "1. [ ] first",
    "[[b]]", "[[c|text]]",
    "[ext](https://example.org)", "[bad](javascript:alert(1))", "![img](data:text/html,x)",
    "<b>bold</b> <script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "| a | b |\n|---|--:|\n| 1 | 2 |", "```\ncode {{ x }}\n```", "> quote\n> more",
    "text[^1]\n\n[^1]: a footnote", "{{ 7*7 }} {% if x %}", "***",
])


def rarely(draw: st.DrawFn, one_in: int) -> bool:
    """True about once in one_in draws (Hypothesis favours the bounds: pick the middle)."""
    return draw(st.integers(0, one_in - 1)) == one_in // 2


@st.composite
def frontmatter_lines(draw: st.DrawFn, kind: str, private: str, title: str) -> list[str]:
    """Keys as written: mostly well-formed for the kind, with hostile values mixed in."""
    lines: list[str] = []

    def value(good: str) -> str:
        """Mostly the good value, so that many plans build and privacy is put to the test."""
        return draw(SCALARS) if rarely(draw, 120) else good

    if kind == "goal":
        for key, good in (("title", title), ("horizon", draw(st.sampled_from(["long",
                          "short"]))), ("target", "2027-06"), ("status", "active")):
            if not rarely(draw, 100):
                lines.append(f"{key}: {value(good)}")
        later = IDS[IDS.index(title_id(title)) + 1:] if title_id(title) in IDS else ()
        if later and draw(st.booleans()):
            lines.append(f"parent: {value(draw(st.sampled_from(later)))}")
        if draw(st.booleans()):
            lines.append(f"progress: {value('40')}")
        if draw(st.booleans()):
            lines += ["milestones:", f"  - {{title: {value('M')}, due: {value('2027-01')}, "
                                     f"done: {value('false')}}}"]
    elif kind == "review":
        lines.append(f"date: {value('2026-11-20')}")
        gid = draw(st.sampled_from(IDS))
        lines += ["goals:", f"  {gid}: {{progress: {value('50')}, note: {CANARY}-checkin-{gid}}}"]
        if draw(st.booleans()):
            lines.append(f"mood: {value('4')}")
    if kind != "goal" and (CANARY in title or draw(st.booleans())):
        lines.append(f"title: {value(title)}")
    if rarely(draw, 4):
        lines.append(f"{draw(st.sampled_from(['tagret', 'notes', 'Title', 'x']))}: "
                     f"{value('v')}")
    written = {
        "none": [], "empty": ["private:"], "dup": ["private: true", "private: false"],
        "near": ["Private: true"], "mapping": ["private:", f"  salary: {CANARY}-field"],
        "empty-mapping": ["private: {}"],
    }.get(private, [f"private: {private}"])
    at = draw(st.integers(0, len(lines)))
    return lines[:at] + written + lines[at:]


@st.composite
def documents(draw: st.DrawFn) -> dict[str, str]:
    """A small plan: goals a, b, c, a review, a note and maybe a vision."""
    files: dict[str, str] = {}
    private_goals: set[str] = set()
    paths = [f"plans/goals/{i}.md" for i in IDS] + ["plans/reviews/2026-11-20.md",
                                                   "plans/notes/n.md", "plans/vision.md"]
    for path in paths:
        kind = ("goal" if "/goals/" in path else "review" if "/reviews/" in path
                else "vision" if path.endswith("vision.md") else "note")
        if kind == "vision" and draw(st.booleans()):
            continue
        private = draw(st.sampled_from(sorted(PRIVATE_FLAGS)) if rarely(draw, 25)
                       else st.sampled_from(COMMON_FLAGS))
        is_private = PRIVATE_FLAGS[private] is True
        title = f"{CANARY}-{Path(path).stem}" if is_private else f"Title {Path(path).stem}"
        lines = draw(frontmatter_lines(kind, private, title))
        if is_private and kind == "goal":
            private_goals.add(Path(path).stem)
        up = {"goal": "", "vision": "goals/"}.get(kind, "../goals/")
        blocks = draw(st.lists(st.one_of(FRAGMENTS, TEXT, st.just(f"[rel]({up}a.md)")),
                               max_size=6))
        if rarely(draw, 40):
            blocks.append(draw(st.sampled_from(RARE_FRAGMENTS)))
        if is_private:
            blocks.insert(draw(st.integers(0, len(blocks))), f"{CANARY}-body")
        if draw(st.booleans()):
            fence = draw(st.sampled_from(["::: private", "::: Private", ":::: private",
                                          "::: private extra words"]))
            closing = ":::" if fence.startswith("::: ") else "::::"
            blocks.insert(draw(st.integers(0, len(blocks))),
                          f"{fence}\n{CANARY}-block\n{closing}")
        eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        head = draw(st.sampled_from(["", "\ufeff"]))
        text = "---\n" + "".join(f"{line}\n" for line in lines) + "---\n" + "\n\n".join(blocks)
        files[path] = head + (text + "\n").replace("\n", eol)
    # A check-in on a goal is public only with the goal: mark the review's note private
    # unless its goal is public for sure.
    review = files["plans/reviews/2026-11-20.md"]
    for gid in IDS:
        if gid not in private_goals:
            review = review.replace(f"{CANARY}-checkin-{gid}", f"note-{gid}")
    files["plans/reviews/2026-11-20.md"] = review
    return files


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(files=documents())
def test_every_build_ends_with_a_site_or_located_messages(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(["build", "--project", str(root)])  # an exception fails the test
        messages = err.getvalue().splitlines()
        assert code in (0, 1), err.getvalue()
        event(f"exit status {code}")
        assert messages and messages[-1].startswith("careersite: ")
        problems = messages[:-1]
        assert all(LOCATED.match(line) for line in problems), problems
        output = root / "output"
        if code == 1:
            assert any(" error: " in line for line in problems)
            assert not output.exists()
            return
        assert (output / "index.html").is_file()
        for path in site_files(output):
            assert CANARY.encode() not in path.read_bytes(), path.relative_to(output)
