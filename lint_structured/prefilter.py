"""The two cheap stages before a file's tree is built; this module must not import LibCST.

1. **Text**: a file is read further only when it contains one of the words
   the active rules need (``create_task``, ``gather``, ``async``, ...).
2. **Syntax**: ``ast.parse`` (about a tenth of a LibCST parse) and a look for
   the nodes each active rule could report on. It over-approximates the
   rules, so that it never hides a finding: a spawner or ``gather``/``wait``
   name or attribute (or an alias imported from asyncio), an except clause or
   ``suppress`` in a module with ``async def``, and for the coroutine rules
   async code (``async def``, ``await``, ``async for``/``with``), an import
   of asyncio, anyio or trio, or an import from the module's own package of a
   module that defines coroutine functions.

A file that fails either stage cannot hold a finding: no tree is built for it,
and the CLI does not even import the engine for such files.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import re
import warnings
from typing import Iterator

from lint_structured.codes import PREFILTER_NAMES, PREFILTER_SETTING, PREFILTER_SYNTAX, PREFILTER_WORDS
from lint_structured.settings import Settings

_GLOB_CHARS = re.compile(r"[*?\[\]]+")
_ASYNC_NODES = frozenset({ast.AsyncFunctionDef, ast.Await, ast.AsyncFor, ast.AsyncWith})
_AST = ast.AST
_AST_FIELDS: dict[type, tuple[str, ...]] = {}


def walk(*roots: ast.AST, prune: frozenset[type] = frozenset()) -> Iterator[ast.AST]:
    """Every node under ``roots``, in no particular order: ``ast.walk``, about twice as fast.
    Nodes of a ``prune`` type are yielded, but not entered."""
    stack = list(roots)
    pop, push = stack.pop, stack.append
    fields_of = _AST_FIELDS
    while stack:
        node = pop()
        yield node
        kind = type(node)
        if kind in prune:
            continue
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = kind._fields
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, _AST):
                        push(item)
            elif value is not None and isinstance(value, _AST):
                push(value)
_ASYNC_LIBRARIES = frozenset({"asyncio", "anyio", "trio"})


def _configured(settings: Settings, codes: tuple[str, ...]) -> list[str]:
    """The names configured in the settings the active rules read (``extra-spawners``)."""
    entries: list[str] = []
    for setting in dict.fromkeys(PREFILTER_SETTING[c] for c in codes if c in PREFILTER_SETTING):
        entries += getattr(settings, setting)
    return entries


def _wants(codes: tuple[str, ...], syntax: str) -> bool:
    return any(PREFILTER_SYNTAX.get(code) == syntax for code in codes)


def _package_words(path: str | None) -> set[str]:
    """How a module can import from its own package: ``from .`` or its top-level name."""
    if not path or not os.path.isfile(path):
        return {"import"}  # no real file (stdin): any import may be one
    from lint_structured import coroutines as co

    name = co.module_name(co.real_path(path))
    if not name:
        return {"import"}
    top = name.split(".")[0]
    return {"from .", f"import {top}", f"from {top}"}


def text_words(codes: tuple[str, ...], settings: Settings, path: str | None = None) -> list[bytes] | None:
    """Words of which a file must contain one; None when any file may match."""
    words = {word for code in codes for word in PREFILTER_WORDS.get(code, ())}
    if _wants(codes, "async"):
        words |= _package_words(path)
    for entry in _configured(settings, codes):
        # The longest literal run of the last name part: `*.spawn_bg*` needs "spawn_bg".
        literal = max(_GLOB_CHARS.split(entry.rsplit(".", 1)[-1]), key=len)
        if not literal:
            return None  # a bare `*` tail: any call may match
        words.add(literal)
    return [w.encode() for w in words]


def text_passes(source: str | bytes, codes: tuple[str, ...], settings: Settings, path: str | None = None) -> bool:
    """The text stage: false only when no active rule can report on ``source``."""
    words = text_words(codes, settings, path)
    if words is None:
        return True
    data = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    return any(word in data for word in words)


def parse_quietly(source: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse`` without the user's code's own warnings (invalid escapes and the
    like): they are not ours to print, and some environments show them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=filename)


def parse(source: str | bytes) -> ast.Module | None:
    try:
        return parse_quietly(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _imports_package_coroutines(tree: ast.Module, path: str | None, python: str | None) -> bool:
    """A synchronous module importing, from its own package, a module that defines
    coroutine functions (it may call them without ``await``)."""
    if not path or not os.path.isfile(path):
        return False
    from lint_structured import coroutines as co

    real = co.real_path(path)
    name = co.module_name(real)
    if not name:
        return False
    top = name.split(".")[0]
    package = co.package_of(name, real.name == "__init__.py")
    index = co.index_for(real, python)
    for node in walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = co.resolve_relative(node.module, node.level, package)
            if not base:
                continue
            modules = [base, *(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")]
        else:
            continue
        if any(m.split(".")[0] == top and index.defines_coroutines(m) for m in modules):
            return True
    return False


def syntax_passes(tree: ast.Module, codes: tuple[str, ...], settings: Settings, path: str | None = None) -> bool:
    """The syntax stage: false only when no active rule can report on ``tree``."""
    tails = {name for code in codes for name in PREFILTER_NAMES.get(code, ())}
    globs = []
    for entry in _configured(settings, codes):
        tail = entry.rsplit(".", 1)[-1]
        if _GLOB_CHARS.search(tail):
            globs.append(tail)
        else:
            tails.add(tail)
    wants_cancel = _wants(codes, "handlers")
    wants_coroutines = _wants(codes, "async")
    has_async = has_handler = False
    for node in walk(tree):
        kind = type(node)
        if kind in _ASYNC_NODES:
            has_async = True
        elif kind is ast.ExceptHandler:
            has_handler = True
        elif kind is ast.Name or kind is ast.Attribute:
            name = node.id if kind is ast.Name else node.attr  # type: ignore[attr-defined]  # exact-type dispatch: `kind` is Name or Attribute
            if name in tails or (globs and any(fnmatch.fnmatchcase(name, g) for g in globs)):
                return True
            if wants_cancel and name == "suppress":
                has_handler = True
        elif kind is ast.Import or kind is ast.ImportFrom:
            assert isinstance(node, (ast.Import, ast.ImportFrom))
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if wants_cancel and isinstance(node, ast.ImportFrom) and node.module == "contextlib":
                has_handler = has_handler or any(a.name in ("suppress", "*") for a in node.names)
            if any(m.split(".")[0] in _ASYNC_LIBRARIES for m in modules):
                if wants_coroutines:
                    return True
                if isinstance(node, ast.ImportFrom):
                    # `from asyncio import gather as run_all`: the alias carries the name.
                    for alias in node.names:
                        if alias.name in tails or alias.name == "*":
                            return True
        if has_async and (wants_coroutines or (wants_cancel and has_handler)):
            return True
    return wants_coroutines and _imports_package_coroutines(tree, path, settings.python)
