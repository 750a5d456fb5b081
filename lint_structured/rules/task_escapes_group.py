"""LSC103 task-escapes-group: a loose spawn inside a task-group block."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.model import Applicability
from lint_structured.rules.base import SPAWNER_WORDS, Rule, short_call


class TaskEscapesGroup(Rule):
    code = "LSC103"
    name = "task-escapes-group"
    summary = "A task is spawned outside the task group that encloses it"
    fix_applicability = Applicability.UNSAFE
    fixer = "spawn_through_group"
    prefilter = SPAWNER_WORDS
    prefilter_names = SPAWNER_WORDS
    prefilter_setting = "extra_spawners"
    fix_needs_coroutines = True
    what_it_does = """
        Finds `asyncio.create_task(...)`, `asyncio.ensure_future(...)` and
        `loop.create_task(...)` called lexically inside an `async with` block
        that owns a task group: `asyncio.TaskGroup()`, the `taskgroup`
        backport, `anyio.create_task_group()` or `trio.open_nursery()` (also
        through a name bound to one earlier in the function). A spawn that is
        awaited on the spot (`await asyncio.create_task(...)`) is not reported,
        and neither is one in a nested function or lambda.

        Such a spawn is reported only as LSC103, not also as LSC101/LSC102.
    """
    why_bad = """
        The group looks like it supervises everything started in its block,
        but a loosely spawned task is not its child: when a sibling fails the
        group does not cancel it, the group does not wait for it on exit, and
        its exception never reaches the group's `ExceptionGroup`. The task
        outlives the structure the reader believes contains it.
    """
    example = """
        import asyncio

        async with asyncio.TaskGroup() as tg:
            tg.create_task(fetch(a))
            asyncio.create_task(fetch(b))
    """
    use_instead = """
        import asyncio

        async with asyncio.TaskGroup() as tg:
            tg.create_task(fetch(a))
            tg.create_task(fetch(b))
    """
    fix_safety = """
        Unsafe (`--unsafe-fixes`): the spawn goes through the enclosing
        group: `tg.create_task(...)` for an asyncio group, `tg.start_soon(fn,
        *args)` for anyio and `nursery.start_soon(fn, *args)` for trio (keyword
        arguments of the coroutine cannot be passed that way: withheld). The
        group then waits for the task and cancels it when a sibling fails.
        Withheld when the group has no `as` name, or when an anyio/trio spawn's
        task is used (`start_soon` returns nothing).
    """

    def visit_Call(self, node: cst.Call) -> None:
        info = self.analysis.spawn_info(node)
        if info is None or info.group is None or info.awaited:
            return
        group = info.group
        owner = f"task group `{group.name}`" if group.name else "the enclosing task group"
        via = f"`{group.name}.{group.spawn_method}()`" if group.name else f"the group's `{group.spawn_method}()`"
        self.report(
            node,
            f"Task from {short_call(info.spawner)} escapes {owner}; use {via}",
        )
