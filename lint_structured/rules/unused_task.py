"""LSC102 unused-task: a bound task handle is not kept on some path."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.flow import OVERWRITTEN, HandleFlow
from lint_structured.model import Applicability
from lint_structured.rules.base import SPAWNER_WORDS, Rule, short_call
from lint_structured.rules.task_handles import NON_KEEPING_METHODS, spawn_origin


class UnusedTask(Rule):
    code = "LSC102"
    name = "unused-task"
    summary = "A task handle is bound to a name but not kept on every path"
    fix_applicability = Applicability.SAFE
    fixer = "owner"
    prefilter = SPAWNER_WORDS
    prefilter_names = SPAWNER_WORDS
    prefilter_setting = "extra_spawners"
    fix_needs_coroutines = True
    what_it_does = """
        Finds task handles bound to a local name (`t = asyncio.create_task(...)`,
        a walrus, `_ = ...`, a list of tasks built by a comprehension, or tasks
        put into a fresh local container with `tasks.append(...)`,
        `pending.add(...)` or `by_key[k] = ...`) that, on
        at least one path to the end of the function, are never awaited,
        cancelled, returned, yielded, passed to a call, stored or otherwise
        used; or that are overwritten (or deleted) before that happens, as when
        a loop spawns into the same name on every iteration.

        Calling only `.add_done_callback()`, `.remove_done_callback()` or
        `.set_name()` on the handle does not keep it. A use inside a nested
        function counts as keeping it. Paths that end by raising are not
        reported.
    """
    why_bad = """
        A handle that goes out of scope unused is a dropped task with extra
        steps: the task can be garbage-collected mid-run, its exception is
        lost, and nothing waits for it or cancels it. When the handle is
        awaited on only one branch, the other branch leaks the task; when it
        is overwritten, every task but the last is lost.
    """
    example = """
        import asyncio

        async def refresh(self, force):
            task = asyncio.create_task(self.fetch())
            if force:
                await task
    """
    use_instead = """
        import asyncio

        async def refresh(self, force):
            task = asyncio.create_task(self.fetch())
            if force:
                await task
            else:
                self._pending.add(task)
                task.add_done_callback(self._pending.discard)
    """
    fix_safety = """
        The same owners as LSC101: by default (safe) the spawn is wrapped in
        `_keep_background_task(...)`, so the handle keeps its name and the
        task is held and its failure logged on every path (not logged, with
        `log_failure=False`, when the function gives the handle a done-callback of its
        own: its failures are the author's to report); in a method of a
        class with an async closing method (unsafe) the object holds it and
        cancels it on close; when the task uses a resource closed around it or
        fills a container read later (unsafe), it moves into a TaskGroup.
        Withheld, with the reason, where the function should wait and no task
        group can be written (see LSC101), and when a comment on the spawn
        says the handle is kept on purpose (a "reference", or a `# noqa` for
        the unused name): who keeps and stops that task is the author's call.
    """

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        frame = self.analysis.frame_for(original_node)
        if frame is None or not any(info.group is None for info in frame.spawns):
            return
        flow = HandleFlow(
            lambda expr: spawn_origin(expr, self.analysis),
            NON_KEEPING_METHODS,
            walruses=frame.has_walrus,
            # In a plain `def`, the task runs only while the function runs the loop
            # (`loop.run_forever()`), holding the handle; `del` after that is deliberate.
            # In an `async def`, `del task` drops a task that is still running.
            deletion_keeps=not frame.is_async,
            source=self.analysis.source,
        )
        for found in flow.analyse(original_node):
            advice = "await or cancel it" if frame.is_async else "keep or cancel it"
            if found.reason == OVERWRITTEN:
                message = f"Task `{found.name}` is overwritten before it is awaited or kept; {advice}"
            elif found.name == "_":
                info = self.analysis.spawn_info(found.origin)
                message = f"Task from {short_call(info.spawner if info else 'spawner')} is bound to `_` and dropped; {advice}"
            elif found.container:
                message = f"Tasks in `{found.name}` are not awaited, cancelled or kept on some path; {advice[:-2]}them"
            else:
                message = f"Task `{found.name}` is not awaited, cancelled or kept on some path; {advice}"
            self.report(found.origin, message)
