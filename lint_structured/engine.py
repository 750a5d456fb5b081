"""The one detection engine behind the CLI, the flake8 plugin and the fixers.

``lint_source`` does, in order: select the rules for the file; the two cheap
stages of ``prefilter.py`` (a text test, then an ``ast`` search for nodes the
active rules could report on: most files of most projects stop here); **one**
tree, the light tree of ``lighttree.py`` built from that ``ast`` tree (or from
LibCST's parse for syntax newer than this Python), with its positions;
**one** batched walk (``walk.py``) of the shared ``ModuleAnalysis`` and every
selected rule over it; positions for the reported nodes; then ``# noqa``
handling. The fixers (``fixers.analyse``) build on this: the engine never
imports them.
"""

from __future__ import annotations

import ast
import io
import os
import re
import sys
import tokenize
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from flake8.defaults import NOQA_INLINE_REGEXP

from lint_structured import codes, lighttree, prefilter
from lint_structured import coroutines as co
from lint_structured import nodes as cst_nodes
from lint_structured.analysis import ModuleAnalysis
from lint_structured.cancellation import Cancellations
from lint_structured.model import Finding, SourceError, split_lines
from lint_structured.rules import ALL_RULES, Report, Rule
from lint_structured.settings import Settings
from lint_structured.walk import walk_batched

if TYPE_CHECKING:
    import libcst

# flake8's own pattern, so that `# noqa` means the same thing in every front end.
NOQA = NOQA_INLINE_REGEXP
_CODE_SPLIT = re.compile(r"[,\s]+")
# LibCST's visitors recurse; give deeply nested (but valid) code room before giving up.
_RECURSION_LIMIT = 10_000


def selected_rules(settings: Settings, path: str) -> list[type[Rule]]:
    """The rules that apply to ``path`` after select, ignore and per-file-ignores."""
    codes = settings.active_codes(path)
    return [rule for rule in ALL_RULES if rule.code in codes]


def _outline(tree: ast.Module | None, path: str, source: str | bytes, python: str | None) -> tuple[co.ModuleSummary, co.ProjectIndex | None]:
    """This module's outline (with ``ast``, a tenth of a LibCST parse) and its project's index.

    When ``source`` is what the file holds, the index keeps the outline: another
    module that resolves a name in this one need not parse it again."""
    real = co.real_path(path) if path and os.path.isfile(path) else None
    name = co.module_name(real) if real else None
    summary = co.summarize(tree or ast.Module(body=[], type_ignores=[]), name, is_package=bool(real and real.name == "__init__.py"))
    index = co.index_for(real, python) if real else None
    if index is not None and real is not None and tree is not None and isinstance(source, bytes):
        index.remember(real, source, summary)
    return summary, index


def _mentions(source: str | bytes, words: Sequence[str]) -> bool:
    if isinstance(source, bytes):
        return any(word.encode() in source for word in words)
    return any(word in source for word in words)


def could_have_findings(source: str | bytes, rules: Sequence[type[Rule]], settings: Settings) -> bool:
    """The text prefilter for ``rules`` (see ``prefilter.py``)."""
    return prefilter.text_passes(source, tuple(rule.code for rule in rules), settings)


def parse(source: str | bytes) -> "libcst.Module":
    """Parse with LibCST, turning every failure into a ``SourceError`` with a reason."""
    if b"\x00" in source if isinstance(source, bytes) else "\x00" in source:
        raise SourceError("contains NUL bytes: not a Python source file")
    import libcst

    try:
        with _recursion_limit(_RECURSION_LIMIT):
            return libcst.parse_module(source)
    except libcst.ParserSyntaxError as exc:
        # Python's own parser places errors precisely and words them better.
        reason = _python_syntax_error(source)
        if reason is None:
            first = exc.message.split("expected one of", 1)[0].rstrip(" :")
            reason = f"syntax error: {first}"
        raise SourceError(reason) from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as {exc.encoding}: {exc.reason} at byte {exc.start}") from None
    except (LookupError, SyntaxError) as exc:  # unknown codec in a coding cookie, ...
        raise SourceError(f"cannot decode: {exc}") from None
    except RecursionError:
        raise SourceError("too deeply nested to parse") from None


def _python_syntax_error(source: str | bytes) -> str | None:
    try:
        prefilter.parse_quietly(source)
    except SyntaxError as exc:
        where = f" at line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "") if exc.lineno else ""
        return f"syntax error{where}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def check_syntax(source: str | bytes) -> None:
    """Raise ``SourceError`` if ``source`` is not a Python module, cheaply.

    ``ast.parse`` costs about a tenth of a LibCST parse; only when it fails
    (which includes syntax newer than the running Python) does LibCST decide.
    """
    try:
        prefilter.parse_quietly(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        parse(source)


def _light_from_libcst(source: str | bytes) -> lighttree.Light:
    """The light tree built from LibCST's parse (``SourceError`` when that fails too)."""
    module = parse(source)
    text = source if isinstance(source, str) else source.decode(module.encoding, errors="replace")
    try:
        with _recursion_limit(_RECURSION_LIMIT):
            return lighttree.from_libcst(module, text)
    except RecursionError:
        raise SourceError("too deeply nested to analyse") from None


def _light_tree(source: str | bytes, tree: ast.Module) -> "lighttree.Light | None":
    """The light tree of ``source``, or None when only LibCST can build it."""
    if isinstance(source, str):
        text, encoding = source, "utf-8"
    else:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
            text = source.decode(encoding)
        except (SyntaxError, LookupError, UnicodeDecodeError):
            return None
        encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        with _recursion_limit(_RECURSION_LIMIT):
            return lighttree.convert(tree, text, encoding)
    except (lighttree.Unsupported, RecursionError):
        return None


class Analysed:
    """One file's analysis: findings (sorted, after noqa) with their reports, and the tree.

    ``module`` is the tree the reports' nodes belong to: the light tree the rules ran
    over, or (``fixers.analyse``) LibCST's twin of it, with ``fix_context`` the fixers'
    view of the same analysis.
    """

    def __init__(
        self,
        module: Any,
        analysis: ModuleAnalysis | None,
        pairs: list[tuple[Finding, Report[Any]]],
        fix_context: Any = None,
        light: lighttree.Light | None = None,
    ) -> None:
        self.module = module
        self.analysis = analysis
        self.pairs = pairs
        #: The fixers' view of this analysis (``fixers.base.FixContext``), when fixes were planned.
        self.fix_context = fix_context
        #: The light tree, its text and positions.
        self.light = light

    @property
    def findings(self) -> list[Finding]:
        return [finding for finding, _ in self.pairs]


_NOTHING = Analysed(None, None, [])


def analyse_source(
    source: str | bytes,
    path: str,
    settings: Settings | None = None,
    *,
    apply_noqa: bool = True,
    validate: bool = True,
    rules: Sequence[type[Rule]] | None = None,
    consulted: dict[str, str | None] | None = None,
    tree: ast.Module | None = None,
    prefiltered: bool = False,
    for_fixes: bool = False,
) -> Analysed:
    """Like ``lint_source``, but keeps the tree and each finding's reported node.

    ``for_fixes`` also resolves what the fixers will ask (which calls return
    coroutines, for the gather and spawn fixes): ``fixers.analyse`` passes it.
    """
    with co.tracking(consulted):
        return _analyse_source(source, path, settings, apply_noqa, validate, rules, tree, prefiltered, for_fixes)


def _analyse_source(
    source: str | bytes,
    path: str,
    settings: Settings | None,
    apply_noqa: bool,
    validate: bool,
    rules: Sequence[type[Rule]] | None,
    tree: ast.Module | None,
    prefiltered: bool,
    for_fixes: bool,
) -> Analysed:
    settings = settings or Settings()
    active = list(rules) if rules is not None else selected_rules(settings, path)
    codes = tuple(rule.code for rule in active)
    if not active:
        return _NOTHING
    if not prefiltered:
        if not prefilter.text_passes(source, codes, settings, path):
            if validate:
                check_syntax(source)
            return _NOTHING
        if tree is None:
            tree = prefilter.parse(source)  # None: a syntax error, or syntax newer than this Python
        if tree is not None and not prefilter.syntax_passes(tree, codes, settings, path):
            return _NOTHING
    light = _light_tree(source, tree) if tree is not None else None
    if light is None:
        light = _light_from_libcst(source)
    found = _detect(light, source, tree, path, settings, active, for_fixes)
    if found is None:
        # A rule reported a node the ast-built tree has no position for: take LibCST's.
        light = _light_from_libcst(source)
        found = _detect(light, source, tree, path, settings, active, for_fixes)
        assert found is not None, "LibCST gives every node a position"
    analysis, reports, spans = found
    if not reports:
        return Analysed(light.module, analysis, [], light=light)
    lines = split_lines(light.text.lstrip("\ufeff"))
    pairs: dict[Finding, Report[cst_nodes.CSTNode]] = {}
    for report in reports:
        line, column, end_line, end_column = spans[report.node]
        finding = Finding(
            path=path,
            line=line,
            column=column,
            code=report.code,
            name=report.name,
            message=report.message,
            end_line=end_line,
            end_column=end_column,
        )
        pairs.setdefault(finding, report)
    kept = sorted(pairs)
    if apply_noqa:
        kept = filter_noqa(kept, lines)
    return Analysed(light.module, analysis, [(finding, pairs[finding]) for finding in kept], light=light)


def _detect(
    light: lighttree.Light,
    source: str | bytes,
    tree: ast.Module | None,
    path: str,
    settings: Settings,
    active: list[type[Rule]],
    for_fixes: bool,
) -> tuple[ModuleAnalysis, list[Report[cst_nodes.CSTNode]], dict[cst_nodes.CSTNode, tuple[int, int, int, int]]] | None:
    """Run the rules over the light tree: the analysis, the reports and their positions;
    None when a reported node has no position."""
    summary = index = None
    # The fixers ask which calls return coroutines only for what `gather` or
    # `ensure_future` is given: other files need no coroutine resolution for them.
    fixers_ask = for_fixes and _mentions(source, ("gather", "ensure_future"))
    if any(rule.needs_coroutines or (fixers_ask and rule.fix_needs_coroutines) for rule in active):
        summary, index = _outline(tree if tree is not None else prefilter.parse(source), path, source, settings.python)
    analysis = ModuleAnalysis(light.module, settings, summary=summary, index=index, source=light.source)
    visitors = [rule(analysis) for rule in active]
    try:
        with _recursion_limit(_RECURSION_LIMIT):
            walk_batched(light.module, [analysis, analysis.tasks, Cancellations(analysis), *visitors])
            reports = [report for visitor in visitors for report in visitor.reports]
            spans = {report.node: light.span(report.node) for report in reports}
    except RecursionError:
        raise SourceError("too deeply nested to analyse") from None
    if any(span is None for span in spans.values()):
        return None
    return analysis, reports, spans  # type: ignore[return-value]  # no None left


def lint_source(
    source: str | bytes,
    path: str,
    settings: Settings | None = None,
    *,
    apply_noqa: bool = True,
    validate: bool = True,
    rules: Sequence[type[Rule]] | None = None,
    consulted: dict[str, str | None] | None = None,
    tree: ast.Module | None = None,
    prefiltered: bool = False,
) -> list[Finding]:
    """Lint one module's source and return its findings, sorted by position.

    ``rules`` overrides selection (the flake8 plugin runs every rule and lets
    flake8 select). Raises ``SourceError`` when the source cannot be analysed;
    with ``validate``, also for a file the prefilter skips, so that a broken
    file is always named (flake8 checks syntax itself and passes False).
    ``consulted`` receives every path a module lookup probed, found or not,
    with the hash of what it held when read (None: nothing): the cache's
    dependencies, since a module added there, removed or edited can change
    the answer; ``tree`` is the ``ast`` of ``source`` when the caller has
    parsed it already, and ``prefiltered`` says the caller has already run
    both prefilter stages. The rules run over the light tree of
    ``lighttree.py``; ``fixers.lint`` also plans each finding's fix.
    """
    return analyse_source(
        source,
        path,
        settings,
        apply_noqa=apply_noqa,
        validate=validate,
        rules=rules,
        consulted=consulted,
        tree=tree,
        prefiltered=prefiltered,
    ).findings


#: Other tools' codes that a ``# noqa`` may name for one of ours (``Rule.noqa_aliases``): a
#: codebase that silenced ruff's RUF006 (a dropped ``asyncio.create_task``) need not say it twice.
NOQA_ALIASES = codes.NOQA_ALIASES


def noqa_codes(line: str, aliases_only: bool = False) -> frozenset[str] | None:
    """None when ``line`` has no ``# noqa``; an empty set for a blanket one; else its codes,
    with ours for the other tools' codes of ``NOQA_ALIASES`` (only those with ``aliases_only``)."""
    match = NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return None if aliases_only else frozenset()
    named = {c.upper() for c in _CODE_SPLIT.split(codes) if c}
    ours = {NOQA_ALIASES[c] for c in named if c in NOQA_ALIASES}
    if aliases_only:
        return frozenset(ours) or None
    return frozenset(named | ours)


def filter_noqa(findings: Iterable[Finding], lines: Sequence[str], aliases_only: bool = False) -> list[Finding]:
    """Drop findings whose line carries a ``# noqa`` that covers their code (prefixes count).

    ``aliases_only``: only the other tools' codes count (under flake8, which handles
    its own ``# noqa`` but does not know that RUF006 means LSC101)."""
    kept = []
    for finding in findings:
        line = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        codes = noqa_codes(line, aliases_only)
        if codes is None or (codes and not any(finding.code.startswith(c) for c in codes)):
            kept.append(finding)
    return kept


class _recursion_limit:
    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __enter__(self) -> None:
        self.saved = sys.getrecursionlimit()
        sys.setrecursionlimit(max(self.saved, self.limit))

    def __exit__(self, *exc: object) -> None:
        sys.setrecursionlimit(self.saved)


def recursion_limit() -> _recursion_limit:
    """Room for deeply nested (but valid) code: LibCST's visitors and transformers recurse."""
    return _recursion_limit(_RECURSION_LIMIT)
