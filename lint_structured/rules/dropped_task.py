"""LSC101 dropped-task: the task a spawner returns is thrown away."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.analysis import SpawnInfo
from lint_structured.model import Applicability
from lint_structured.rules.base import SPAWNER_WORDS, Rule, short_call
from lint_structured.rules.task_handles import callback_argument, closing_method, discarded_spawns

class DroppedTask(Rule):
    code = "LSC101"
    name = "dropped-task"
    summary = "The task returned by a spawner is discarded"
    fix_applicability = Applicability.SAFE
    fixer = "owner"
    noqa_aliases = ("RUF006",)
    # A project helper that returns the task it starts (`def spawn(coro) -> asyncio.Task`)
    # is called where no spawner's name is written: async code is where to look, and
    # the module's outline says what the helper returns.
    prefilter = (*SPAWNER_WORDS, "async", "await")
    prefilter_names = SPAWNER_WORDS
    prefilter_syntax = "async"
    prefilter_setting = "extra_spawners"
    needs_coroutines = True
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

        background_tasks = set()

        async def handle(request):
            # Work meant to run on after the handler returns: keep a reference.
            task = asyncio.create_task(audit_log(request))
            background_tasks.add(task)
            task.add_done_callback(background_tasks.discard)
            return respond(request)

        # or, when the handler must wait for it:
        async def handle(request):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(audit_log(request))
                return respond(request)
    """
    fix_safety = """
        The fix gives the task the owner the code shows it should have, and
        never makes a caller wait for work it did not wait for:

        - **The application** (safe): by default, and always in sync code
          (callbacks, signal handlers, `__init__`), for endless or delayed
          workers and for plain fire-and-forget work. The spawn is wrapped in
          `_keep_background_task(...)`, a helper the fix adds to the module
          once: it keeps the task in a module-level set until it is done and
          logs its exception (through the module's `logging` logger, else
          `logging.getLogger(__name__)`) from a done-callback. This is the
          idiom of the `asyncio.create_task` documentation (in a module whose
          functions declare their return types, the helpers are annotated
          too, and pass `mypy --strict`); timing does not
          change, and the task can no longer vanish or fail silently. If the
          handle is also awaited somewhere, a failure is both raised there and
          logged.
        - **An object** (unsafe): a spawn in a method of a class with an
          `__init__` and an async `__aexit__`, `aclose`, `close`, `stop`,
          `shutdown` or `disconnect` (not slotted, not decorated, and not the
          closing method or `__init__` itself). The task is kept in a set made
          in `__init__` (`self._background_tasks`), and the closing method
          ends with `await _cancel_background_tasks(self._background_tasks)`,
          which cancels the tasks still running (but the one running the
          close) and waits for them; what the method does first (telling the
          tasks to stop, waiting for them) still runs first. The same line
          goes before each `return` of the method (an early `if closed:
          return` guard); a closing method that can `raise` before its end,
          or returns on a line it shares, leaves the task to the application.
          Unsafe because closing now stops work that ran on before.
        - **The function, as a stopper** (unsafe): an endless worker that the
          function feeds through objects it made (`queue = asyncio.Queue()`,
          `results = []`, passed straight to the worker, never handed out)
          and then waits for (`await queue.join()`), the `asyncio.Queue`
          documentation's pattern. Once the function returns nothing can
          reach the worker, so the fix keeps it in a set made at the top of
          the function and ends the function, and each `return`, with
          `await _cancel_background_tasks(background_tasks)`.
        - **The function** (unsafe): when the task uses a resource the
          function closes around it (`async with session:`, `with ... as f`, a
          `finally` that closes it) or fills a container the function made and
          reads later. The spawn moves into `async with asyncio.TaskGroup() as
          tg:` opened at the spawn (at the outermost loop around it, so that
          iterations still run concurrently) and closed before the container
          is read, else at the end of the block; other runaway spawns of that
          stretch join the group. A task group raises an `ExceptionGroup`,
          even for the block's own errors, so (with the default
          `fix-exception-groups = "unwrap"`) the block is wrapped in
          `try: ... except* BaseException as exc_group: raise exc_group.exceptions[0]`.
          When the function should wait but no group can be written there (an
          endless worker, an async generator, a one-line block, a task held
          after the block, below Python 3.11 without the `taskgroup` backport
          or anyio), the fix is withheld with the reason.

        A spawner passed as a callback with one argument
        (`loop.call_soon(asyncio.ensure_future, work())`) becomes a lambda that
        keeps the task (safe): `lambda coro=work():
        _keep_background_task(asyncio.ensure_future(coro))`; the coroutine is
        still made where the callback is registered. With other arguments, and
        for configured `extra-spawners` (whose return value is unknown), there
        is no automatic fix.
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
        parent = info.frame.parent
        in_method = parent is not None and parent.kind == "class"
        # An object that starts work keeps it, and stops it when it closes.
        closer = closing_method(parent.node) if parent is not None and in_method and not info.frame.is_async else None
        if in_method and info.frame.is_async:
            advice = "use a TaskGroup or keep it on self"
        else:
            advice = "use a TaskGroup or keep a reference" if info.frame.is_async else "keep a reference to it"
        if how == "chained":
            keep = "keep it on self" if in_method else "keep a reference to it"
            message = f"Task from {spawner} is dropped after a chained call; {keep}"
        elif how == "comprehension":
            message = f"Tasks from {spawner} in a discarded comprehension may vanish; keep references"
        elif how == "callback":
            message = f"Task from {spawner} is returned to a caller that drops it; keep a reference to it"
        elif closer is not None:
            message = f"Task from {spawner} is dropped; keep it on self and cancel it in `{closer}()`"
        elif info.kind == "helper":  # a project function that returns the task it starts
            message = f"Task {spawner} returns is dropped and may vanish; {advice}"
        else:
            message = f"Task from {spawner} is dropped and may vanish; {advice}"
        self.report(info.call, message)
