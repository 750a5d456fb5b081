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
from lint_structured.fixers.builders import TaskGroupBuilder, block_of, enclosing_function, enclosing_statement, own_nodes
from lint_structured.model import Applicability
from lint_structured.rules import Report


def plan(ctx: FixContext, report: Report) -> Outcome:
    call = report.node
    awaited = ctx.parent(call)
    if not isinstance(awaited, cst.Await):
        return Withheld("the wait is not awaited where it is made")
    function = enclosing_function(ctx, call)
    if function is None or function.asynchronous is None:
        return Withheld("outside an `async def`")
    statement = enclosing_statement(ctx, call)
    if isinstance(statement, Withheld):
        return statement
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
    if pending is not None and pending != "_":
        uses = [n for n in own_nodes(function.body) if isinstance(n, cst.Name) and n.value == pending and n is not pending_node]
        if uses:
            return Withheld(f"`{pending}` is used elsewhere in the function; cancel what remains where it is no longer needed")
    frame = ctx.analysis.frame_for(function)
    builder = TaskGroupBuilder(ctx, frame)

    def build() -> Edit:
        module, imports = builder.asyncio_name()
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
        settle = cst.parse_statement(f"if {name}:{nl}{indent}await {module}.wait({name}){nl}", config)
        block, index = block_of(ctx, statement)
        body = [*block.body[:index], new_statement, cancel, settle, *block.body[index + 1:]]
        return Edit({block: block.with_changes(body=body)}, imports)

    return Plan(
        Applicability.UNSAFE,
        "cancel the pending tasks right after the wait and wait for them to finish cancelling",
        build,
    )
