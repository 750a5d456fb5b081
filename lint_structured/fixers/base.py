"""What a fixer gives back: an edit to apply, or the reason it withholds one.

A fixer is a pure function of a finding's node and the shared analysis. It
plans without changing anything, so the same call tells ``check`` whether a
fix exists and gives ``fix`` the edit to apply. An edit maps original nodes
to their replacements (disjoint subtrees) and names the imports the new code
needs; ``apply.py`` applies it with LibCST's transformer and
``AddImportsVisitor``.
"""

from __future__ import annotations

import builtins
import dataclasses
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar

import libcst as cst

from lint_structured.fixers.twins import AnalysisView
from lint_structured.model import Applicability
from lint_structured.rules import Report
from lint_structured.settings import Settings
from lint_structured.syntax import walk_nodes

T = TypeVar("T")


#: A finding's report, its node in LibCST's tree.
CstReport = Report[cst.CSTNode]


def iter_nodes(node: cst.CSTNode, prune: tuple[type, ...] = ()) -> Iterator[cst.CSTNode]:
    """``node`` of LibCST's tree and everything below it, without descending into
    ``prune`` types (which are still yielded themselves). Not in source order."""
    return walk_nodes(node, prune)


@dataclasses.dataclass(frozen=True)
class Import:
    """``import module`` (``name`` None) or ``from module import name``."""

    module: str
    name: str | None = None


#: What an original node is replaced with: a node, or several statements in its place.
Replacement = cst.CSTNode | cst.FlattenSentinel[cst.BaseStatement]


@dataclasses.dataclass
class Edit:
    """Replacements of original nodes, and the imports the new code needs."""

    replacements: dict[cst.CSTNode, Replacement]
    imports: tuple[Import, ...] = ()
    #: Whether it adds module-level definitions (the keep-reference helpers): two such
    #: edits in one round would each add their own copy.
    defines: bool = False


@dataclasses.dataclass
class Plan:
    """A fix that can be applied: ``build`` makes the edit (names are chosen then).

    ``build`` may be called more than once (alone, and together with other
    fixes): it keeps no state between calls.
    """

    applicability: Applicability
    message: str
    build: Callable[[], Edit]
    #: Other findings' nodes the same edit fixes (spawns that join the same new group).
    also: tuple[cst.CSTNode, ...] = ()


@dataclasses.dataclass(frozen=True)
class Withheld:
    """No fix is applied for this finding, and why."""

    reason: str


Outcome = Plan | Withheld
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


# Fields that hold only whitespace, brackets, commas and operators: no fixer asks
# for the parent of those, and skipping them halves the cost of the parent map.
_TOKEN_FIELDS = (
    "whitespace", "lpar", "rpar", "comma", "leading_lines", "lines_after", "semicolon", "header", "footer",
    "newline", "colon", "dot", "equal", "operator", "lbracket", "rbracket", "lbrace", "rbrace", "asynchronous",
)
_FIELDS: dict[type, tuple[str, ...]] = {}


def _structural_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    kind = type(node)
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(
            f.name for f in dataclasses.fields(node) if not any(word in f.name for word in _TOKEN_FIELDS)
        )
    out: list[cst.CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, (list, tuple)):
            out.extend(v for v in value if isinstance(v, cst.CSTNode))
        elif isinstance(value, cst.CSTNode):
            out.append(value)
    return out


class FixContext:
    """Everything a fixer reads: the tree, the analysis, the settings and all reports."""

    def __init__(
        self,
        module: cst.Module,
        analysis: AnalysisView,
        settings: Settings,
        target: tuple[int, int],
        reports: Mapping[cst.CSTNode, CstReport],
    ) -> None:
        self.module = module
        self.analysis = analysis
        self.settings = settings
        self.target = target
        #: Every selected, not-noqa'd finding of this file, by its node.
        self.reports = reports
        self._parents: Mapping[cst.CSTNode, cst.CSTNode] | None = None
        self._names: set[str] | None = None
        #: Names new code already takes, by the scope they were taken for (None: the module).
        self.taken: dict[cst.CSTNode | None, set[str]] = {}
        self._scopes: dict[cst.CSTNode, set[str]] = {}
        self._all_names: set[str] | None = None
        self._async_defs: dict[str, list[cst.FunctionDef]] | None = None
        #: The line length new code is fitted to: the project's, else PEP 8's.
        self.line_length = 79
        #: Whether the project sets one (then rewritten lines are wrapped to fit it).
        self.line_length_configured = False
        #: Whether the project puts a blank line between a section's `import` and `from` lines.
        self.blank_between_import_types = False
        self._quote: str | None = None
        self._memo: dict[str, object] = {}

    @property
    def parents(self) -> Mapping[cst.CSTNode, cst.CSTNode]:
        if self._parents is None:
            # LibCST's ParentNodeProvider goes through the visitor machinery and
            # costs most of a fix round; reading the dataclass fields is ~10x cheaper.
            parents: dict[cst.CSTNode, cst.CSTNode] = {}
            stack: list[cst.CSTNode] = [self.module]
            while stack:
                node = stack.pop()
                for child in _structural_children(node):
                    parents[child] = node
                    stack.append(child)
            self._parents = parents
        return self._parents

    def light(self, node: cst.CSTNode) -> Any:
        """The light tree's twin of ``node`` (the tree the analysis ran over), or None."""
        return self.analysis.twins.light_of(node)

    def parent(self, node: cst.CSTNode | None) -> cst.CSTNode | None:
        return self.parents.get(node) if node is not None else None

    def ancestors(self, node: cst.CSTNode, until: cst.CSTNode | None = None) -> Iterator[cst.CSTNode]:
        """The nodes above ``node``, innermost first, stopping before ``until``."""
        parent = self.parent(node)
        while parent is not None and parent is not until:
            yield parent
            parent = self.parent(parent)

    def fresh_name(self, base: str, scope: cst.CSTNode | None = None) -> str:
        """``base``, or ``base2``, ``base3``...: a name the new code can bind in ``scope``.

        It appears nowhere in ``scope`` (the function being rewritten, nested
        functions included; the whole module when None), is not a name the
        module binds or uses at its top level, and is not a builtin: so no
        reader can confuse the new name with an old one.
        """
        used = self._names_at_top() | self._taken_in(scope)
        if scope is None:
            used |= self._module_names()
        else:
            used |= self._scope_names(scope)
        candidate, n = base, 1
        separator = "_" if base[-1:].isdigit() else ""
        while candidate in used:
            n += 1
            candidate = f"{base}{separator}{n}"
        self.taken.setdefault(scope, set()).add(candidate)
        return candidate

    def _taken_in(self, scope: cst.CSTNode | None) -> set[str]:
        """The names new code takes in ``scope``: its own, the module's, and for the module all."""
        if scope is None:
            return set().union(*self.taken.values())
        return self.taken.get(scope, set()) | self.taken.get(None, set())

    def group_name(self, function: cst.FunctionDef, at: cst.CSTNode, region: Sequence[cst.CSTNode] = ()) -> str:
        """A name for a new task group opened at ``at``: ``tg`` again when every ``tg`` in
        the function is the group of an earlier, closed ``async with`` block (a closed group
        is never used again, so rebinding the name changes nothing), else a fresh one."""
        base = "tg"
        if base not in self._names_at_top() and base not in self._taken_in(function) and self._only_closed_groups(function, at, region, base):
            self.taken.setdefault(function, set()).add(base)
            return base
        return self.fresh_name(base, function)

    def _names_at_top(self) -> set[str]:
        if self._names is None:
            top = {n.value for n in iter_nodes(self.module, prune=_SCOPES) if isinstance(n, cst.Name)}
            self._names = top | set(dir(builtins))
        return self._names

    def _only_closed_groups(self, function: cst.FunctionDef, at: cst.CSTNode, region: Sequence[cst.CSTNode], name: str) -> bool:
        blocks = []
        for node in iter_nodes(function.body):
            if isinstance(node, cst.With) and node.asynchronous is not None:
                for item in node.items:
                    if (
                        item.asname is not None
                        and isinstance(item.asname.name, cst.Name)
                        and item.asname.name.value == name
                        and isinstance(item.item, cst.Call)
                        and self.analysis.group_factory(item.item) is not None
                    ):
                        blocks.append(node)
        inside = {id(n) for block in blocks for n in iter_nodes(block)}
        if id(at) in inside:
            return False  # the new block would be nested in a group of that name
        moved = {id(n) for statement in region for n in iter_nodes(statement)}
        if any(id(block) in moved for block in blocks):
            return False  # ... or would hold one
        return all(id(n) in inside for n in iter_nodes(function) if isinstance(n, cst.Name) and n.value == name)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A fact about the module computed once per context (``compute()`` the first time)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]  # stored by this key's compute

    @property
    def quote(self) -> str:
        """The quote the module writes most of its one-line strings with: ``"`` or ``'``."""
        if self._quote is None:
            single = double = 0
            for node in iter_nodes(self.module):
                if isinstance(node, cst.SimpleString) and not node.value.endswith(('"""', "\'\'\'")):
                    body = node.value.lstrip("rRbBuUfF")
                    single += body.startswith("'")
                    double += body.startswith('"')
            self._quote = "'" if single > double else '"'
        return self._quote

    def string(self, text: str) -> str:
        """``text`` (no quotes or backslashes in it) as a literal in the module's quote style."""
        return f"{self.quote}{text}{self.quote}"

    def call_lines(self, indent: str, head: str, args: str) -> str:
        """``head(args)`` at ``indent``: on one line if it fits the line length, else with the
        arguments on a line of their own, as black and ``ruff format`` write it."""
        nl = self.module.default_newline
        one = f"{indent}{head}({args})"
        if len(one) <= self.line_length:
            return one + nl
        return f"{indent}{head}({nl}{indent}{self.module.default_indent}{args}{nl}{indent}){nl}"

    def async_defs(self, name: str) -> list[cst.FunctionDef]:
        """Every ``async def name`` in the module, at any depth (indexed once per context)."""
        if self._async_defs is None:
            index: dict[str, list[cst.FunctionDef]] = {}
            for node in iter_nodes(self.module):
                if isinstance(node, cst.FunctionDef) and node.asynchronous is not None:
                    index.setdefault(node.name.value, []).append(node)
            self._async_defs = index
        return self._async_defs.get(name, [])

    def name_used(self, name: str) -> bool:
        """Whether ``name`` appears anywhere in the module."""
        return name in self._module_names()

    def _module_names(self) -> set[str]:
        if self._all_names is None:
            self._all_names = {n.value for n in iter_nodes(self.module) if isinstance(n, cst.Name)}
        return self._all_names

    def _scope_names(self, scope: cst.CSTNode) -> set[str]:
        if scope not in self._scopes:
            self._scopes[scope] = {n.value for n in iter_nodes(scope) if isinstance(n, cst.Name)}
        return self._scopes[scope]

    def source(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)
