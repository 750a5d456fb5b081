"""LSC101 dropped-task: the task a spawner returns is thrown away."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.analysis import SpawnInfo
from lint_structured.codes import PREFILTER_WORDS
from lint_structured.model import Applicability
from lint_structured.rules.base import Rule, short_call
from lint_structured.rules.task_handles import callback_argument, discarded_spawns

class DroppedTask(Rule):
    code = "LSC101"
    name = "dropped-task"
    summary = "The task returned by a spawner is discarded"
    fix_applicability = Applicability.UNSAFE
    prefilter = PREFILTER_WORDS["LSC101"]
    fix_needs_coroutines = True
    what_it_does = """
        Finds calls that start a task and throw away the handle they return:
        `asyncio.create_task(...)`, `asyncio.ensure_future(...)`,
        `loop.create_task(...)` on an event loop (`asyncio.get_running_loop()`,
        `self.loop`, `self._loop`, a `loop` parameter or a name bound to one),
        `asyncio.run_coroutine_threadsafe(...)` and the project's
        `extra-spawners`, used as a statement. Also when only a chained call
        such as `.add_done_callback(...)` sees the task, inside a comprehension
        used as a statement, and in a lambda or spawner passed as a callback to
        `loop.call_soon(...)`, `call_later`, `add_signal_handler`,
        `add_done_callback` and the like (they ignore what the callback returns).

        A spawn inside an `async with` task-group block is reported as LSC103
        instead.
    """
    why_bad = """
        The event loop keeps only a weak reference to a task. A task nobody
        references can be garbage-collected before it finishes, and if it
        fails, its exception is never seen (at best a "Task exception was
        never retrieved" log line, long after the fact). Nothing waits for
        it at shutdown and nothing cancels it when its caller fails: it is a
        runaway.
    """
    example = """
        import asyncio

        async def handle(request):
            asyncio.create_task(audit_log(request))
            return respond(request)
    """
    use_instead = """
        import asyncio

        async def handle(request):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(audit_log(request))
                return respond(request)

        # or, for work that must outlive the caller, keep a reference:
        background_tasks = set()

        async def handle(request):
            task = asyncio.create_task(audit_log(request))
            background_tasks.add(task)
            task.add_done_callback(background_tasks.discard)
            return respond(request)
    """
    fix_safety = """
        Unsafe (`--unsafe-fixes`). Inside an `async def`, the fix opens
        `async with asyncio.TaskGroup() as tg:` at the spawn (at the outermost
        loop around it, so that iterations still run concurrently) and closes
        it at the end of the block, spawning with `tg.create_task(...)`; other
        runaway spawns of that stretch join the group. A task group raises an
        `ExceptionGroup`, even for the block's own errors, so (with the default
        `fix-exception-groups = "unwrap"`) the block is wrapped in
        `try: ... except* BaseException as exc_group: raise exc_group.exceptions[0]`:
        callers that catch the function's exceptions keep catching them. It is
        unsafe because the function now waits for the task before it leaves
        the block, and the task's failure now reaches the caller.
        Display-only, with the reason, outside an `async def`; in an async
        generator; when the stretch also starts a task whose handle is kept;
        when the task's holder is used after the block; when the spawned
        coroutine (defined in the same module) loops `while True` forever
        (except for LSC102's worker bound to a name, which the block cancels
        with `name.cancel()` at its end when the block cannot return first) or
        starts by sleeping for a delay it was given as a parameter (a delayed
        action meant to outlive the caller: keep a reference instead); and
        below Python 3.11 unless `fix-backend` names the `taskgroup` backport
        or anyio.
    """

    def leave_Expr(self, original_node: cst.Expr) -> None:
        for info, how in discarded_spawns(original_node.value, self.analysis):
            self._report_spawn(info, how)

    def leave_Call(self, original_node: cst.Call) -> None:
        callback = callback_argument(original_node)
        if callback is None:
            return
        if isinstance(callback, cst.Lambda):
            for info, how in discarded_spawns(callback.body, self.analysis):
                self._report_spawn(info, "callback" if how == "discarded" else how)
            return
        kind = self.analysis.spawner_kind(callback)
        if kind is not None:
            spawner = short_call(self.analysis.source(callback))
            self.report(callback, f"{spawner} as a callback starts a task nobody keeps; keep a reference to it")

    def _report_spawn(self, info: SpawnInfo, how: str) -> None:
        if info.group is not None:
            return  # LSC103 task-escapes-group reports it
        spawner = short_call(info.spawner)
        if info.kind == "asyncio.run_coroutine_threadsafe":
            # A concurrent.futures.Future for another thread: nothing to garbage-collect, but
            # nobody sees its result or error.
            self.report(info.call, f"Future from {spawner} is dropped: keep it to see its errors")
            return
        in_method = info.frame.parent is not None and info.frame.parent.kind == "class"
        if in_method:  # an object that starts work keeps it, and stops it when it closes
            advice = "use a TaskGroup or keep it on self" if info.frame.is_async else "keep it on self, cancel it on close"
        else:
            advice = "use a TaskGroup or keep a reference" if info.frame.is_async else "keep a reference to it"
        if how == "chained":
            keep = "keep it on self" if in_method else "keep a reference to it"
            message = f"Task from {spawner} is dropped after a chained call; {keep}"
        elif how == "comprehension":
            message = f"Tasks from {spawner} in a discarded comprehension may vanish; keep references"
        elif how == "callback":
            message = f"Task from {spawner} is returned to a caller that drops it; keep a reference to it"
        else:
            message = f"Task from {spawner} is dropped and may vanish; {advice}"
        self.report(info.call, message)
