"""Add the imports a fix needs, where the module's own import style puts them.

LibCST's ``AddImportsVisitor`` appends a new ``import x`` after the last
import at the top and puts a new name first in an existing
``from x import ...``. In a module whose imports are sorted (isort, ruff's
``I`` rules) that breaks the order a linter checks, so:

- ``import logging`` (a standard-library module) goes among the module's
  standard-library ``import`` statements in alphabetical order when those
  are sorted (before its standard-library ``from`` imports when it has no
  plain ones);
- a name added to an existing ``from x import ...`` is sorted in as isort
  sorts by default (constants, then classes, then the rest, each
  case-insensitively), when the names there were sorted that way.

Anything else is left to ``AddImportsVisitor``.
"""

from __future__ import annotations

import sys
from typing import Iterable

import libcst as cst

from lint_structured.fixers.base import Import

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"asyncio", "logging", "typing", "concurrent"}


def add_imports(module: cst.Module, imports: Iterable[Import], blank_between_types: bool = False) -> cst.Module:
    """``module`` with ``imports`` (``Import`` records) added; ``blank_between_types``: the
    project separates a section's ``import`` and ``from`` statements with a blank line."""
    rest = []
    froms: dict[str, list[str]] = {}
    for needed in imports:
        if needed.name is not None:
            froms.setdefault(needed.module, []).append(needed.name)
            continue
        placed = _place_plain(module, needed.module, blank_between_types)
        if placed is None:
            rest.append(needed)
        else:
            module = placed
    for name, members in froms.items():
        placed = _place_from(module, name, sorted(set(members), key=_isort_key), blank_between_types)
        if placed is None:
            rest.extend(Import(name, member) for member in members)
        else:
            module = placed
    if not rest:
        return module
    before = _from_imports(module)
    added = _add_with_libcst(module, rest)
    return _resort_from_imports(added, before)


def _top_module(statement: cst.CSTNode) -> tuple[str, bool] | None:
    """(the module, whether it is a plain ``import``) of a one-import statement line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import) and len(small.names) == 1:
        return _dotted(small.names[0].name), True
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        return _dotted(small.module), False
    return None


def _binds_itself(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body[0]
    return isinstance(small, cst.Import) and small.names[0].asname is None


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _stdlib_imports(module: cst.Module) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(plain, from) standard-library imports at the top: (index, module) each, in order."""
    plain: list[tuple[int, str]] = []
    froms: list[tuple[int, str]] = []
    for index, statement in enumerate(module.body):
        found = _top_module(statement)
        if found is None:
            if isinstance(statement, cst.SimpleStatementLine) and index == 0:
                continue  # a docstring
            if plain or froms:
                break  # the end of the imports at the top
            continue
        top, is_plain = found
        if top.split(".")[0] in _STDLIB and top != "__future__":
            (plain if is_plain else froms).append((index, top))
    return plain, froms


def _sorted_run(found: list[tuple[int, str]]) -> bool:
    keys = [top.lower() for _, top in found]
    return keys == sorted(keys) and all(b - a == 1 for (a, _), (b, _) in zip(found, found[1:]))


def _place_from(module: cst.Module, name: str, members: list[str], blank: bool) -> cst.Module | None:
    """``module`` with a new ``from name import members`` among its sorted standard-library
    ``from`` imports; None when it has one for ``name`` already (LibCST adds to it) or no order to keep."""
    if name.split(".")[0] not in _STDLIB or name in _from_imports(module):
        return None
    plain, froms = _stdlib_imports(module)
    body = list(module.body)
    new = cst.parse_statement(f"from {name} import {', '.join(members)}{module.default_newline}", module.config_for_parsing)
    if froms and _sorted_run(froms):
        at = next((i for i, top in froms if top.lower() > name.lower()), froms[-1][0] + 1)
        if at == froms[0][0]:
            new = new.with_changes(leading_lines=body[at].leading_lines)
            body[at] = body[at].with_changes(leading_lines=[])
    elif not froms and plain and _sorted_run(plain):
        at = plain[-1][0] + 1
        if blank:
            new = new.with_changes(leading_lines=[cst.EmptyLine(indent=False, whitespace=cst.SimpleWhitespace(""))])
    else:
        return None
    body.insert(at, new)
    return module.with_changes(body=body)


def _place_plain(module: cst.Module, name: str, blank: bool = False) -> cst.Module | None:
    """``module`` with ``import name`` among its sorted standard-library imports; None to leave it to LibCST."""
    if name.split(".")[0] not in _STDLIB:
        return None
    body = list(module.body)
    if any(_top_module(s) == (name, True) and _binds_itself(s) for s in body):
        return module  # already there (`import logging as log` binds `log`, not `logging`)
    plain, froms = _stdlib_imports(module)
    if plain and _sorted_run(plain):
        at = next((i for i, top in plain if top.lower() > name.lower()), plain[-1][0] + 1)
    elif not plain and froms:
        at = froms[0][0]
    else:
        return None
    new = cst.parse_statement(f"import {name}{module.default_newline}", module.config_for_parsing)
    if at < len(body) and (at == plain[0][0] if plain else True):
        # The new first import of the block takes over the block's leading comments and blank lines.
        new = new.with_changes(leading_lines=body[at].leading_lines)
        separator = [cst.EmptyLine(indent=False, whitespace=cst.SimpleWhitespace(""))] if blank and not plain else []
        body[at] = body[at].with_changes(leading_lines=separator)
    body.insert(at, new)
    return module.with_changes(body=body)


def _from_imports(module: cst.Module) -> dict[str, list[cst.ImportAlias]]:
    """The names of each top-level ``from x import ...`` (the first of each module)."""
    found: dict[str, list[cst.ImportAlias]] = {}
    for statement in module.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and statement.body else None
        if isinstance(small, cst.ImportFrom) and small.module is not None and not isinstance(small.names, cst.ImportStar):
            found.setdefault(_dotted(small.module), list(small.names))
    return found


def _isort_key(name: str) -> tuple[int, str]:
    """isort's default order within a ``from`` import: CONSTANTS, Classes, functions."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _resort_from_imports(module: cst.Module, before: dict[str, list[cst.ImportAlias]]) -> cst.Module:
    """Lay out the names LibCST added to a ``from`` import as the others are laid out
    (the separator between them: one per line in a parenthesised import), and sort
    them in when the names there were sorted."""
    body = list(module.body)
    for index, statement in enumerate(body):
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and statement.body else None
        if not isinstance(small, cst.ImportFrom) or small.module is None or isinstance(small.names, cst.ImportStar):
            continue
        old = before.pop(_dotted(small.module), None)
        names = list(small.names)
        if old is None or len(names) == len(old):
            continue
        old_names = [_dotted(a.name) for a in old]
        if old_names == sorted(old_names, key=_isort_key):
            names.sort(key=lambda a: _isort_key(_dotted(a.name)))
        between = old[0].comma if len(old) > 1 else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        last = old[-1].comma
        names = [a.with_changes(comma=between if i < len(names) - 1 else last) for i, a in enumerate(names)]
        body[index] = statement.with_changes(body=[small.with_changes(names=names)])
    return module.with_changes(body=body)


def _add_with_libcst(module: cst.Module, imports: Iterable[Import]) -> cst.Module:
    """``AddImportsVisitor`` on an outline of the module.

    The visitor reads and changes only top-level statements (the imports at
    the top, and the blank line before the first statement after them), but
    walks the whole tree with matchers: seconds on a 20,000-line module. So
    it runs on an outline, where every top-level compound statement (``def``,
    ``class``, ``if``, ``try``...) is a one-line placeholder with its leading
    lines, and the real ones are put back in order, with the leading lines
    the visitor gave their placeholders.
    """
    # LibCST's codemod package costs 0.4 s to import: only when an import is needed.
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    stub = cst.SimpleStatementSuite([cst.Expr(cst.Ellipsis())])
    originals = [s for s in module.body if isinstance(s, cst.BaseCompoundStatement)]
    outline = module.with_changes(
        body=[
            cst.If(test=cst.Name("_"), body=stub, leading_lines=s.leading_lines) if isinstance(s, cst.BaseCompoundStatement) else s
            for s in module.body
        ]
    )
    ctx = CodemodContext()
    for needed in imports:
        AddImportsVisitor.add_needed_import(ctx, needed.module, needed.name)
    added = AddImportsVisitor(ctx).transform_module(outline)
    restored = iter(originals)
    body = [
        next(restored).with_changes(leading_lines=s.leading_lines) if isinstance(s, cst.BaseCompoundStatement) else s
        for s in added.body
    ]
    if next(restored, None) is not None:  # never: the visitor only adds statements
        raise RuntimeError("adding imports lost a top-level statement")
    return added.with_changes(body=body)
