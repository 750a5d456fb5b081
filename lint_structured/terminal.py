"""The terminal: colour when someone can see it, a progress line for long runs, and
rule documentation rendered for reading rather than as raw Markdown.

Colour follows, in order: ``--color always|never``; ``NO_COLOR`` (any non-empty
value: no colour); ``FORCE_COLOR`` (any non-empty value but ``0``: colour); else
colour on a terminal (not ``TERM=dumb``). The progress line is written to standard
error only when it is a terminal, the output is text, and ``CI`` is not set.

Plain ANSI escapes and the standard library only: nothing here costs start-up.
"""

from __future__ import annotations

import io
import keyword
import os
import re
import time
import tokenize
from typing import TextIO

from lint_structured.model import Finding

RESET = "\x1b[0m"
BOLD = "1"
DIM = "2"
RED = "31"
GREEN = "32"
YELLOW = "33"
BLUE = "34"
MAGENTA = "35"
CYAN = "36"


def colour_wanted(choice: str, stream: TextIO) -> bool:
    """Whether to colour what is written to ``stream``; ``choice`` is ``--color``."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    forced = os.environ.get("FORCE_COLOR")
    if forced:
        return forced != "0"
    return is_terminal(stream) and os.environ.get("TERM") != "dumb"


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


class Palette:
    """Styles text, or leaves it alone when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *codes: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{';'.join(codes)}m{text}{RESET}"


PLAIN = Palette(False)


def format_finding(finding: Finding, lines: list[str], show_fixes: bool = True, paint: Palette = PLAIN) -> str:
    """A finding as ``path:line:col: CODE [name] message``, its source line, carets under
    what it is about and, with ``show_fixes``, the fix it would get."""
    head = (
        f"{paint(finding.path, BOLD)}{paint(':', CYAN)}{finding.line}{paint(':', CYAN)}{finding.column}{paint(':', CYAN)} "
        f"{paint(finding.code, BOLD, RED)} {paint('[' + finding.name + ']', DIM)} {finding.message}"
    )
    if not 0 < finding.line <= len(lines):
        return head
    source = lines[finding.line - 1]
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(source.rstrip())
    gutter = paint(str(finding.line), BLUE)
    bar = paint("|", BLUE)
    pad = " " * len(str(finding.line))
    # Copy tabs into the caret line so the carets stay under the code.
    lead = "".join(ch if ch == "\t" else " " for ch in source[:start])
    carets = paint("^" * max(1, end - start), BOLD, RED)
    text = f"{head}\n {gutter} {bar} {source}\n {pad} {bar} {lead}{carets}"
    if not show_fixes:
        return text
    if finding.fix is None:
        fix_line = paint("no automatic fix available", DIM)
    elif finding.fix.applicability.value == "display-only":
        fix_line = finding.fix.message
    else:
        label = finding.fix.applicability.value
        fix_line = f"{paint(f'fix ({label})', GREEN if label == 'safe' else YELLOW)}: {finding.fix.message}"
    return f"{text}\n {pad} {paint('=', BLUE)} {fix_line}"


def colour_diff(patch: str, paint: Palette) -> str:
    """A unified diff with its added lines green, removed ones red, hunk heads cyan."""
    if not paint.enabled:
        return patch
    out = []
    for line in patch.splitlines(keepends=True):
        body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        if line.startswith(("+++", "---")):
            out.append(paint(body, BOLD) + end)
        elif line.startswith("@@"):
            out.append(paint(body, CYAN) + end)
        elif line.startswith("+"):
            out.append(paint(body, GREEN) + end)
        elif line.startswith("-"):
            out.append(paint(body, RED) + end)
        else:
            out.append(line)
    return "".join(out)


# ------------------------------------------------------------------- Markdown
_INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)]+)\)")


def _inline(text: str, paint: Palette) -> str:
    def replace(match: re.Match[str]) -> str:
        code, strong, emphasis, label, _target = match.groups()
        if code is not None:  # plain text keeps the backticks: they still mark code
            return paint(code, CYAN) if paint.enabled else match.group(0)
        if strong is not None:
            return paint(strong, BOLD)
        if emphasis is not None:
            return paint(emphasis, DIM) if paint.enabled else emphasis
        return label

    return _INLINE.sub(replace, text)


_STRINGS = {tokenize.STRING} | {getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, name)}


def highlight_python(code: str, paint: Palette) -> str:
    """``code`` with keywords, strings, numbers and comments coloured (by the standard
    library's tokenizer); every character kept. Code that does not tokenize is left plain."""
    if not paint.enabled:
        return code
    starts = [0]
    for line in code.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out: list[str] = []
    done = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if not token.string:
                continue
            begin = starts[token.start[0] - 1] + token.start[1]
            finish = starts[token.end[0] - 1] + token.end[1]
            if begin < done or code[begin:finish] != token.string:
                return code  # the tokenizer saw the text differently: do not guess
            out.append(code[done:begin])
            out.append(_styled(token, paint))
            done = finish
    except (tokenize.TokenError, SyntaxError):
        return code
    out.append(code[done:])
    return "".join(out)


def _styled(token: tokenize.TokenInfo, paint: Palette) -> str:
    text = token.string
    if token.type == tokenize.NAME and keyword.iskeyword(text):
        return paint(text, BOLD, MAGENTA)
    if token.type == tokenize.NAME and text in ("self", "cls"):
        return paint(text, BLUE)
    if token.type in _STRINGS:
        return paint(text, GREEN)
    if token.type == tokenize.NUMBER:
        return paint(text, CYAN)
    if token.type == tokenize.COMMENT:
        return paint(text, DIM)
    return text


def render_markdown(text: str, paint: Palette = PLAIN) -> str:
    """Rule documentation for a terminal: headings set off (underlined when plain),
    code blocks indented (and highlighted, in colour), emphasis and links without their
    Markdown marks, inline code in colour (plain text keeps its backticks). Tables are
    kept as they are."""
    out: list[str] = []
    fence: list[str] | None = None
    language = ""
    for line in text.splitlines():
        if fence is not None:
            if line.strip().startswith("```"):
                body = "\n".join(fence)
                if language in ("python", "py", ""):
                    body = highlight_python(body + "\n", paint).rstrip("\n")
                out.extend("    " + code_line if code_line else "" for code_line in body.split("\n"))
                fence = None
            else:
                fence.append(line)
            continue
        if line.strip().startswith("```"):
            fence, language = [], line.strip()[3:].strip()
            continue
        heading = re.match(r"(#{1,6})\s+(.*)", line)
        if heading:
            level, title = len(heading.group(1)), _inline(heading.group(2), PLAIN)
            if paint.enabled:
                out.append(paint(title, BOLD, *((YELLOW,) if level <= 2 else ())))
            else:
                out.extend([title, ("=" if level <= 2 else "-") * len(title)])
            continue
        if line.lstrip().startswith("- "):
            indent = len(line) - len(line.lstrip())
            out.append(" " * indent + paint("•", CYAN) + " " + _inline(line.lstrip()[2:], paint) if paint.enabled else " " * indent + "- " + _inline(line.lstrip()[2:], paint))
            continue
        out.append(_inline(line, paint))
    if fence is not None:  # an unclosed block: show what there is
        out.extend("    " + code_line for code_line in fence)
    return "\n".join(out)


# ------------------------------------------------------------------- progress
class Progress:
    """``Checking 120/4,301 files`` on one line of standard error, redrawn at most ten
    times a second and only after the run has taken half a second; erased at the end.
    Off (every call a no-op) unless ``enabled``."""

    def __init__(self, verb: str, total: int, enabled: bool, stream: TextIO | None = None, delay: float = 0.5) -> None:
        import sys

        self.verb = verb
        self.total = total
        self.enabled = enabled and total > 0
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.delay = delay
        self.shown_at = 0.0
        self.width = 0

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.delay or now - self.shown_at < 0.1:
            return
        self.shown_at = now
        text = f"{self.verb} {done:,}/{self.total:,} files"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def finish(self) -> None:
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def progress_wanted(output_format: str, stream: TextIO) -> bool:
    """A progress line only for people: text output, standard error a terminal, not CI."""
    return output_format == "text" and is_terminal(stream) and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
