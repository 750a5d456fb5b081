"""LSC203 wait-leaves-pending: asyncio.wait returns with tasks still running, nobody cancels them."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis
from lint_structured.flow import HandleFlow
from lint_structured.model import Applicability
from lint_structured.rules.base import Rule, short_call
from lint_structured.rules.gather_wait import WAIT, calls, keyword, leaves_pending, unawait
from lint_structured.rules.task_handles import NON_KEEPING_METHODS, spawn_origin


class WaitLeavesPending(Rule):
    code = "LSC203"
    name = "wait-leaves-pending"
    summary = "asyncio.wait returns pending tasks that are never cancelled"
    fix_applicability = Applicability.UNSAFE
    fixer = "cancel_pending"
    prefilter = ("FIRST_COMPLETED", "FIRST_EXCEPTION", "timeout")
    prefilter_names = ("wait",)
    what_it_does = """
        Finds `asyncio.wait(...)` with `return_when=FIRST_COMPLETED`,
        `return_when=FIRST_EXCEPTION` or a `timeout`, over tasks the function
        started itself (spawned in the call, or bound to a name or a
        collection earlier in the function), when on some path to the end of
        the function (raising included) one of those tasks is neither
        cancelled nor otherwise kept afterwards. Reported at the `wait` call.

        The tasks stay reachable through the pending set and through their
        own names: cancelling, awaiting, returning or storing either one, or
        passing it to a call, keeps them; the pending set discarded
        (`done, _ = ...`, or the result unused) keeps nothing. Testing it
        (`if pending:`, `len(pending)`, `t in done`) does not keep it, and a
        path on which a test shows the set is empty has nothing left to
        cancel (`while pending: ...`). Futures and tasks that belong to
        someone else (`self._closed`, a parameter) are not the function's to
        cancel and are not tracked.
    """
    why_bad = """
        `asyncio.wait` never cancels anything: when it returns because the
        first task finished, because one failed, or because the timeout
        expired, the other tasks are still running. Many users believe
        otherwise. A helper that raises `TimeoutError` after
        `asyncio.wait(..., timeout=...)` without cancelling the pending
        waiter leaks one task per timeout.
    """
    example = """
        import asyncio

        async def first_reply(servers):
            tasks = [asyncio.create_task(ask(s)) for s in servers]
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            return done.pop().result()
    """
    use_instead = """
        import asyncio

        async def first_reply(servers):
            tasks = [asyncio.create_task(ask(s)) for s in servers]
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            return done.pop().result()
    """
    fix_safety = """
        Unsafe (`--unsafe-fixes`): right after `done, pending = await
        asyncio.wait(...)` the fix inserts `for task in pending: task.cancel()`
        and `if pending: await asyncio.wait(pending)`, naming the pending set
        first when the result was discarded or bound to `_`. The pending tasks
        then stop instead of running on. When the pending set is only counted
        afterwards (`len(pending)`, `if pending:`) the cancel still goes right
        after the wait; when it is only inspected in the same block (printed,
        sorted), after its last use. Withheld for any other use (the tasks may
        be wanted later), and when a task of the wait is still wanted after
        it: made before the loop the wait is in and waited for again on the
        next turn (a stop signal raced against each receive; in a
        `while True:` loop left only by a `break` after the wait, the fix
        instead cancels what the last wait left pending once the loop ends),
        or used after
        the wait other than by reading its outcome (`t.result()`,
        `t.done()`) or testing membership (`t in done`).

        When nothing can read the finished tasks either (the done set is
        discarded, bound to `_` or never read, and the tasks were made in the
        call or are held only by local names not read after the wait), their
        exceptions would be lost: the fix then also loops over the done set
        and logs each task's exception (through the module's `logging`
        logger, else `logging.getLogger(__name__)`), as LSC202's fix does.
    """

    def __init__(self, analysis: ModuleAnalysis) -> None:
        super().__init__(analysis)
        self._functions: set[cst.CSTNode] = set()

    def _leaving_wait(self, expr: cst.BaseExpression) -> cst.Call | None:
        call = unawait(expr)
        if isinstance(call, cst.Call) and calls(call, self.analysis, WAIT) and leaves_pending(call, self.analysis):
            return call
        return None

    def visit_Call(self, node: cst.Call) -> None:
        frame = self.analysis.frame
        if frame.kind == "function" and self._leaving_wait(node) is not None:
            self._functions.add(frame.node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if original_node not in self._functions:
            return
        self._functions.discard(original_node)
        frame = self.analysis.frame_for(original_node)
        flow = HandleFlow(
            lambda expr: spawn_origin(expr, self.analysis),
            NON_KEEPING_METHODS,
            transfer=self._handed_to_wait,
            transfer_element=1,  # `done, pending = ...`: the pending set holds them
            report_raise=True,
            inspection_keeps=False,
            walruses=frame is None or frame.has_walrus,
            source=self.analysis.source,
        )
        for found in flow.analyse(original_node):
            if found.through is None:
                continue  # never handed to a wait: LSC102's business
            wait = short_call(self.analysis.source(found.through.func))
            self.report(found.through, f"{wait} can return with tasks still pending, left running on some path; cancel them")

    def _handed_to_wait(self, value: cst.BaseExpression) -> tuple[cst.Call, list[cst.BaseExpression]] | None:
        call = self._leaving_wait(value)
        if call is None:
            return None
        positional = [arg.value for arg in call.args if arg.keyword is None]
        awaitables = positional[0] if positional else keyword(call, "fs")
        return (call, [awaitables]) if awaitables is not None else None
