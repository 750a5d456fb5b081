"""Apply fixes to one file, verifying each round.

A round: analyse; plan every finding's fix; take every applicable fix whose
edit touches its own part of the tree, one per function, and apply them
together with LibCST (new imports through ``AddImportsVisitor``); keep the
result only if it compiles, keeps every comment, fits the line length, and
re-lints with one finding fewer per fix and no more of any code (so a fix
never trades one finding for another). A joint edit that fails is halved
until a part passes; when even its first fix fails, the round tries the
fixes one at a time in source order and keeps the first that passes; a fix
that fails alone is left out, with the reason. Rounds repeat
on the new code until no fix is left to apply, so a second run changes
nothing.

Bytes in, bytes out: the encoding (PEP 263 cookie or UTF-8), a BOM and the
line endings of the original are kept.
"""

from __future__ import annotations

import ast
import codecs
import dataclasses
import io
import tokenize
from collections import Counter
from typing import Any, Callable, Mapping

import libcst as cst

from lint_structured.engine import Analysed
from lint_structured.fixers import analyse, fix_info, plan
from lint_structured.fixers.base import Edit, FixContext, Plan, Withheld, iter_nodes
from lint_structured.fixers.builders import _Replace
from lint_structured.fixers.imports import add_imports
from lint_structured.model import Applicability, Finding, SourceError
from lint_structured.rules import Report
from lint_structured.settings import Settings

#: More rounds than any real file needs; a guard, since every round removes a finding.
MAX_ROUNDS = 200
#: What a rejected fix is remembered by across rounds: (code, line, column, source of the node).
_Key = tuple[str, int, int, str]
#: A fix that can be tried: its finding, report and plan.
_Candidate = tuple[Finding, Report[Any], Plan]
#: Why an edit is refused (None: it is kept), with the new text and its analysis when kept.
_Checked = tuple[str | None, str | None, Analysed | None]


@dataclasses.dataclass
class FileFix:
    """What fixing one file did."""

    fixed: bytes | None  # None: nothing changed
    old_text: str = ""
    new_text: str = ""
    applied: list[Finding] = dataclasses.field(default_factory=list)
    remaining: list[tuple[Finding, str]] = dataclasses.field(default_factory=list)

    def remaining_in_original(self) -> list[tuple[Finding, str]]:
        """``remaining`` with lines of the original text (for a dry run: the file is not rewritten).

        A finding on a line the fixes left as it was keeps its line, shifted by
        the lines added or removed above it; one on a rewritten line points at
        the start of the original lines that were rewritten.
        """
        if self.fixed is None:
            return self.remaining
        to_old = line_mapper(self.new_text, self.old_text)
        return [
            (dataclasses.replace(f, line=to_old(f.line), end_line=max(to_old(f.line), to_old(f.end_line))), why)
            for f, why in self.remaining
        ]


def line_mapper(new: str, old: str) -> Callable[[int], int]:
    """A function from 1-based lines of ``new`` to the matching lines of ``old``."""
    import difflib

    opcodes = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False).get_opcodes()

    def to_old(line: int) -> int:
        index = line - 1
        for tag, i1, i2, j1, j2 in opcodes:
            if j1 <= index < j2:
                return (i1 + index - j1 if tag == "equal" else i1) + 1
        return line

    return to_old


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the codec to write it back with (``utf-8-sig`` keeps a BOM)."""
    if b"\x00" in data:
        raise SourceError("contains NUL bytes: not a Python source file")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot decode: {exc}") from None
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except LookupError:
        raise SourceError(f"unknown encoding {encoding!r} in the coding cookie") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as {exc.encoding}: {exc.reason} at byte {exc.start}") from None
    return text, encoding


def fix_source(
    data: bytes, path: str, settings: Settings, *, unsafe: bool = False, tree: ast.Module | None = None, only: tuple[str, int, int] | None = None
) -> FileFix:
    """Fix ``data`` (the bytes of ``path``); raises ``SourceError`` for a file that cannot be analysed.

    ``tree`` is the ``ast`` of ``data`` when the caller has parsed it and run
    the prefilter's stages on it: the first analysis then does neither again.
    ``only`` (code, line, column) fixes that one finding, with the same checks
    (an editor's quick fix); the findings its fix also resolves go with it.
    """
    text, encoding = decode(data)
    original = text
    try:
        compile(text, path, "exec", dont_inherit=True)
        compiles = True
    except (SyntaxError, ValueError):
        compiles = False
    except RecursionError:
        raise SourceError("too deeply nested to fix") from None
    result = analyse(text, path, settings, tree=tree, prefiltered=tree is not None)
    applied: list[Finding] = []
    rejected: dict[_Key, str] = {}  # why each fix was rejected
    for _ in range(1 if only else MAX_ROUNDS):
        if not result.pairs:
            break
        step = _one_fix(text, path, settings, result, unsafe, rejected, compiles, only)
        if step is None:
            break
        fixed_now, text, result = step
        applied.extend(fixed_now)
    remaining = []
    if result.pairs:
        ctx = _context(result, settings, path)
        for finding, report in result.pairs:
            remaining.append((finding, _why_left(ctx, finding, report, unsafe, rejected)))
    fixed = None
    if text != original:
        fixed = text.encode(encoding)
    return FileFix(fixed, original, text, applied, remaining)


def _key(result: Analysed, finding: Finding, report: Report[Any]) -> _Key:
    code = result.module.code_for_node(report.node) if isinstance(report.node, cst.CSTNode) else ""
    return report.code, finding.line, finding.column, code


def _context(result: Analysed, settings: Settings, path: str) -> FixContext:
    """The fixers' context ``analyse`` made for a result with findings."""
    ctx: FixContext | None = result.fix_context
    assert ctx is not None, "fixers.analyse plans the fixes of every finding"
    return ctx


def _one_fix(
    text: str,
    path: str,
    settings: Settings,
    result: Analysed,
    unsafe: bool,
    rejected: dict[_Key, str],
    compiles: bool,
    only: tuple[str, int, int] | None = None,
) -> tuple[list[Finding], str, Analysed] | None:
    """One round: every applicable fix that touches its own part of the file at once, or else the first that passes."""
    ctx = _context(result, settings, path)
    before = Counter(f.code for f in result.findings)
    candidates = []
    for finding, report in result.pairs:
        if only is not None and (finding.code, finding.line, finding.column) != only:
            continue
        outcome = plan(ctx, report)
        if not isinstance(outcome, Plan) or _key(result, finding, report) in rejected:
            continue
        if outcome.applicability is Applicability.UNSAFE and not unsafe:
            continue
        if outcome.applicability is Applicability.DISPLAY_ONLY:
            continue
        candidates.append((finding, report, outcome))
    by_node = {r.node: f for f, r in result.pairs}
    if len(candidates) > 1 and compiles:
        batch = _batch(ctx, candidates)
        if batch is not None:
            chosen, edits = batch
            # A joint edit that fails its checks is halved (the failing fix is among the
            # halves left out, or is found alone below), so that one bad fix does not
            # make every round fall back to one fix at a time.
            while len(chosen) > 1:
                problem, new_text, new_result = _check(_joint(edits), len(chosen), ctx, text, path, settings, before)
                if problem is None:
                    assert new_text is not None and new_result is not None  # a kept edit has both
                    return [f for finding, _, outcome in chosen for f in (finding, *(by_node[n] for n in outcome.also if n in by_node))], new_text, new_result
                chosen, edits = chosen[: len(chosen) // 2], edits[: len(edits) // 2]
    # One fix alone, or the first of a batch fails its checks: try them one by one, to tell which.
    for finding, report, outcome in candidates:
        ctx.taken.clear()  # the names a fix chooses depend on no other fix
        problem, new_text, new_result = _try(outcome, ctx, text, path, settings, compiles, before)
        if problem is not None:
            rejected[_key(result, finding, report)] = problem
            continue
        assert new_text is not None and new_result is not None  # a kept edit has both
        return [finding, *(by_node[n] for n in outcome.also if n in by_node)], new_text, new_result
    return None


def _batch(ctx: FixContext, candidates: list[_Candidate]) -> tuple[list[_Candidate], list[Edit]] | None:
    """The fixes that can be applied together, and their edits; None when fewer than two can.

    Two fixes go together when their edits replace disjoint parts of the tree
    and they sit in different functions (a fix reads the function it
    rewrites, so a second fix there waits for the next round, which sees the
    first one's result).
    """
    chosen: list[_Candidate] = []
    edits: list[Edit] = []
    footprint: set[int] = set()
    functions: set[cst.CSTNode | None] = set()
    defined = False  # an edit that adds the module's helpers is in the batch
    for finding, report, outcome in candidates:
        function = _outermost_function(ctx, report.node)
        if function in functions:
            continue
        taken = {scope: set(names) for scope, names in ctx.taken.items()}
        try:
            edit = outcome.build()
        except Exception:  # noqa: BLE001 - reported when the fix is tried alone
            ctx.taken = taken
            continue
        touched = {id(node) for original in edit.replacements for node in iter_nodes(original)}
        if touched & footprint or (edit.defines and defined):
            ctx.taken = taken  # the names it chose are free again
            continue
        defined = defined or edit.defines
        footprint |= touched
        functions.add(function)
        chosen.append((finding, report, outcome))
        edits.append(edit)
    if len(chosen) < 2:
        return None
    return chosen, edits


def _joint(edits: list[Edit]) -> Edit:
    replacements = {old: new for edit in edits for old, new in edit.replacements.items()}
    imports = tuple(dict.fromkeys(needed for edit in edits for needed in edit.imports))
    return Edit(replacements, imports, defines=any(edit.defines for edit in edits))


def _outermost_function(ctx: FixContext, node: cst.CSTNode) -> cst.CSTNode | None:
    outermost = None
    for above in ctx.ancestors(node):
        if isinstance(above, cst.FunctionDef):
            outermost = above
    return outermost


def _try(
    outcome: Plan, ctx: FixContext, text: str, path: str, settings: Settings, compiles: bool, before: Counter[str]
) -> _Checked:
    if not compiles:
        return "the file does not compile with this Python, so the fixed code could not be checked", None, None
    try:
        edit = outcome.build()
    except Exception as exc:  # noqa: BLE001 - a fixer bug must not lose the file
        return f"the rewrite failed ({type(exc).__name__}: {exc}); please report this", None, None
    return _check(edit, 1, ctx, text, path, settings, before)


def _check(edit: Edit, fixes: int, ctx: FixContext, text: str, path: str, settings: Settings, before: Counter[str]) -> _Checked:
    """Why ``edit`` (made of ``fixes`` fixes) is refused, or None and the new text and its analysis.

    It must compile, keep every comment, respect the line length, and re-lint
    with at least ``fixes`` fewer findings and no more of any code.
    """
    try:
        new_text = apply_edit(ctx.module, edit, ctx.parents, ctx.blank_between_import_types).code
    except Exception as exc:  # noqa: BLE001 - a fixer bug must not lose the file
        return f"the rewrite failed ({type(exc).__name__}: {exc}); please report this", None, None
    try:
        compile(new_text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"the rewritten code would not compile ({exc}); please report this", None, None
    if not _comments(text) <= _comments(new_text):
        return "the rewrite would lose a comment", None, None
    too_long = _too_long(text, new_text, path)
    if too_long:
        return too_long, None, None
    try:
        new_result = analyse(new_text, path, settings)
    except SourceError as exc:
        return f"the rewritten code could not be analysed ({exc})", None, None
    after = Counter(f.code for f in new_result.findings)
    if sum(after.values()) > sum(before.values()) - fixes:
        return "the rewrite would not remove the finding", None, None
    worse = sorted(code for code in after if after[code] > before[code])
    if worse:
        return f"the rewrite would add a {worse[0]} finding", None, None
    return None, new_text, new_result


def apply_edit(
    module: cst.Module, edit: Edit, parents: Mapping[cst.CSTNode, cst.CSTNode] | None = None, blank_between_types: bool = False
) -> cst.Module:
    """``module`` with ``edit`` applied; ``parents`` (the fix context's map) lets the
    transformer skip every subtree without a replacement in it."""
    above: set[int] | None = None
    if parents is not None:
        ids: set[int] = set()
        above = ids
        for node in edit.replacements:
            parent = parents.get(node)
            if parent is None and node is not module:
                above = None  # a node the map does not hold (a token): visit everything
                break
            while parent is not None and id(parent) not in ids:
                ids.add(id(parent))
                parent = parents.get(parent)
    new = module.visit(_Replace(edit.replacements, above))
    if edit.imports:
        new = add_imports(new, edit.imports, blank_between_types)
    return new


def _too_long(old: str, new: str, path: str) -> str | None:
    """Why the rewrite is refused for line length: a new line longer than the project allows.

    A rewritten line is allowed past the limit only when it holds an original
    line that was already past it.
    """
    from lint_structured.settings import line_length_for

    limit = line_length_for(path)
    if limit is None:
        return None
    length, where = limit
    old_lines = set(old.splitlines())
    long_old = [line.strip() for line in old_lines if len(line) > length]
    for line in new.splitlines():
        if len(line) <= length or line in old_lines:
            continue
        if any(part and part in line for part in long_old):
            continue
        return f"a rewritten line would be {len(line)} characters, over the project's {length} ({where})"
    return None


def _comments(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found[token.string.rstrip()] += 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def _why_left(ctx: FixContext, finding: Finding, report: Report[Any], unsafe: bool, rejected: dict[_Key, str]) -> str:
    source = ctx.source(report.node) if isinstance(report.node, cst.CSTNode) else ""
    key: _Key = (report.code, finding.line, finding.column, source)
    if key in rejected:
        return rejected[key]
    # The last round tried every applicable fix at these positions, so a fix
    # that is not in `rejected` here was not applicable.
    outcome = plan(ctx, report)
    if outcome is None:
        info = fix_info(None, report.code)
        return info.message if info is not None else "no automatic fix for this rule"
    if isinstance(outcome, Withheld):
        return outcome.reason
    if outcome.applicability is Applicability.UNSAFE and not unsafe:
        return "an unsafe fix is available: run with --unsafe-fixes"
    if outcome.applicability is Applicability.DISPLAY_ONLY:
        return outcome.message
    return "the fix was not applied"
