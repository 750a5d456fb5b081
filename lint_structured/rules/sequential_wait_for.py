"""LSC501 sequential-wait-for: several wait_for timeouts where one budget is meant."""

from __future__ import annotations

from typing import Sequence

from lint_structured import nodes as cst
from lint_structured.rules.base import Rule
from lint_structured.rules.gather_wait import WAIT_FOR, calls, is_literal, keyword


class SequentialWaitFor(Rule):
    code = "LSC501"
    name = "sequential-wait-for"
    summary = "Several asyncio.wait_for calls in sequence, each with its own timeout"
    default_enabled = False
    prefilter = ("wait_for",)
    prefilter_names = ("wait_for",)
    what_it_does = """
        Finds two or more `await asyncio.wait_for(..., timeout)` statements
        (bare, or assigned) in the same block of an `async def`, each with its
        own timeout. Every one of them is reported. Off by default: enable it
        by selecting `LSC501` (or `LSC5`).
    """
    why_bad = """
        Each `wait_for` starts its own clock, so three steps with a 5-second
        timeout each can take 15 seconds, while the caller usually means "all
        of this within 5 seconds". Each `wait_for` also wraps its awaitable in
        a separate task. One `asyncio.timeout()` block states the budget once,
        cancels whatever step is running when it expires, and raises a single
        `TimeoutError`.
    """
    example = """
        import asyncio

        async def fetch(host):
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, 80), 5)
            writer.write(REQUEST)
            return await asyncio.wait_for(reader.read(), 5)
    """
    use_instead = """
        import asyncio

        async def fetch(host):
            async with asyncio.timeout(5):
                reader, writer = await asyncio.open_connection(host, 80)
                writer.write(REQUEST)
                return await reader.read()
    """
    fix_safety = """
        No automatic fix: whether the steps share one budget, and how large
        it is, is the author's decision. The finding is display-only.
    """

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if self.analysis.frame.is_async:
            self._check(node.body)

    def _check(self, statements: Sequence[cst.BaseStatement]) -> None:
        found = []
        for stmt in statements:
            if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            small = stmt.body[0]
            value = getattr(small, "value", None) if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign, cst.Return)) else None
            if isinstance(value, cst.Await) and isinstance(value.expression, cst.Call):
                call = value.expression
                if calls(call, self.analysis, WAIT_FOR) and _has_timeout(call):
                    found.append(call)
        if len(found) < 2:
            return
        for call in found:
            self.report(call, f"One of {len(found)} sequential `wait_for()` timeouts; one `asyncio.timeout()` block states the budget")


def _has_timeout(call: cst.Call) -> bool:
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    timeout = positional[1] if len(positional) > 1 else keyword(call, "timeout")
    return timeout is not None and not is_literal(timeout, "None")
