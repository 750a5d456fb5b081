"""LSC103 fix: spawn through the enclosing task group.

``asyncio.create_task(work())`` inside ``async with asyncio.TaskGroup() as
tg:`` becomes ``tg.create_task(work())``; in an anyio group or a trio
nursery, ``tg.start_soon(work)`` / ``nursery.start_soon(work)`` with the
arguments passed on. Unsafe: the group now waits for the task and cancels
it when a sibling fails.
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers.base import CstReport, Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.builders import spawn_through
from lint_structured.model import Applicability


def plan(ctx: FixContext, report: CstReport) -> Outcome:
    info = ctx.analysis.spawn_info(report.node)
    if info is None or info.group is None:
        return Withheld("the spawn is not inside a task group block")
    group = info.group
    if group.name is None:
        return Withheld("the task group has no `as` name to spawn through")
    if group.library != "asyncio" and not isinstance(ctx.parent(info.call), cst.Expr):
        return Withheld(f"{group.library}'s `start_soon` returns no task, and this spawn's task is used")
    spawned = spawn_through(info, group.name, group.library, ctx)
    if isinstance(spawned, Withheld):
        return spawned
    message = f"spawn with `{group.name}.{group.spawn_method}` (the group then waits for the task and cancels it when a sibling fails)"
    return Plan(Applicability.UNSAFE, message, lambda: Edit({info.call: spawned}))
