"""LSC101 / LSC102 fix, when the function owns the task: move the spawn into a new task group.

``owner.plan`` decides that the function should wait and calls this.

``asyncio.create_task(work())`` in an ``async def`` becomes
``tg.create_task(work())`` inside ``async with asyncio.TaskGroup() as tg:``,
a block opened at the spawn (at the outermost loop around it, so that the
iterations still run concurrently) and closed at the end of its block. Other
runaway spawns of that stretch join the same group. Unsafe: the function now
waits for the task, and the task's failure now reaches the caller.
"""

from __future__ import annotations

import re
from typing import Sequence

import libcst as cst

from lint_structured.analysis import spawn_method_of
from lint_structured.fixers.base import CstReport, Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.builders import (
    Block,
    TaskGroupBuilder,
    block_of,
    detach_leading_lines,
    enclosing_function,
    enclosing_statement,
    nodes_in_order,
    outermost_loop,
    own_nodes,
    reraise_first,
    rewrite,
    unwraps_groups,
    spawn_through,
    with_block,
)
from lint_structured.fixers.twins import CstSpawn
from lint_structured.model import Applicability
from lint_structured.syntax import is_forever_test

_RUNAWAYS = ("LSC101", "LSC102")


def plan(ctx: FixContext, report: CstReport, stop_before: frozenset[str] = frozenset()) -> Outcome:
    """The task group fix; the block ends before the first later statement of the
    spawn's block that reads one of ``stop_before`` (what the task fills), else at
    the end of the block."""
    analysis = ctx.analysis
    info = analysis.spawn_info(report.node)
    if info is None:
        return Withheld("the task is started by a callback; spawn it from an `async def` in a TaskGroup by hand")
    function = enclosing_function(ctx, info.call)
    if function is None or function.asynchronous is None:
        return Withheld("outside an `async def` there is no block a task group could wait in")
    if any(isinstance(p, cst.Lambda) for p in ctx.ancestors(info.call, until=function)):
        return Withheld("the spawn is inside a lambda")
    frame = analysis.frame_for(function)
    if frame is not None and frame.yields:
        return Withheld("an async generator: a task group must not stay open across a `yield`")
    statement = enclosing_statement(ctx, info.call)
    if isinstance(statement, Withheld):
        return statement
    builder = TaskGroupBuilder(ctx, frame)
    if builder.withheld is not None:
        return builder.withheld
    anchor = outermost_loop(ctx, statement, function) or statement
    block, index = block_of(ctx, anchor)
    end = len(block.body)
    if stop_before:
        end = next(
            (i for i in range(index + 1, len(block.body)) if any(isinstance(n, cst.Name) and n.value in stop_before for n in own_nodes(block.body[i]))),
            end,
        )
    region = list(block.body[index:end])

    joining = _joining(ctx, info, region, builder)
    if isinstance(joining, Withheld):
        return joining
    late = used_after(function, region, holders(ctx, [info, *joining]))
    if late:
        return Withheld(
            f"`{late}` holds the task and is used after the end of the block; "
            "the new task group would already have waited for the task there"
        )

    group = "asyncio.TaskGroup()" if ctx.settings.fix_backend == "asyncio" else (
        "taskgroup.TaskGroup()" if ctx.settings.fix_backend == "taskgroup" else "anyio.create_task_group()"
    )
    method = spawn_method_of(builder.library)
    where = "the loop" if anchor is not statement else "the spawn"
    until = "to the end of its block" if end == len(block.body) else f"until `{', '.join(sorted(stop_before))}` is read"
    message = (
        f"spawn with `tg.{method}` in a new `async with {group}` block from {where} {until}"
        f" (the function then waits for the task"
        + ("; a failure is re-raised as itself)" if unwraps_groups(ctx) else ")")
    )

    def build() -> Edit:
        return _build(ctx, builder, function, anchor, block, index, end, region, joining)

    return Plan(Applicability.UNSAFE, message, build, also=tuple(o.call for o in joining if o.call is not info.call))


def _joining(ctx: FixContext, info: CstSpawn, region: list[cst.BaseStatement], builder: TaskGroupBuilder) -> list[CstSpawn] | Withheld:
    """The spawns of ``region`` that join the new group: every loose spawn of the stretch
    ends up inside it, so the runaway ones join; one whose handle is kept would silently
    change owner, and is why the fix is withheld."""
    joining: list[CstSpawn] = []
    for stmt in region:
        for node in own_nodes(stmt):
            if not isinstance(node, cst.Call):
                continue
            other = ctx.analysis.spawn_info(node)
            if other is None or other.frame is not info.frame:
                continue
            if other.group is not None or other.awaited or other.kind in ("extra", "helper"):
                continue
            if other.kind == "asyncio.run_coroutine_threadsafe":
                continue
            found = ctx.reports.get(node)
            if found is None or found.code not in _RUNAWAYS:
                return Withheld(
                    f"the block also starts `{ctx.source(node.func)}(...)` and keeps it; "
                    "it would join the new task group, so move the spawns by hand"
                )
            if node is not info.call and background_coroutine(ctx, node):
                return Withheld(f"the block also starts a worker: {background_coroutine(ctx, node)}")
            if builder.library != "asyncio" and not isinstance(ctx.parent(node), cst.Expr):
                return Withheld(f"{builder.library}'s `start_soon` returns no task, and this spawn's task is used")
            converted = spawn_through(other, "tg", builder.library, ctx)
            if isinstance(converted, Withheld):
                return converted
            joining.append(other)
    return joining


def _build(
    ctx: FixContext,
    builder: TaskGroupBuilder,
    function: cst.FunctionDef,
    anchor: cst.CSTNode,
    block: Block,
    index: int,
    end: int,
    region: list[cst.BaseStatement],
    joining: list[CstSpawn],
) -> Edit:
    """``region`` (``block.body[index:end]``) inside a new group block, its spawns made in the group."""
    tg = ctx.group_name(function, anchor, region)
    factory, imports = builder.factory()
    spawns: dict[cst.CSTNode, cst.CSTNode] = {}
    for other in joining:
        converted = spawn_through(other, tg, builder.library, ctx)
        assert not isinstance(converted, Withheld)  # each was tried when planning
        spawns[other.call] = converted
    statements: list[cst.BaseStatement] = []
    for original in region:
        rewritten = rewrite(original, spawns)
        assert isinstance(rewritten, cst.BaseStatement)  # a statement stays one
        statements.append(rewritten)
    statements[0], lead = detach_leading_lines(statements[0])
    wrapped: cst.BaseStatement = with_block(factory, tg, statements, leading_lines=lead)
    if unwraps_groups(ctx):
        assert isinstance(wrapped, cst.With)
        wrapped = reraise_first(ctx, wrapped, function)
    return Edit({block: block.with_changes(body=[*block.body[:index], wrapped, *block.body[end:]])}, imports)


_ON_PURPOSE = re.compile(r"noqa|reference", re.IGNORECASE)


def kept_on_purpose(statement: cst.CSTNode) -> bool:
    """A comment on or just above the statement that says the unused handle is deliberate."""
    comments = [line.comment.value for line in getattr(statement, "leading_lines", ()) if line.comment is not None]
    trailing = getattr(statement, "trailing_whitespace", None)
    if trailing is not None and trailing.comment is not None:
        comments.append(trailing.comment.value)
    return any(_ON_PURPOSE.search(c) for c in comments)


def holders(ctx: FixContext, spawns: Sequence[CstSpawn]) -> set[str]:
    """Local names that hold the spawned tasks: ``t = spawn``, ``tasks.append(spawn)``, ``d[k] = spawn``."""
    names: set[str] = set()
    for spawn in spawns:
        for parent in ctx.ancestors(spawn.call):
            if isinstance(parent, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                break
            targets: list[cst.BaseExpression] = []
            if isinstance(parent, cst.Assign):
                targets = [t.target for t in parent.targets]
            elif isinstance(parent, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
                targets = [parent.target]
            elif isinstance(parent, cst.Call) and isinstance(parent.func, cst.Attribute):
                targets = [parent.func.value]
            for target in targets:
                while isinstance(target, cst.Subscript):
                    target = target.value
                if isinstance(target, cst.Name):
                    names.add(target.value)
                elif isinstance(target, (cst.Tuple, cst.List)):
                    names.update(e.value.value for e in target.elements if isinstance(e.value, cst.Name))
    return names


def used_after(function: cst.FunctionDef, region: Sequence[cst.CSTNode], names: set[str]) -> str | None:
    """One of ``names`` read in ``function`` after the statements of ``region`` (source order)."""
    if not names:
        return None
    end = list(nodes_in_order(region[-1]))[-1]
    after = False
    for node in nodes_in_order(function.body):
        if after and isinstance(node, cst.Name) and node.value in names:
            return node.value
        if node is end:
            after = True
    return None


def background_coroutine(ctx: FixContext, spawn: cst.Call) -> str | None:
    """Why the spawned coroutine looks like work meant to outlive its caller, if it does.

    Three shapes, for a coroutine function defined in this module: it loops
    ``while True`` with no way out but an exception or cancellation (a task
    group would wait for it forever); it waits for an event or future it is
    given (``await ready.wait()``), which its caller may set only later (a
    group would wait for it forever); or it starts by sleeping for a delay
    it was given and then acts (a delayed action: a task group would make the
    caller wait out the delay).
    """
    found = _callee(ctx, spawn)
    if found is None:
        return None
    func, definitions = found
    if definitions and all(_loops_forever(d) for d in definitions):
        return f"`{ctx.source(func)}` looks like it runs until cancelled; a task group here would wait for it forever"
    if definitions and all(_waits_for_a_signal(d) for d in definitions):
        return (
            f"`{ctx.source(func)}` waits for an event or future it is given, which may be set only after "
            "the caller goes on: a task group here could wait for it forever"
        )
    if definitions and all(_sleeps_first(d) for d in definitions):
        return (
            f"`{ctx.source(func)}` starts by sleeping for a given delay: a delayed action meant to run in the background, "
            "and a task group would make the caller wait out the delay (keep a reference to the task instead)"
        )
    return None


def _callee(ctx: FixContext, spawn: cst.Call) -> tuple[cst.BaseExpression, list[cst.FunctionDef]] | None:
    """The spawned coroutine's function and the ``async def``s of this module it can be."""
    args = [a.value for a in spawn.args if a.keyword is None]
    coro = args[0] if args else None
    if not isinstance(coro, cst.Call):
        return None
    func = coro.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
    if name is None:
        return None
    return func, _definitions(ctx, spawn, func, name)


def runs_forever(ctx: FixContext, spawn: cst.Call) -> bool:
    """Whether the spawned coroutine (defined in this module) loops ``while True`` with no way out."""
    found = _callee(ctx, spawn)
    return found is not None and bool(found[1]) and all(_loops_forever(d) for d in found[1])


def _waits_for_a_signal(function: cst.FunctionDef) -> bool:
    """``await event.wait()`` (or ``await fut``) on a parameter: whoever gave it sets it, maybe later."""
    params = {p.name.value for p in [*function.params.params, *function.params.kwonly_params, *function.params.posonly_params]}
    for node in own_nodes(function.body):
        if not isinstance(node, cst.Await):
            continue
        awaited = node.expression
        if isinstance(awaited, cst.Name) and awaited.value in params:
            return True
        if (
            isinstance(awaited, cst.Call)
            and isinstance(awaited.func, cst.Attribute)
            and awaited.func.attr.value == "wait"
            and isinstance(awaited.func.value, cst.Name)
            and awaited.func.value.value in params
        ):
            return True
    return False


def _sleeps_first(function: cst.FunctionDef) -> bool:
    """``await ...sleep(...)`` as the first statement, and then something to do."""
    body = list(function.body.body)
    for index, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, cst.Expr) and isinstance(s.value, cst.SimpleString) for s in statement.body
        ):
            continue  # a docstring
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        value = small.value if isinstance(small, cst.Expr) else None
        if isinstance(value, cst.Await) and isinstance(value.expression, cst.Call):
            callee = value.expression.func
            name = callee.attr.value if isinstance(callee, cst.Attribute) else callee.value if isinstance(callee, cst.Name) else ""
            rest = body[index + 1 :]
            acts = [r for r in rest if not (isinstance(r, cst.SimpleStatementLine) and all(isinstance(x, (cst.Return, cst.Pass)) for x in r.body))]
            args = value.expression.args
            # A delay the caller chose (`sleep(delay)`), not a stand-in for I/O (`sleep(0.1)`).
            # The delay is the caller's (`sleep(delay)`, a parameter passed straight
            # through), not a stand-in for I/O (`sleep(0.1)`, `sleep(0.01 * n)`).
            params = {p.name.value for p in [*function.params.params, *function.params.kwonly_params, *function.params.posonly_params]}
            chosen = bool(args) and isinstance(args[0].value, cst.Name) and args[0].value.value in params
            return name == "sleep" and chosen and bool(acts)
        return False
    return False


def _definitions(ctx: FixContext, spawn: cst.Call, func: cst.BaseExpression, name: str) -> list[cst.FunctionDef]:
    """The ``async def``s the callee can be: the nearest enclosing scope that defines ``name``
    (a nested function, the class of ``self.name``), else every one in the module."""

    def defined_in(function: cst.FunctionDef) -> list[cst.FunctionDef]:
        # own_nodes yields the functions defined in `function` without entering them.
        return [
            n
            for n in own_nodes(function)
            if isinstance(n, cst.FunctionDef) and n is not function and n.name.value == name and n.asynchronous is not None
        ]

    self_call = isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls")
    for scope in ctx.ancestors(spawn):
        if isinstance(scope, cst.FunctionDef) and isinstance(func, cst.Name):
            found = defined_in(scope)
            if found:
                return found
        if isinstance(scope, cst.ClassDef) and self_call:
            return [
                s
                for s in scope.body.body
                if isinstance(s, cst.FunctionDef) and s.name.value == name and s.asynchronous is not None
            ]
    return list(ctx.async_defs(name))


def _loops_forever(function: cst.FunctionDef) -> bool:
    for node in own_nodes(function.body):
        if isinstance(node, cst.While) and is_forever_test(node.test):
            exits = [
                n
                for n in own_nodes(node.body)
                if isinstance(n, (cst.Return, cst.Break))
            ]
            if not exits:
                return True
    return False


