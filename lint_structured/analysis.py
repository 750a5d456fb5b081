"""Shared, light name resolution for one module, computed in the rules' pass.

``ModuleAnalysis`` runs first in the engine's single batched pass and
answers the questions every task rule asks: what does this name refer to
(import aliases such as ``import asyncio as aio`` or ``from asyncio import
create_task as spawn``), is this expression an event loop, what scope is this.
The facts built on it have rooms of their own, filled in the same walk:
what project names are (``project.ProjectFacts``), which calls make coroutines
(``callees.Callees``), what starts tasks and the task-group blocks around them
(``tasks.TaskFacts``), what each scope has cancelled
(``cancellation.Cancellations``).

Why not LibCST's ``ScopeProvider``/``QualifiedNameProvider``: measured over a
200k-line slice of the standard library they cost about three parses, while
tracking the handful of names these rules care about costs next to nothing.
The resolution is deliberately narrow: it tracks imports,
parameters and assignments, per function, and answers "unknown" otherwise;
rules treat "unknown" as "not ours", so the result is silence, not a guess.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable

from lint_structured import coroutines as co
from lint_structured import nodes as cst
from lint_structured.project import ProjectFacts
from lint_structured.settings import Settings
from lint_structured.syntax import dotted_name, iter_nodes, module_level_statements
from lint_structured.walk import CachedVisitors

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
TASKFN = "taskfn"  # a module function that starts a task and returns it (``ProjectFacts.returns_task``)
COROFN = "corofn"  # a local `async def` (or one whose decorators keep it a coroutine function)
CLASS_PREFIX = "class:"  # a class defined in this module
INSTANCE_PREFIX = "instance:"  # an object whose class is known (see ProjectFacts.refs)
def _annotation_mentions_loop(annotation: cst.Annotation | None) -> bool:
    if annotation is None:
        return False
    for node in iter_nodes(annotation.annotation):
        if isinstance(node, cst.Name) and node.value in LOOP_ANNOTATIONS:
            return True
        if isinstance(node, cst.Attribute) and node.attr.value in LOOP_ANNOTATIONS:
            return True
        if isinstance(node, cst.SimpleString) and any(a in node.value for a in LOOP_ANNOTATIONS):
            return True
    return False


def spawn_method_of(library: str) -> str:
    """The method a task group of ``library`` starts a task with."""
    return "create_task" if library == "asyncio" else "start_soon"


@dataclasses.dataclass(eq=False)
class GroupBlock:
    """An ``async with`` block that owns a task group."""

    node: cst.With
    library: str  # "asyncio", "anyio" or "trio"
    name: str | None  # the ``as`` name, if any

    @property
    def spawn_method(self) -> str:
        return spawn_method_of(self.library)


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
    #: Whether the function's own code has a walrus (the flow analysis skips looking).
    has_walrus: bool = False
    #: Whether the function's own code yields: an async def that does is an async generator.
    yields: bool = False
    #: Whether a call known to return a coroutine stands anywhere inside (nested scopes included).
    makes_coroutines: bool = False
    #: Dotted names cancelled so far in source order: `t.cancel()` records "t",
    #: `for t in self._tasks: t.cancel()` records "t" and "self._tasks".
    cancelled: set[str] = dataclasses.field(default_factory=set)
    #: The `try` statements whose body encloses the node being visited.
    try_bodies: list[cst.Try | cst.TryStar] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(eq=False)
class SpawnInfo:
    """A call that starts a task whose handle the caller must keep."""

    call: cst.Call
    kind: str  # an ASYNCIO_SPAWNERS value, "loop.create_task", "extra" or "helper" (returns a task it starts)
    spawner: str  # the callee as written, e.g. "self._loop.create_task"
    group: GroupBlock | None  # the enclosing task group a loose spawn escapes
    awaited: bool  # ``await <spawn>(...)``: the caller waits for the task right away
    frame: Frame


class ModuleAnalysis(CachedVisitors):
    """Name resolution and spawn classification; runs first in the batched pass."""

    def __init__(
        self,
        module: cst.Module,
        settings: Settings,
        *,
        summary: co.ModuleSummary | None = None,
        index: co.ProjectIndex | None = None,
        source: Callable[[cst.CSTNode], str],
    ) -> None:
        """``summary`` (this module's outline) and ``index`` (its project) turn on
        coroutine resolution: ``coroutine_calls`` is filled in during the pass.
        ``source`` gives a node's code (``lighttree.Light.source``)."""
        super().__init__()
        self.module = module
        self._source = source
        self.settings = settings
        self.summary = summary
        self.index = index
        self.track_coroutines = summary is not None
        self.coroutine_calls: dict[cst.Call, str] = {}
        #: What names of the project (and of asyncio's API) are: classes, coroutine functions.
        self.project = ProjectFacts(settings, summary, index)
        self.frames: dict[cst.CSTNode, Frame] = {}
        self._stack: list[Frame] = []
        #: Local names imports bind to asyncio's spawners (`from asyncio import create_task as go`).
        self.spawner_aliases: set[str] = set()
        #: What starts tasks here, and the task-group blocks around them (run in the same walk).
        from lint_structured.tasks import TaskFacts  # it reads this analysis's scopes

        self.tasks = TaskFacts(self)
        #: Which calls make coroutines (asked in visit_Call, in scope).
        from lint_structured.callees import Callees  # it reads this analysis's scopes

        self.callees = Callees(self)
        module_frame = Frame(module, "module", None)
        self.frames[module] = module_frame
        self._stack.append(module_frame)
        if summary is not None:
            # Functions and classes defined anywhere at the top level, so that code
            # above a definition resolves it.
            for name, info in summary.functions.items():
                if self.project.is_coroutine_function(info, summary):
                    module_frame.names[name] = COROFN
                elif (info.hands_out_task or info.returns) and self.project.returns_task(info, summary):
                    module_frame.names[name] = TASKFN
                else:
                    module_frame.names[name] = OTHER
            for name in summary.classes:
                module_frame.names[name] = CLASS_PREFIX + name
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
        """Module-level imports and assignments, so functions defined above them resolve."""
        statements = module_level_statements(module)
        for small in statements:
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                self._record_import(small, frame)
        for small in statements:
            if isinstance(small, cst.Assign):
                self._record_assign(small.targets, small.value, frame)

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
        module = dotted_name(node.module) if node.module is not None else None
        if node.relative:
            package = co.package_of(self.summary.name, self.summary.is_package) if self.summary else ""
            base = co.resolve_relative(module, len(node.relative), package) if package else None
        else:
            base = module
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
            self.spawner_aliases.add(local)

    def _value_kind(self, value: cst.BaseExpression) -> str:
        if self.is_loop(value):
            return LOOP
        library = self.group_factory(value)
        if library:
            return GROUP_PREFIX + library
        if self.track_coroutines and isinstance(value, cst.Call):
            ref = self.callees.class_ref(value.func, lazy=True)
            if ref is None and isinstance(value.func, cst.Attribute):
                ref = self.callees.method_result(value.func, awaited=False)  # `conn = pool.acquire()`
            if ref is not None:
                return INSTANCE_PREFIX + ref
        if self.track_coroutines and isinstance(value, (cst.Name, cst.Attribute)) and self.callees.names_coroutine_function(value):
            return COROFN  # `handler = notify`: calling the alias makes the coroutine
        if self.track_coroutines and isinstance(value, cst.Await) and isinstance(value.expression, cst.Call):
            # `conn = await connect()`: what the coroutine function is annotated to return.
            if isinstance(value.expression.func, cst.Attribute):
                ref = self.callees.method_result(value.expression.func, awaited=True)  # `conn = await pool.acquire()`
                if ref is not None:
                    return INSTANCE_PREFIX + ref
            qualified = self.qualify(value.expression.func)
            if qualified is not None and qualified not in co.API_RESULTS:
                return INSTANCE_PREFIX + "awaited:" + qualified
        return OTHER

    def _record_assign(self, targets: Iterable[cst.AssignTarget], value: cst.BaseExpression, frame: Frame) -> None:
        kind = self._value_kind(value)
        for target in targets:
            if self.track_coroutines and isinstance(target.target, (cst.Tuple, cst.List)):
                # `reader, writer = await asyncio.open_connection(...)`
                made = self._api_results(value)
                if made and len(made) == len(target.target.elements):
                    for element, api in zip(target.target.elements, made):
                        self._bind_target(element.value, INSTANCE_PREFIX + self.project.api_ref(api), frame)
                    continue
            elif self.track_coroutines and isinstance(target.target, cst.Name):
                made = self._api_results(value)
                if made and len(made) == 1:
                    self._bind_target(target.target, INSTANCE_PREFIX + self.project.api_ref(made[0]), frame)
                    continue
            self._bind_target(target.target, kind, frame)

    def _api_results(self, value: cst.BaseExpression) -> tuple[str, ...] | None:
        if isinstance(value, cst.Await) and isinstance(value.expression, cst.Call):
            return co.API_RESULTS.get(self.qualify(value.expression.func) or "")
        return None

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

    def lookup(self, name: str) -> tuple[str, str] | None:
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
        return None if written is None else self.qualify_name(written)

    def qualify_name(self, written: str) -> str | None:
        """``qualify`` for a dotted name as written (``aio.sleep``)."""
        head, dot, rest = written.partition(".")
        found = self.lookup(head)
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
            found = self.lookup(expr.value)
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
        return self.tasks.spawner_kind(func)

    def spawn_info(self, call: cst.CSTNode) -> SpawnInfo | None:
        """The spawn recorded for ``call`` in this pass, if it is one."""
        return self.tasks.spawns.get(call) if isinstance(call, cst.Call) else None

    def source(self, node: cst.CSTNode) -> str:
        return self._source(node)

    # ------------------------------------------------------------ the visitor
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.frame.kind != "module":
            self.frame.names[node.name.value] = OTHER
        self._push(node, "class")

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.frame.kind == "function":
            # A nested `async def` called in its function: known by binding.
            preserving = all(self.callees.keeps_coroutine(d.decorator) for d in node.decorators)
            self.frame.names[node.name.value] = COROFN if node.asynchronous is not None and preserving else OTHER
        elif self.frame.kind == "class":
            self.frame.names[node.name.value] = OTHER
        elif node.name.value not in self.frame.names:
            self.frame.names[node.name.value] = OTHER
        frame = self._push(node, "function")
        frame.is_async = node.asynchronous is not None
        self._bind_params(node.params, frame)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        frame = self._stack.pop()
        parent = self.frame
        if frame.yields and parent.kind == "function" and parent.names.get(original_node.name.value) == COROFN:
            parent.names[original_node.name.value] = OTHER  # an async generator function

    def visit_Yield(self, node: cst.Yield) -> None:
        self.frame.yields = True

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
            kind = LOOP if is_loop else OTHER
            if not is_loop and self.track_coroutines and param.annotation is not None:
                ref = self.callees.class_ref(param.annotation.annotation, annotation=True)
                if ref is not None:
                    kind = INSTANCE_PREFIX + ref
            frame.names[param.name.value] = kind

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
        self.frame.has_walrus = True
        self._bind_target(node.target, self._value_kind(node.value), self.frame)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, OTHER, self.frame)

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
                key = self.callees.entered(item.item, node.asynchronous is not None) if self.track_coroutines else None
                self._bind_target(item.asname.name, OTHER if key is None else INSTANCE_PREFIX + key, frame)

    def visit_Call(self, node: cst.Call) -> None:
        if self.track_coroutines:
            callee = self.callees.callee(node)
            if callee is not None:
                self.coroutine_calls[node] = callee
                scope: Frame | None = self.frame
                while scope is not None and not scope.makes_coroutines:
                    scope.makes_coroutines = True
                    scope = scope.parent

