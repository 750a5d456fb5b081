"""LSC203 wait-leaves-pending: asyncio.wait returns with tasks still running, nobody cancels them."""

from __future__ import annotations

import libcst as cst

from lint_structured.flow import HandleFlow
from lint_structured.rules.base import Rule
from lint_structured.rules.gather_wait import WAIT, calls, leaves_pending, unawait


class WaitLeavesPending(Rule):
    code = "LSC203"
    name = "wait-leaves-pending"
    summary = "asyncio.wait returns pending tasks that are never cancelled"
    prefilter = ("FIRST_COMPLETED", "FIRST_EXCEPTION", "timeout")
    what_it_does = """
        Finds `asyncio.wait(...)` with `return_when=FIRST_COMPLETED`,
        `return_when=FIRST_EXCEPTION` or a `timeout`, whose pending set is
        discarded (`await asyncio.wait(...)` as a statement, `done, _ = ...`)
        or, on some path to the end of the function (raising included), is
        not cancelled or otherwise kept.

        Cancelling the pending tasks, awaiting them, passing the set to a
        call, returning it, or storing it (in an attribute or container, to
        be cancelled elsewhere) keeps it. Testing it (`if pending:`,
        `len(pending)`) does not; a path on which the test shows the set is
        empty has nothing to cancel (`while pending: ...`).
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
        async def first_reply(servers):
            tasks = [asyncio.create_task(ask(s)) for s in servers]
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            return done.pop().result()
    """
    use_instead = """
        async def first_reply(servers):
            tasks = [asyncio.create_task(ask(s)) for s in servers]
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            return done.pop().result()
    """
    fix_safety = """
        No automatic fix yet. The planned fix cancels the pending set right
        after the `wait` and awaits the cancellations; it will be unsafe,
        because the pending tasks then stop instead of running on.
    """

    def __init__(self, analysis) -> None:
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

    def leave_Expr(self, original_node: cst.Expr) -> None:
        call = self._leaving_wait(original_node.value)
        if call is not None:
            self._report(call, "the pending set is discarded")

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if original_node not in self._functions:
            return
        self._functions.discard(original_node)
        flow = HandleFlow(
            self._whole_result,
            unpacked_origin=self._pending_element,
            report_raise=True,
            inspection_keeps=False,
        )
        for found in flow.analyse(original_node):
            if found.name == "_":
                why = "the pending set is assigned to `_`"
            else:
                why = f"`{found.name}` is not cancelled on at least one path"
            self._report(found.origin, why)

    def _whole_result(self, expr: cst.BaseExpression) -> cst.CSTNode | None:
        # `result = await asyncio.wait(...)`: the pair is kept as a whole.
        return self._leaving_wait(expr)

    def _pending_element(self, expr: cst.BaseExpression, index: int) -> cst.CSTNode | None:
        return self._leaving_wait(expr) if index == 1 else None

    def _report(self, call: cst.CSTNode, why: str) -> None:
        wait = self.analysis.source(call.func) if isinstance(call, cst.Call) else "asyncio.wait"
        self.report(
            call,
            f"`{wait}(...)` returns with tasks still running and {why}; cancel them "
            "(`for t in pending: t.cancel()`) or use a TaskGroup",
        )
