"""LSC203 fix: cancel what ``asyncio.wait`` left pending, and wait for the cancellations.

After ``done, pending = await asyncio.wait(...)`` it inserts::

    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)

A discarded result (``await asyncio.wait(...)``) or a pending set bound to
``_`` is given a name first. Withheld when the pending set is used anywhere
else in the function: then the tasks may be wanted later, and where to
cancel them is a decision for the author. Unsafe: work that was left running
is now cancelled.

When nothing ever looks at the finished tasks either (the done set is
discarded or never read, and the tasks were made in the call or are held
only by local names not read after the wait), their exceptions would be
lost; the fix then also logs them, as the LSC202 fix does::

    for task in done:
        if not task.cancelled() and task.exception() is not None:
            logger.error("Waited task failed", exc_info=task.exception())
"""

from __future__ import annotations

import dataclasses

import libcst as cst

from lint_structured.fixers.base import CstReport, Edit, FixContext, Outcome, Plan, Withheld, iter_nodes
from lint_structured.fixers.builders import (
    Block,
    TaskGroupBuilder,
    awaited_statement,
    block_of,
    nodes_in_order,
    outermost_loop,
    own_nodes,
)
from lint_structured.fixers.keep_reference import module_logger
from lint_structured.model import Applicability
from lint_structured.rules.gather_wait import leaves_pending
from lint_structured.syntax import is_forever_test


@dataclasses.dataclass
class _Wait:
    """An awaited ``asyncio.wait`` the fix can follow with a cancel of what it left."""

    ctx: FixContext
    function: cst.FunctionDef
    statement: cst.BaseStatement
    awaited: cst.Await
    small: cst.BaseSmallStatement | None
    #: ``done, pending`` when the result is unpacked, else None (the result is discarded).
    target: cst.Tuple | cst.List | None
    pending: str | None
    done_node: cst.BaseExpression | None
    builder: TaskGroupBuilder
    block: Block
    index: int
    #: Where the cancel goes: after the last statement that still reads ``pending``.
    insert_at: int
    #: Whether the exceptions of the finished tasks would be lost: then they are logged.
    log_done: bool
    #: Whether the wait can leave tasks pending (FIRST_*, a timeout): then they are cancelled.
    cancel: bool = True


def plan(ctx: FixContext, report: CstReport) -> Outcome:
    call = report.node
    if not isinstance(call, cst.Call):
        return Withheld("the reported code is not a call")
    site = awaited_statement(ctx, call, "wait")
    if isinstance(site, Withheld):
        return site
    awaited, function, statement = site
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    unpacked = _unpacked(small, awaited)
    if isinstance(unpacked, Withheld):
        return unpacked
    target, pending_node, pending = unpacked
    reused = _used_again(ctx, awaited.expression, statement, function)
    if reused is not None:
        reason, next_turn = reused
        loop = outermost_loop(ctx, statement, function)
        if next_turn and loop is not None and pending not in (None, "_"):
            assert pending is not None
            return _cancel_after_loop(ctx, loop, statement, pending, function) or Withheld(reason)
        return Withheld(reason)
    block, index = block_of(ctx, statement)
    insert_at = index + 1
    if pending is not None and pending != "_":
        uses = [
            n
            for n in own_nodes(function.body)
            if isinstance(n, cst.Name) and n.value == pending and n is not pending_node and not _written(ctx, n)
        ]
        last = _last_reading_statement(ctx, uses, block, index)
        if last is None:
            return Withheld(f"`{pending}` is used elsewhere in the function; cancel what remains where it is no longer needed")
        insert_at = last + 1
    builder = TaskGroupBuilder(ctx, ctx.analysis.frame_for(function))
    done_node = target.elements[0].value if target is not None else None
    log_done = _results_unread(ctx, awaited.expression, statement, function, done_node)
    light_call = ctx.light(call)
    if light_call is not None and not leaves_pending(light_call, ctx.analysis.analysis):
        # A wait for every task: nothing is pending; the report is about the done set.
        if not log_done:
            return Withheld("the finished tasks are read elsewhere; check their results there")
        wait = _Wait(ctx, function, statement, awaited, small, target, pending, done_node, builder, block, index, index + 1, True, cancel=False)
        return Plan(Applicability.SAFE, "log the errors of the finished tasks right after the wait", lambda: _build(wait))
    wait = _Wait(ctx, function, statement, awaited, small, target, pending, done_node, builder, block, index, insert_at, log_done)
    message = "cancel the pending tasks right after the wait and wait for them to finish cancelling"
    if log_done:
        message = "cancel and await the pending tasks after the wait; log the errors of the finished ones"
    return Plan(Applicability.UNSAFE, message, lambda: _build(wait))


def _unpacked(
    small: cst.BaseSmallStatement | None, awaited: cst.Await
) -> tuple[cst.Tuple | cst.List | None, cst.Name | None, str | None] | Withheld:
    """``done, pending = await wait(...)`` (the target, the pending name's node and name), or
    ``await wait(...)`` alone (all None); else why the fix cannot follow it."""
    if isinstance(small, cst.Assign) and small.value is awaited and len(small.targets) == 1:
        target = small.targets[0].target
        if not (isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == 2):
            return Withheld("the result is not unpacked into `done, pending`")
        pending_node = target.elements[1].value
        if not isinstance(pending_node, cst.Name):
            return Withheld("the pending set is not bound to a plain name")
        return target, pending_node, pending_node.value
    if isinstance(small, cst.Expr) and small.value is awaited:
        return None, None, None
    return Withheld("the wait's result is used inside a larger expression")


def _build(w: _Wait) -> Edit:
    """The wait with ``done, pending`` named, then the cancel of what is pending (and, when
    their exceptions would be lost, the logging of the finished tasks' failures)."""
    ctx, function, pending, done_node = w.ctx, w.function, w.pending, w.done_node
    waiter, imports = w.builder.asyncio_member("wait")
    wait = ctx.module.code_for_node(waiter)
    if w.cancel:
        name = pending if pending is not None and pending != "_" else ctx.fresh_name("pending", function)
    else:
        name = pending or "_"  # nothing is pending: the set needs no name
    task = ctx.fresh_name("task", function)
    done = done_node.value if isinstance(done_node, cst.Name) and done_node.value != "_" else None
    if w.log_done and done is None:
        done = ctx.fresh_name("done", function)
    if pending is None:
        done = done or ctx.fresh_name("done", function)
        names = cst.Tuple([cst.Element(cst.Name(done)), cst.Element(cst.Name(name))], lpar=[], rpar=[])
        new_statement = w.statement.with_changes(body=[cst.Assign(targets=[cst.AssignTarget(names)], value=w.awaited)])
    elif pending == "_" or (done_node is not None and ctx.source(done_node) != done):
        target, small = w.target, w.small
        assert target is not None and isinstance(small, cst.Assign)  # `done, pending = await wait(...)`
        first = target.elements[0]
        if w.log_done:
            assert done is not None  # named above when the done set is logged
            first = first.with_changes(value=cst.Name(done))
        new_target = target.with_changes(elements=[first, target.elements[1].with_changes(value=cst.Name(name))])
        new_statement = w.statement.with_changes(body=[small.with_changes(targets=[small.targets[0].with_changes(target=new_target)])])
    else:
        new_statement = w.statement
    config = ctx.module.config_for_parsing
    nl, indent = ctx.module.default_newline, ctx.module.default_indent
    cancel = cst.parse_statement(f"for {task} in {name}:{nl}{indent}{task}.cancel(){nl}", config)
    settle = cst.parse_statement(f"if {name}:{nl}{indent}await {wait}({name}){nl}", config)
    added = [cancel, settle] if w.cancel else []
    if w.log_done:
        logger, logging_imports = module_logger(ctx)
        imports = (*imports, *logging_imports)
        added.append(
            cst.parse_statement(
                f"for {task} in {done}:{nl}"
                f"{indent}if not {task}.cancelled() and {task}.exception() is not None:{nl}"
                + ctx.call_lines(indent * 2, f"{logger}.error", f"{ctx.string('Waited task failed')}, exc_info={task}.exception()"),
                config,
            )
        )
    body = w.block.body
    new_body = [*body[: w.index], new_statement, *body[w.index + 1 : w.insert_at], *added, *body[w.insert_at :]]
    return Edit({w.block: w.block.with_changes(body=new_body)}, imports)


def _cancel_after_loop(
    ctx: FixContext, loop: cst.For | cst.While, statement: cst.BaseStatement, pending: str, function: cst.FunctionDef
) -> Outcome | None:
    """A ``while True:`` loop whose wait reuses a task made before it, left only by a
    ``break`` after the wait: cancel what the last wait left pending once the loop ends."""
    if not (isinstance(loop, cst.While) and is_forever_test(loop.test)) or ctx.parent(statement) is not loop.body:
        return None
    body = list(loop.body.body)
    index = next(i for i, s in enumerate(body) if s is statement)
    for node in own_nodes(loop.body):
        if isinstance(node, (cst.Return, cst.Yield, cst.Raise)):
            return None
        if isinstance(node, cst.Name) and node.value == pending and _written(ctx, node) and not any(a is statement for a in ctx.ancestors(node)):
            return None  # `pending` bound elsewhere too
        if isinstance(node, cst.Break):
            inner = next((a for a in ctx.ancestors(node) if isinstance(a, (cst.For, cst.While))), None)
            top = next(i for i, s in enumerate(body) if s is node or any(a is s for a in ctx.ancestors(node)))
            if inner is loop and top <= index:
                return None  # a `break` before the wait: `pending` may be unbound
    block, at = block_of(ctx, loop)
    builder = TaskGroupBuilder(ctx, ctx.analysis.frame_for(function))

    def build() -> Edit:
        waiter, imports = builder.asyncio_member("wait")
        wait = ctx.module.code_for_node(waiter)
        task = ctx.fresh_name("task", function)
        nl, indent, config = ctx.module.default_newline, ctx.module.default_indent, ctx.module.config_for_parsing
        cancel = cst.parse_statement(f"for {task} in {pending}:{nl}{indent}{task}.cancel(){nl}", config)
        settle = cst.parse_statement(f"if {pending}:{nl}{indent}await {wait}({pending}){nl}", config)
        return Edit({block: block.with_changes(body=[*block.body[: at + 1], cancel, settle, *block.body[at + 1 :]])}, imports)

    return Plan(
        Applicability.UNSAFE,
        "cancel what the last wait left pending when the loop ends, and wait for it (a task reused across turns stays)",
        build,
    )


#: Reads of a task that do not need it still running: its outcome, or whether it is in a set.
_INSPECTIONS = frozenset({"result", "exception", "done", "cancelled", "get_name"})


def _held_names(ctx: FixContext, call: cst.Call) -> set[str] | None:
    """The local names that hold the wait's tasks: the argument itself (``wait(tasks)``) or
    the names in a display of them (``wait({a, b})``); none for tasks made in the call
    (``wait([create_task(f(u)) for u in urls])``); None when an attribute holds them
    (``self._tasks``: shared state, used elsewhere)."""
    value = call.args[0].value
    elements = [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Set, cst.Tuple)) else [value]
    held: set[str] = set()
    for element in elements:
        if isinstance(element, cst.Attribute):
            return None
        if isinstance(element, cst.Name):
            held.add(element.value)
    return held


def _used_again(ctx: FixContext, call: cst.CSTNode, statement: cst.BaseStatement, function: cst.FunctionDef) -> tuple[str, bool] | None:
    """Why a task of the wait may be wanted after it, so that cancelling the pending ones
    there would change what the code does: it is waited for again on the next turn of a
    loop (made before the loop), or it is used after the wait other than by reading its
    outcome (``t.result()``, ``t.done()``) or testing membership (``t in done``); and
    whether it is the next turn of the loop."""
    if not isinstance(call, cst.Call) or not call.args:
        return None
    held = _held_names(ctx, call)
    if not held:
        return None
    loop = outermost_loop(ctx, statement, function)
    if loop is not None:
        inside_loop = {id(n) for n in iter_nodes(loop)}
        for node in own_nodes(function.body):
            if isinstance(node, cst.Name) and node.value in held and id(node) not in inside_loop and _written(ctx, node):
                return (
                    f"`{node.value}` is made before the loop and waited for again on its next turn; "
                    "cancel what remains after the loop"
                ), True
    inside = {id(n) for n in iter_nodes(statement)}
    after = False
    for node in nodes_in_order(function.body):
        if node is statement:
            after = True
        if not after or id(node) in inside or not isinstance(node, cst.Name) or node.value not in held or _written(ctx, node):
            continue
        parent = ctx.parent(node)
        if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in _INSPECTIONS:
            continue
        if isinstance(parent, cst.Comparison) and parent.left is node:
            continue  # `task in done`, `task is stopper`
        return f"`{node.value}` is used after the wait; cancel what remains where it is no longer needed", False
    return None


def _results_unread(
    ctx: FixContext, call: cst.CSTNode, statement: cst.BaseStatement, function: cst.FunctionDef, done_node: cst.BaseExpression | None
) -> bool:
    """Whether nothing can read the finished tasks' results: the done set is discarded or
    never read, and the tasks are made in the call or held by local names not read after
    the wait (nor in the loop around it). Shared state (``self._tasks``) counts as read."""
    if not isinstance(call, cst.Call) or not call.args:
        return False
    if done_node is not None and not isinstance(done_node, cst.Name):
        return False  # done bound to something other than a name
    if isinstance(done_node, cst.Name) and done_node.value != "_":
        if any(isinstance(n, cst.Name) and n.value == done_node.value and n is not done_node for n in own_nodes(function.body)):
            return False
    held = _held_names(ctx, call)
    if held is None:
        return False  # `self._tasks`: others may read the tasks
    if not held:
        return True
    loop = outermost_loop(ctx, statement, function)
    inside = {id(n) for n in iter_nodes(statement)}
    after = False
    for node in nodes_in_order(function.body):
        if node is statement:
            after = True
        if id(node) in inside:
            continue
        if not isinstance(node, cst.Name) or node.value not in held:
            continue
        if after or (loop is not None and any(a is loop for a in ctx.ancestors(node))):
            if not _written(ctx, node):
                return False
    return True


def _written(ctx: FixContext, name: cst.Name) -> bool:
    """Whether ``name`` is only (re)bound here: an assignment or ``for`` target."""
    parent = ctx.parent(name)
    if isinstance(parent, cst.Element):
        parent = ctx.parent(ctx.parent(parent) or parent)
    if isinstance(parent, cst.AssignTarget):
        return True
    return isinstance(parent, cst.For) and parent.target is name


_INSPECTORS = frozenset({"len", "bool", "print", "repr", "str", "sorted", "list"})


def _last_reading_statement(ctx: FixContext, uses: list[cst.Name], block: Block, index: int) -> int | None:
    """The index in ``block`` of the last statement that reads the pending set, when every
    other use only inspects it (``len(pending)``, ``if pending:``, ``print(pending)``) in a
    statement of the same block after the wait; None when some use may keep the tasks."""
    last = index
    if all(_counts_only(ctx, use) for use in uses):
        # len(pending) and `if pending:` do not depend on the tasks' state:
        # cancelling right after the wait changes neither.
        return index
    for use in uses:
        parent = ctx.parent(use)
        above = ctx.parent(parent)
        inspecting = (
            isinstance(parent, cst.Arg)
            and isinstance(above, cst.Call)
            and isinstance(above.func, cst.Name)
            and above.func.value in _INSPECTORS
        ) or (isinstance(parent, (cst.If, cst.While)) and parent.test is use) or isinstance(parent, (cst.Comparison, cst.UnaryOperation))
        if not inspecting:
            return None
        position = _statement_index(ctx, use, block)
        if position is None or position <= index:
            return None
        last = max(last, position)
    if any(isinstance(s, (cst.While, cst.For)) or _returns(s) for s in block.body[index + 1 : last + 1]):
        return None  # a loop or a return in between: the cancel might never be reached
    return last


def _statement_index(ctx: FixContext, node: cst.CSTNode, block: Block) -> int | None:
    child = node
    for parent in ctx.ancestors(node):
        if parent is block:
            return next((i for i, s in enumerate(block.body) if s is child), None)
        child = parent
    return None


def _returns(statement: cst.CSTNode) -> bool:
    return any(isinstance(n, (cst.Return, cst.Raise)) for n in own_nodes(statement))


def _counts_only(ctx: FixContext, use: cst.CSTNode) -> bool:
    """``len(pending)``, ``bool(pending)``, ``if pending:``, ``not pending``: reads of the set's size."""
    parent = ctx.parent(use)
    if isinstance(parent, cst.Arg):
        call = ctx.parent(parent)
        return isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value in ("len", "bool")
    if isinstance(parent, (cst.If, cst.While)):
        return parent.test is use
    return isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
