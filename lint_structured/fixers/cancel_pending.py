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
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers.base import Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.builders import TaskGroupBuilder, awaited_statement, block_of, own_nodes
from lint_structured.model import Applicability
from lint_structured.rules import Report


def plan(ctx: FixContext, report: Report) -> Outcome:
    call = report.node
    site = awaited_statement(ctx, call, "wait")
    if isinstance(site, Withheld):
        return site
    awaited, function, statement = site
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    target = None
    if isinstance(small, cst.Assign) and small.value is awaited and len(small.targets) == 1:
        target = small.targets[0].target
        if not (isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == 2):
            return Withheld("the result is not unpacked into `done, pending`")
        pending_node = target.elements[1].value
        if not isinstance(pending_node, cst.Name):
            return Withheld("the pending set is not bound to a plain name")
        pending = pending_node.value
    elif isinstance(small, cst.Expr) and small.value is awaited:
        pending_node, pending = None, None
    else:
        return Withheld("the wait's result is used inside a larger expression")
    block, index = block_of(ctx, statement)
    insert_at = index + 1
    if pending is not None and pending != "_":
        uses = [n for n in own_nodes(function.body) if isinstance(n, cst.Name) and n.value == pending and n is not pending_node]
        last = _last_reading_statement(ctx, uses, block, index)
        if last is None:
            return Withheld(f"`{pending}` is used elsewhere in the function; cancel what remains where it is no longer needed")
        insert_at = last + 1
    frame = ctx.analysis.frame_for(function)
    builder = TaskGroupBuilder(ctx, frame)

    def build() -> Edit:
        waiter, imports = builder.asyncio_member("wait")
        wait = ctx.module.code_for_node(waiter)
        name = pending if pending not in (None, "_") else ctx.fresh_name("pending", function)
        task = ctx.fresh_name("task", function)
        if pending is None:
            done = ctx.fresh_name("done", function)
            new_statement = statement.with_changes(
                body=[
                    cst.Assign(
                        targets=[cst.AssignTarget(cst.Tuple([cst.Element(cst.Name(done)), cst.Element(cst.Name(name))], lpar=[], rpar=[]))],
                        value=awaited,
                    )
                ]
            )
        elif pending == "_":
            new_target = target.with_changes(elements=[target.elements[0], target.elements[1].with_changes(value=cst.Name(name))])
            new_statement = statement.with_changes(body=[small.with_changes(targets=[small.targets[0].with_changes(target=new_target)])])
        else:
            new_statement = statement
        config = ctx.module.config_for_parsing
        nl, indent = ctx.module.default_newline, ctx.module.default_indent
        cancel = cst.parse_statement(f"for {task} in {name}:{nl}{indent}{task}.cancel(){nl}", config)
        settle = cst.parse_statement(f"if {name}:{nl}{indent}await {wait}({name}){nl}", config)
        body = [*block.body[:index], new_statement, *block.body[index + 1 : insert_at], cancel, settle, *block.body[insert_at:]]
        return Edit({block: block.with_changes(body=body)}, imports)

    return Plan(
        Applicability.UNSAFE,
        "cancel the pending tasks right after the wait and wait for them to finish cancelling",
        build,
    )


_INSPECTORS = frozenset({"len", "bool", "print", "repr", "str", "sorted", "list"})


def _last_reading_statement(ctx: FixContext, uses, block, index: int) -> int | None:
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
        inspecting = (
            isinstance(parent, cst.Arg)
            and isinstance(ctx.parent(parent), cst.Call)
            and isinstance(ctx.parent(parent).func, cst.Name)
            and ctx.parent(parent).func.value in _INSPECTORS
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


def _statement_index(ctx: FixContext, node: cst.CSTNode, block) -> int | None:
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
