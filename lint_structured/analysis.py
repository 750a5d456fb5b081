"""Shared, light name resolution for one module, computed in the rules' pass.

``ModuleAnalysis`` runs first in the engine's single batched LibCST pass and
answers the questions every task rule asks: what does this name refer to
(import aliases such as ``import asyncio as aio`` or ``from asyncio import
create_task as spawn``), is this expression an event loop, is this call a
task spawner, and which ``async with`` task-group block encloses it.

Why not LibCST's ``ScopeProvider``/``QualifiedNameProvider``: measured over a
200k-line slice of the standard library they cost about three parses, while
tracking the handful of names these rules care about costs next to nothing
(see issue 7). The resolution is deliberately narrow: it tracks imports,
parameters and assignments, per function, and answers "unknown" otherwise;
rules treat "unknown" as "not ours", so the result is silence, not a guess.
"""

from __future__ import annotations

import collections
import dataclasses
import fnmatch
from typing import Iterable, Sequence

import libcst as cst

from lint_structured.settings import Settings

#: Qualified names of asyncio's task spawners and the kind each is reported as.
ASYNCIO_SPAWNERS = {
    "asyncio.create_task": "asyncio.create_task",
    "asyncio.tasks.create_task": "asyncio.create_task",
    "asyncio.ensure_future": "asyncio.ensure_future",
    "asyncio.tasks.ensure_future": "asyncio.ensure_future",
    "asyncio.run_coroutine_threadsafe": "asyncio.run_coroutine_threadsafe",
    "asyncio.tasks.run_coroutine_threadsafe": "asyncio.run_coroutine_threadsafe",
}
#: Spawners whose task no structured owner supervises (LSC103's "loose" spawners).
LOOSE_KINDS = frozenset({"asyncio.create_task", "asyncio.ensure_future", "loop.create_task"})
LOOP_GETTERS = frozenset(
    {
        "asyncio.get_running_loop",
        "asyncio.get_event_loop",
        "asyncio.new_event_loop",
        "asyncio.events.get_running_loop",
        "asyncio.events.get_event_loop",
        "asyncio.events.new_event_loop",
    }
)
#: Task-group factories and the library each belongs to.
GROUP_FACTORIES = {
    "asyncio.TaskGroup": "asyncio",
    "asyncio.taskgroups.TaskGroup": "asyncio",
    "taskgroup.TaskGroup": "asyncio",
    "anyio.create_task_group": "anyio",
    "trio.open_nursery": "trio",
}
#: Attribute names that hold an event loop by convention (``self._loop``, ``bot.loop``).
LOOP_ATTRIBUTES = frozenset({"loop", "_loop", "event_loop", "_event_loop"})
#: Parameter names that hold an event loop by convention.
LOOP_PARAMETERS = frozenset({"loop", "_loop", "event_loop"})
LOOP_ANNOTATIONS = ("AbstractEventLoop", "BaseEventLoop")
_SPAWNER_ATTRS = frozenset({"create_task", "ensure_future", "run_coroutine_threadsafe"})
_STAR_MODULES = {
    "asyncio": (
        "create_task", "ensure_future", "run_coroutine_threadsafe", "get_running_loop", "get_event_loop",
        "new_event_loop", "TaskGroup", "gather", "wait", "wait_for", "CancelledError", "FIRST_COMPLETED",
        "FIRST_EXCEPTION", "ALL_COMPLETED", "current_task", "timeout",
    ),
    "contextlib": ("suppress",),
}

# What a local name is bound to, as far as the rules care.
LOOP = "loop"
OTHER = "other"
GROUP_PREFIX = "group:"


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
            stack.extend(current.children)
    return found


def _annotation_mentions_loop(annotation: cst.Annotation | None) -> bool:
    if annotation is None:
        return False
    stack: list[cst.CSTNode] = [annotation.annotation]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name) and node.value in LOOP_ANNOTATIONS:
            return True
        if isinstance(node, cst.Attribute) and node.attr.value in LOOP_ANNOTATIONS:
            return True
        if isinstance(node, cst.SimpleString) and any(a in node.value for a in LOOP_ANNOTATIONS):
            return True
        stack.extend(node.children)
    return False


@dataclasses.dataclass(eq=False)
class GroupBlock:
    """An ``async with`` block that owns a task group."""

    node: cst.With
    library: str  # "asyncio", "anyio" or "trio"
    name: str | None  # the ``as`` name, if any

    @property
    def spawn_method(self) -> str:
        return "create_task" if self.library == "asyncio" else "start_soon"


@dataclasses.dataclass(eq=False)
class Frame:
    """A scope: the module, a class body, a function or a lambda."""

    node: cst.CSTNode
    kind: str  # "module", "class" or "function"
    parent: "Frame | None"
    imports: dict[str, str] = dataclasses.field(default_factory=dict)
    names: dict[str, str] = dataclasses.field(default_factory=dict)
    groups: list[GroupBlock] = dataclasses.field(default_factory=list)
    spawns: list["SpawnInfo"] = dataclasses.field(default_factory=list)
    #: Depth of `with self.assertRaises(...)` / `with pytest.raises(...)` blocks.
    expect_raise: int = 0
    is_async: bool = False
    #: Dotted names cancelled so far in source order: `t.cancel()` records "t",
    #: `for t in self._tasks: t.cancel()` records "t" and "self._tasks".
    cancelled: set[str] = dataclasses.field(default_factory=set)
    #: The `try` statements whose body encloses the node being visited.
    try_bodies: list[cst.CSTNode] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(eq=False)
class SpawnInfo:
    """A call that starts a task whose handle the caller must keep."""

    call: cst.Call
    kind: str  # an ASYNCIO_SPAWNERS value, "loop.create_task" or "extra"
    spawner: str  # the callee as written, e.g. "self._loop.create_task"
    group: GroupBlock | None  # the enclosing task group a loose spawn escapes
    awaited: bool  # ``await <spawn>(...)``: the caller waits for the task right away
    frame: Frame


class ModuleAnalysis(cst.BatchableCSTVisitor):
    """Name resolution and spawn classification; runs first in the batched pass."""

    def __init__(self, module: cst.Module, settings: Settings) -> None:
        super().__init__()
        self.module = module
        self.settings = settings
        self.frames: dict[cst.CSTNode, Frame] = {}
        self.spawns: dict[cst.Call, SpawnInfo] = {}
        self._awaited: set[cst.CSTNode] = set()
        self._stack: list[Frame] = []
        self._group_pushes: dict[cst.With, int] = {}
        self._raise_blocks: set[cst.With] = set()
        # Last name parts a spawning callee can have: a cheap test before resolving it.
        self._spawner_tails = set(_SPAWNER_ATTRS)
        self._tail_globs: list[str] = []
        for entry in settings.extra_spawners:
            tail = entry.rsplit(".", 1)[-1]
            if _is_glob(tail):
                self._tail_globs.append(tail)
            else:
                self._spawner_tails.add(tail)
        self._alias_names: set[str] = set()
        module_frame = Frame(module, "module", None)
        self.frames[module] = module_frame
        self._stack.append(module_frame)
        self._prescan_module(module, module_frame)

    # ------------------------------------------------------------------ scopes
    @property
    def frame(self) -> Frame:
        return self._stack[-1]

    def frame_for(self, node: cst.CSTNode) -> Frame | None:
        return self.frames.get(node)

    def _push(self, node: cst.CSTNode, kind: str) -> Frame:
        frame = Frame(node, kind, self.frame)
        self.frames[node] = frame
        self._stack.append(frame)
        return frame

    def _prescan_module(self, module: cst.Module, frame: Frame) -> None:
        """Module-level imports and loop bindings, so functions defined above them resolve."""
        pending = collections.deque(module.body)
        statements = []
        while pending:
            stmt = pending.popleft()
            if isinstance(stmt, cst.SimpleStatementLine):
                statements.extend(stmt.body)
            elif isinstance(stmt, (cst.If, cst.Try, cst.TryStar, cst.With)):
                # Imports guarded by `if sys.version_info`, `try: ... except ImportError`.
                for child in stmt.children:
                    if isinstance(child, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.If)):
                        pending.extend(self._block_statements(child))
        for small in statements:
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                self._record_import(small, frame)
        for small in statements:
            if isinstance(small, cst.Assign):
                self._record_assign(small.targets, small.value, frame)

    @staticmethod
    def _block_statements(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
        if isinstance(node, cst.If):
            return [node]
        body = getattr(node, "body", None)
        if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            return body.body
        if isinstance(body, Sequence):
            return body
        return []

    # ---------------------------------------------------------------- bindings
    def _record_import(self, node: cst.Import | cst.ImportFrom, frame: Frame) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted_name(alias.name)
                if full is None:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    frame.imports[alias.asname.name.value] = full
                else:
                    top = full.split(".", 1)[0]
                    frame.imports[top] = top
            return
        if node.relative or node.module is None:
            base = None
        else:
            base = dotted_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            for name in _STAR_MODULES.get(base or "", ()):
                frame.imports.setdefault(name, f"{base}.{name}")
                self._note_alias(name, f"{base}.{name}")
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            if base is None:
                frame.names[local] = OTHER
                continue
            qualified = f"{base}.{alias.name.value}"
            frame.imports[local] = qualified
            self._note_alias(local, qualified)

    def _note_alias(self, local: str, qualified: str) -> None:
        if qualified in ASYNCIO_SPAWNERS:
            self._alias_names.add(local)

    def _value_kind(self, value: cst.BaseExpression) -> str:
        if self.is_loop(value):
            return LOOP
        library = self.group_factory(value)
        return GROUP_PREFIX + library if library else OTHER

    def _record_assign(self, targets: Iterable[cst.AssignTarget], value: cst.BaseExpression, frame: Frame) -> None:
        kind = self._value_kind(value)
        for target in targets:
            self._bind_target(target.target, kind, frame)

    def _bind_target(self, target: cst.BaseExpression, kind: str, frame: Frame) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if kind == OTHER and (name in frame.imports or frame.names.get(name, OTHER) != OTHER):
                # Keep what matters: a fallback `create_task = None` beside the import,
                # and a name ever bound to a loop (`loop = loop or get_event_loop()`).
                return
            frame.names[name] = kind
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, OTHER, frame)

    def _lookup(self, name: str) -> tuple[str, str] | None:
        """("import", qualified) or ("local", kind) for the nearest binding of ``name``."""
        frame: Frame | None = self.frame
        first = True
        while frame is not None:
            if frame.kind != "class" or first:
                if name in frame.names:
                    return ("local", frame.names[name])
                if name in frame.imports:
                    return ("import", frame.imports[name])
            first = False
            frame = frame.parent
        return None

    # --------------------------------------------------------------- questions
    def qualify(self, expr: cst.BaseExpression) -> str | None:
        """The qualified name an expression refers to through imports, or None."""
        written = dotted_name(expr)
        if written is None:
            return None
        head, dot, rest = written.partition(".")
        found = self._lookup(head)
        if found is None or found[0] != "import":
            return None
        return found[1] + dot + rest

    def is_loop(self, expr: cst.BaseExpression) -> bool:
        """Whether ``expr`` evaluates to an asyncio event loop, by the conventions above."""
        if isinstance(expr, cst.Call):
            return self.qualify(expr.func) in LOOP_GETTERS
        if isinstance(expr, cst.Attribute):
            return expr.attr.value in LOOP_ATTRIBUTES and dotted_name(expr) is not None
        if isinstance(expr, cst.Name):
            found = self._lookup(expr.value)
            return found == ("local", LOOP)
        if isinstance(expr, cst.BooleanOperation):
            return self.is_loop(expr.left) or self.is_loop(expr.right)
        if isinstance(expr, cst.IfExp):
            return self.is_loop(expr.body) or self.is_loop(expr.orelse)
        return False

    def group_factory(self, expr: cst.BaseExpression) -> str | None:
        """The library of a task-group factory call such as ``asyncio.TaskGroup()``."""
        if isinstance(expr, cst.Call):
            return GROUP_FACTORIES.get(self.qualify(expr.func) or "")
        return None

    def spawner_kind(self, func: cst.BaseExpression) -> str | None:
        """What kind of spawner ``func`` (a callee, called or passed as a callback) is."""
        if isinstance(func, cst.Attribute):
            tail = func.attr.value
        elif isinstance(func, cst.Name):
            tail = func.value
        else:
            return None
        if tail not in self._spawner_tails and tail not in self._alias_names:
            if not any(fnmatch.fnmatchcase(tail, glob) for glob in self._tail_globs):
                return None
        qualified = self.qualify(func)
        written = dotted_name(func)
        names = [n for n in (qualified, written) if n]
        if self.settings.owning_spawners and _matches_any(names, self.settings.owning_spawners):
            return None
        if qualified in ASYNCIO_SPAWNERS:
            return ASYNCIO_SPAWNERS[qualified]
        if isinstance(func, cst.Attribute) and func.attr.value == "create_task" and self.is_loop(func.value):
            return "loop.create_task"
        if self.settings.extra_spawners and _matches_any(names, self.settings.extra_spawners):
            return "extra"
        return None

    def spawn_info(self, call: cst.CSTNode) -> SpawnInfo | None:
        """The spawn recorded for ``call`` in this pass, if it is one."""
        return self.spawns.get(call)  # type: ignore[arg-type]

    def source(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    # ------------------------------------------------------------ the visitor
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.frame.names[node.name.value] = OTHER
        self._push(node, "class")

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.frame.names[node.name.value] = OTHER
        frame = self._push(node, "function")
        frame.is_async = node.asynchronous is not None
        self._bind_params(node.params, frame)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        frame = self._push(node, "function")
        self._bind_params(node.params, frame)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._stack.pop()

    def _bind_params(self, params: cst.Parameters, frame: Frame) -> None:
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                every.append(star)
        for param in every:
            is_loop = param.name.value in LOOP_PARAMETERS or _annotation_mentions_loop(param.annotation)
            frame.names[param.name.value] = LOOP if is_loop else OTHER

    def visit_Import(self, node: cst.Import) -> None:
        if self.frame.kind != "module":
            self._record_import(node, self.frame)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self.frame.kind != "module":
            self._record_import(node, self.frame)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.frame.kind != "module":
            self._record_assign(node.targets, node.value, self.frame)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            kind = LOOP if _annotation_mentions_loop(node.annotation) else self._value_kind(node.value)
            self._bind_target(node.target, kind, self.frame)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, self._value_kind(node.value), self.frame)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, OTHER, self.frame)

    def leave_For(self, original_node: cst.For) -> None:
        # `for t in tasks: t.cancel()` cancels `tasks`.
        target = original_node.target
        if isinstance(target, cst.Name) and target.value in self.frame.cancelled:
            collection = iterated_collection(original_node.iter)
            if collection is not None:
                self.frame.cancelled.add(collection)

    def visit_Try_body(self, node: cst.Try) -> None:
        self.frame.try_bodies.append(node)

    def leave_Try_body(self, node: cst.Try) -> None:
        self.frame.try_bodies.pop()

    def visit_TryStar_body(self, node: cst.TryStar) -> None:
        self.frame.try_bodies.append(node)

    def leave_TryStar_body(self, node: cst.TryStar) -> None:
        self.frame.try_bodies.pop()

    def visit_With(self, node: cst.With) -> None:
        frame = self.frame
        for item in node.items:
            if item.asname is not None:
                self._bind_target(item.asname.name, OTHER, frame)
        if any(self._expects_raise(item.item) for item in node.items):
            frame.expect_raise += 1
            self._raise_blocks.add(node)
        if node.asynchronous is None:
            return
        pushed = 0
        for item in node.items:
            library = self.group_factory(item.item)
            if library is None and isinstance(item.item, cst.Name):
                # `tg = asyncio.TaskGroup()` earlier, then `async with tg:`.
                found = self._lookup(item.item.value)
                if found and found[0] == "local" and found[1].startswith(GROUP_PREFIX):
                    library = found[1][len(GROUP_PREFIX):]
            if library is None:
                continue
            name = None
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                name = item.asname.name.value
            elif isinstance(item.item, cst.Name):
                name = item.item.value
            frame.groups.append(GroupBlock(node, library, name))
            pushed += 1
        if pushed:
            self._group_pushes[node] = pushed

    def leave_With(self, original_node: cst.With) -> None:
        for _ in range(self._group_pushes.pop(original_node, 0)):
            self.frame.groups.pop()
        if original_node in self._raise_blocks:
            self.frame.expect_raise -= 1

    def _expects_raise(self, expr: cst.BaseExpression) -> bool:
        """``self.assertRaises(E)``, ``assertRaisesRegex``, ``pytest.raises(E)``: the body should raise."""
        if not isinstance(expr, cst.Call):
            return False
        written = dotted_name(expr.func) or ""
        tail = written.rsplit(".", 1)[-1]
        if tail in ("assertRaises", "assertRaisesRegex"):
            return True
        return tail == "raises" and "pytest.raises" in (written, self.qualify(expr.func))

    def visit_Await(self, node: cst.Await) -> None:
        self._awaited.add(node.expression)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "cancel":
            receiver = dotted_name(func.value)
            if receiver is not None:
                self.frame.cancelled.add(receiver)
        kind = self.spawner_kind(func)
        if kind is None:
            return
        frame = self.frame
        if frame.expect_raise:
            return  # a test asserting that the spawn raises: no task is created
        group = frame.groups[-1] if kind in LOOSE_KINDS and frame.groups else None
        info = SpawnInfo(node, kind, self.source(node.func), group, node in self._awaited, frame)
        self.spawns[node] = info
        frame.spawns.append(info)


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _matches_any(names: Sequence[str], patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for name in names for pattern in patterns)
