"""The fixers' way into the analysis: LibCST twins of the light tree's nodes.

Detection runs once, over the light tree (``lighttree.py``). A fix needs
LibCST's tree, with its whitespace and comments, to rewrite; the two trees
have the same shape (the light tree mirrors LibCST's classes and fields), so
one parallel walk pairs every node with its twin. ``AnalysisView`` answers
the fixers' questions about LibCST nodes from the analysis already made: the
facts it hands out name LibCST nodes (``CstSpawn``, ``CstGroup``), and
nothing is analysed twice.
"""

from __future__ import annotations

import dataclasses
from typing import Iterator, Mapping

import libcst as cst

from lint_structured import nodes as light
from lint_structured.analysis import GROUP_FACTORIES, Frame, ModuleAnalysis, SpawnInfo, spawn_method_of
from lint_structured.nodes import fields_of
from lint_structured.syntax import is_node


class Twins:
    """The LibCST node of each light node, and back, found by one parallel walk.

    Where the two trees differ by design (an implicitly concatenated string is
    one light ``SimpleString``; ``x[a, b]`` one subscript element holding a
    tuple), the pair above is kept and the walk does not go below it. The
    literal text of an f-string has no light node: the expressions are paired
    in order.
    """

    def __init__(self, light_module: light.Module, cst_module: cst.Module) -> None:
        self._cst: dict[light.CSTNode, cst.CSTNode] = {}
        self._light: dict[cst.CSTNode, light.CSTNode] = {}
        stack: list[tuple[object, object]] = [(light_module, cst_module)]
        while stack:
            one, two = stack.pop()
            if type(one).__name__ != type(two).__name__:
                if type(one).__name__ == "FormattedString" and isinstance(two, cst.ConcatenatedString):
                    # `f"a {x}" "b"` is one light f-string: pair its expressions in order.
                    expressions = list(_concatenated_expressions(two))
                    if len(expressions) == len(one.parts):  # type: ignore[attr-defined]  # a FormattedString
                        stack.extend(zip(one.parts, expressions))  # type: ignore[attr-defined]
                continue
            self._cst[one] = two  # type: ignore[index,assignment]  # both are nodes: only nodes are pushed
            self._light[two] = one  # type: ignore[index,assignment]  # as above
            for field in fields_of(type(one)):
                a, b = getattr(one, field, None), getattr(two, field, None)
                if is_node(a) and is_node(b):
                    stack.append((a, b))
                elif isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
                    if len(a) != len(b):  # f-string parts: LibCST's text parts have no light twin
                        b = [y for y in b if type(y).__name__ != "FormattedStringText"]
                    if len(a) == len(b):
                        stack.extend((x, y) for x, y in zip(a, b) if is_node(x) and is_node(y))

    def cst_of(self, node: light.CSTNode) -> cst.CSTNode | None:
        return self._cst.get(node)

    def light_of(self, node: cst.CSTNode) -> light.CSTNode | None:
        return self._light.get(node)


@dataclasses.dataclass(eq=False)
class CstGroup:
    """``GroupBlock`` (an ``async with`` task-group block), in LibCST's tree."""

    node: cst.With
    library: str
    name: str | None

    @property
    def spawn_method(self) -> str:
        return spawn_method_of(self.library)


@dataclasses.dataclass(eq=False)
class CstSpawn:
    """``SpawnInfo`` (a call that starts a task), in LibCST's tree. ``frame`` is the
    analysis's own (its facts name no node a fixer rewrites)."""

    call: cst.Call
    kind: str
    spawner: str
    group: CstGroup | None
    awaited: bool
    frame: Frame


class _Frames(Mapping[cst.CSTNode, Frame]):
    def __init__(self, view: "AnalysisView") -> None:
        self._view = view

    def __getitem__(self, node: cst.CSTNode) -> Frame:
        frame = self._view.frame_for(node)
        if frame is None:
            raise KeyError(node)
        return frame

    def __iter__(self) -> Iterator[cst.CSTNode]:
        twins = self._view.twins
        return iter([n for n in (twins.cst_of(k) for k in self._view.analysis.frames) if n is not None])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class AnalysisView:
    """What the fixers ask the analysis, about LibCST's nodes."""

    def __init__(self, analysis: ModuleAnalysis, twins: Twins) -> None:
        self.analysis = analysis
        self.twins = twins
        self.frames: Mapping[cst.CSTNode, Frame] = _Frames(self)
        self._spawns: dict[SpawnInfo, CstSpawn] = {}
        self._calls: dict[cst.CSTNode, str] | None = None

    def qualify(self, expr: cst.BaseExpression) -> str | None:
        """The qualified name ``expr`` (a name or attribute chain of the tree) refers to."""
        twin = self.twins.light_of(expr)
        return self.analysis.qualify(twin) if isinstance(twin, light.BaseExpression) else None

    def group_factory(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, cst.Call):
            return GROUP_FACTORIES.get(self.qualify(expr.func) or "")
        return None

    def frame_for(self, node: cst.CSTNode) -> Frame | None:
        twin = self.twins.light_of(node)
        return self.analysis.frame_for(twin) if twin is not None else None

    def spawn_info(self, node: cst.CSTNode) -> CstSpawn | None:
        twin = self.twins.light_of(node)
        info = self.analysis.spawn_info(twin) if twin is not None else None
        if info is None:
            return None
        found = self._spawns.get(info)
        if found is None:
            group = None
            if info.group is not None:
                group_node = self.twins.cst_of(info.group.node)
                assert isinstance(group_node, cst.With)
                group = CstGroup(group_node, info.group.library, info.group.name)
            assert isinstance(node, cst.Call)
            found = self._spawns[info] = CstSpawn(node, info.kind, info.spawner, group, info.awaited, info.frame)
        return found

    @property
    def coroutine_calls(self) -> Mapping[cst.CSTNode, str]:
        """The calls known to return a coroutine, with the function each calls."""
        if self._calls is None:
            self._calls = {}
            for call, callee in self.analysis.coroutine_calls.items():
                twin = self.twins.cst_of(call)
                if twin is not None:
                    self._calls[twin] = callee
        return self._calls



def _concatenated_expressions(node: cst.ConcatenatedString) -> Iterator[cst.FormattedStringExpression]:
    """The ``{...}`` parts of an implicit concatenation of strings, in order."""
    for piece in (node.left, node.right):
        if isinstance(piece, cst.ConcatenatedString):
            yield from _concatenated_expressions(piece)
        elif isinstance(piece, cst.FormattedString):
            yield from (p for p in piece.parts if isinstance(p, cst.FormattedStringExpression))
