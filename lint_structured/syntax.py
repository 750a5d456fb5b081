"""Small questions about the shape of the syntax tree, shared by the analysis, the
rules, the flow analysis and the fixers: walking a tree, reading dotted names."""

from __future__ import annotations

import collections
from typing import Any, Iterator, Sequence

from lint_structured import nodes as cst
from lint_structured.nodes import IS_NODE as _IS_NODE
from lint_structured.nodes import TOKEN_PREFIXES, LightNode, fields_of


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a pure chain of names and attributes, else None."""
    parts = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def is_node(value: object) -> bool:
    """Whether ``value`` is a node, of the light tree or of LibCST's (the fixers walk
    LibCST's trees with the same code), by a dict lookup on its type."""
    kind = type(value)
    known = _IS_NODE.get(kind)
    if known is None:
        known = _IS_NODE[kind] = issubclass(kind, LightNode) or any(
            base.__name__ == "CSTNode" and base.__module__.startswith("libcst.") for base in kind.__mro__
        )
    return known


def child_nodes(node: Any) -> list[Any]:
    """The nodes directly below ``node``, read from its dataclass fields.

    Not in source order (``CSTNode.children`` is, but it goes through LibCST's
    visitor machinery and costs about ten times more); for walks that collect.
    Token and whitespace fields are skipped, as the batched walk skips them.
    """
    kind = type(node)
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(name for name in fields_of(kind) if not name.startswith(TOKEN_PREFIXES))
    out: list[Any] = []
    for name in fields:
        value = getattr(node, name)
        if is_node(value):
            out.append(value)
        elif type(value) in (tuple, list):
            out.extend(item for item in value if is_node(item))
    return out


def iter_nodes(node: cst.CSTNode, prune: tuple[type, ...] = ()) -> Iterator[cst.CSTNode]:
    """``node`` and everything below it, without descending into ``prune`` types
    (which are still yielded themselves). Not in source order."""
    return walk_nodes(node, prune)


def walk_nodes(node: Any, prune: tuple[type, ...] = ()) -> Iterator[Any]:
    """``iter_nodes`` for either tree (the fixers walk LibCST's with it)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current, prune) or current is node:
            stack.extend(child_nodes(current))


def iterated_collection(expr: cst.BaseExpression) -> str | None:
    """The collection a ``for`` loop walks: ``tasks``, ``list(tasks)``, ``self._tasks.values()``."""
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("values", "copy", "keys") and not expr.args:
            return dotted_name(func.value)
        if isinstance(func, cst.Name) and func.value in ("list", "set", "tuple", "sorted", "reversed") and expr.args:
            return dotted_name(expr.args[0].value)
        return None
    return dotted_name(expr)


def dotted_names_in(node: cst.CSTNode) -> set[str]:
    """Every maximal name/attribute chain in ``node``: ``await self._t`` gives {"self._t"}."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Name, cst.Attribute)):
            name = dotted_name(current)
            if name is not None:
                found.add(name)
                continue
        if isinstance(current, cst.Attribute):
            stack.append(current.value)
        else:
            stack.extend(child_nodes(current))
    return found


def is_forever_test(test: object) -> bool:
    """The test of an endless loop: ``while True:``, ``while 1:`` (any non-zero integer).
    Either tree's node: the light tree's classes have LibCST's names and fields."""
    kind = type(test).__name__
    value = getattr(test, "value", None)
    if kind == "Name":
        return value == "True"
    return kind == "Integer" and isinstance(value, str) and value.lower() not in ("0", "0x0", "0o0", "0b0")


def statements_in(suite: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """The statements of a block (an indented block, a one-line suite, an ``else``), or none."""
    body = getattr(suite, "body", ())
    return body if isinstance(body, Sequence) else ()


def blocks_of(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The blocks of a compound statement other than a loop: bodies, branches, handlers."""
    blocks = [getattr(statement, "body", None)]
    orelse = getattr(statement, "orelse", None)
    while isinstance(orelse, cst.If):
        blocks.append(orelse.body)
        orelse = orelse.orelse
    if orelse is not None:
        blocks.append(orelse.body)
    blocks.extend(h.body for h in getattr(statement, "handlers", ()))
    if isinstance(statement, cst.Match):
        blocks.extend(case.body for case in statement.cases)
    return [b for b in blocks if b is not None]


def target_names(target: cst.CSTNode) -> Iterator[str]:
    """Names a target binds (``a``, ``a, *b``); attribute and subscript targets bind none."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from target_names(target.value)


def target_loads(target: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The parts of a target that are *read*: ``obj`` in ``obj.attr = ...``."""
    if isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from target_loads(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from target_loads(target.value)
    elif not isinstance(target, cst.Name):
        yield target


def loaded_names(node: cst.CSTNode) -> set[str]:
    """Every name *read* anywhere in ``node``, nested functions included.

    Binding positions (assignment, ``for``, ``with ... as``, ``except ... as``,
    walrus and import targets, parameter and definition names, ``del``) and the
    ``.attr`` and ``keyword=`` parts are not reads.
    """
    found: set[str] = set()
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        elif isinstance(current, cst.Arg):
            stack.append(current.value)
        elif isinstance(current, cst.Assign):
            stack.append(current.value)
            for target in current.targets:
                stack.extend(target_loads(target.target))
        elif isinstance(current, cst.AnnAssign):
            stack.extend(n for n in (current.value, current.annotation) if n is not None)
            stack.extend(target_loads(current.target))
        elif isinstance(current, (cst.For, cst.CompFor)):
            stack.extend(target_loads(current.target))
            stack.extend(child for child in child_nodes(current) if child is not current.target)
        elif isinstance(current, cst.NamedExpr):
            stack.append(current.value)
        elif isinstance(current, cst.AsName):
            stack.extend(target_loads(current.name))
        elif isinstance(current, (cst.FunctionDef, cst.ClassDef)):
            stack.extend(child for child in child_nodes(current) if child is not current.name)
        elif isinstance(current, cst.Param):
            stack.extend(n for n in (current.annotation, current.default) if n is not None)
        elif isinstance(current, (cst.Import, cst.ImportFrom, cst.Global, cst.Nonlocal, cst.Del)):
            continue
        else:
            stack.extend(child_nodes(current))
    return found


def module_level_statements(module: cst.Module) -> list[cst.CSTNode]:
    """The simple statements of a module's top level, also those under an ``if``, a
    ``try`` (and its handlers) or a ``with``: imports guarded by ``if sys.version_info``
    or ``try: ... except ImportError`` bind module names too."""
    pending: collections.deque[cst.CSTNode] = collections.deque(module.body)
    statements: list[cst.CSTNode] = []
    while pending:
        stmt = pending.popleft()
        if isinstance(stmt, cst.SimpleStatementLine):
            statements.extend(stmt.body)
        elif isinstance(stmt, (cst.If, cst.Try, cst.TryStar, cst.With)):
            for child in child_nodes(stmt):
                if isinstance(child, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.If)):
                    pending.extend([child] if isinstance(child, cst.If) else _suite_statements(child))
    return statements


def _suite_statements(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    body = getattr(node, "body", None)
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return body.body
    if isinstance(body, Sequence):
        return body
    return []


#: Calls that make a new, empty container (``set()``, ``deque()``).
FRESH_CONTAINER_CALLS = frozenset({"list", "set", "dict", "deque", "collections.deque", "defaultdict", "collections.defaultdict"})


def is_fresh_container(expr: Any) -> bool:
    """``[]``, ``{}``, ``set()``, ``deque()``, ``defaultdict(list)``: a new, empty container.
    Either tree's node (the light tree's classes have LibCST's names and fields)."""
    kind = type(expr).__name__
    if kind in ("List", "Dict", "Set"):
        return not expr.elements
    if kind != "Call":
        return False
    parts = []
    func = expr.func
    while type(func).__name__ == "Attribute":
        parts.append(func.attr.value)
        func = func.value
    if type(func).__name__ != "Name":
        return False
    name = ".".join([func.value, *reversed(parts)])
    if name in ("defaultdict", "collections.defaultdict"):
        return len(expr.args) <= 1  # its argument makes the missing values, not elements
    return not expr.args and name in FRESH_CONTAINER_CALLS
