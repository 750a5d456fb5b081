"""LSC301 unawaited-coroutine: a coroutine function is called and its coroutine dropped."""

from __future__ import annotations

from typing import Iterator

from lint_structured import nodes as cst
from lint_structured.model import Applicability
from lint_structured.rules.base import COROUTINE_WORDS, Rule, short_call
from lint_structured.rules.task_handles import callback_argument, discarded_calls

class UnawaitedCoroutine(Rule):
    code = "LSC301"
    name = "unawaited-coroutine"
    summary = "A coroutine function is called and its coroutine is discarded"
    fix_applicability = Applicability.UNSAFE
    fixer = "await_coroutine"
    prefilter = COROUTINE_WORDS
    prefilter_syntax = "async"
    prefilter_setting = "extra_coroutine_functions"
    needs_coroutines = True
    what_it_does = """
        Finds calls whose result is a coroutine and is thrown away: used as a
        statement, in a comprehension used as a statement, or returned by a
        lambda passed as a callback to `loop.call_soon(...)` and the like.
        Calling an async generator function makes an async generator, not a
        coroutine, and is not reported; neither is `loop.run_in_executor`,
        whose work runs whether or not its future is awaited.

        A callee is a coroutine function only when that is known by binding,
        never by name alone: an `async def` of the same module (also nested,
        and methods through `self`, `cls`, `super()`, the class name or an
        instance created in scope, inherited methods included), of another
        module of the same project (through `import`, `from ... import`, and
        relative imports), a coroutine function of asyncio, anyio or trio
        (`asyncio.sleep`, `Queue.get` on an `asyncio.Queue()` made in scope,
        `writer.drain()` on a stream from `open_connection`, `loop.sock_*`,
        ...), or one listed in `extra-coroutine-functions`. An `async def`
        with a decorator that is not known to keep it a coroutine function is
        not one (known: `staticmethod`, `classmethod`, `abstractmethod`,
        `override`, and decorators of the project that return an inner
        `async def`).
    """
    why_bad = """
        Calling a coroutine function does not run it: it creates a coroutine
        object, which runs only when awaited or scheduled. Dropped, it never
        runs at all (Python warns "coroutine ... was never awaited" when it is
        garbage-collected, often far away from the cause): the back-off
        `asyncio.sleep(10)` that never sleeps, the `save()` that never saves.
    """
    example = """
        import asyncio

        async def handle(self, event):
            self.save(event)
            asyncio.sleep(1)
    """
    use_instead = """
        import asyncio

        async def handle(self, event):
            await self.save(event)
            await asyncio.sleep(1)
    """
    fix_safety = """
        Unsafe (`--unsafe-fixes`): inside an `async def`, the call becomes
        `await call(...)`. The coroutine now runs, before the function goes on,
        and its exceptions reach the caller. In a lambda the event loop calls
        (`loop.call_soon(lambda: save())`, `call_later`, `add_signal_handler`...),
        where no `await` can stand, the coroutine becomes a task the running
        loop starts, kept and its failure logged:
        `_keep_background_task(asyncio.ensure_future(save()))` (unsafe too: it
        now runs). Display-only in a plain `def`, another lambda (a future's
        done-callback may run outside the loop) or a comprehension.
    """

    def leave_Expr(self, original_node: cst.Expr) -> None:
        for callee, call in self._discarded(original_node.value):
            self._report(call, callee)

    def leave_Call(self, original_node: cst.Call) -> None:
        callback = callback_argument(original_node)
        if isinstance(callback, cst.Lambda):
            for callee, call in self._discarded(callback.body):
                self._report(call, callee)

    def _discarded(self, expr: cst.BaseExpression) -> Iterator[tuple[str, cst.Call]]:
        coroutines = self.analysis.coroutine_calls
        if not coroutines:
            return
        for (callee, call), _ in discarded_calls(expr, lambda c: (coroutines[c], c) if c in coroutines else None):
            yield callee, call

    def _report(self, call: cst.Call, callee: str) -> None:
        advice = "await it" if self.analysis.frame.is_async else "run or schedule it"
        self.report(call, f"Coroutine from {short_call(callee)} is never awaited, so it never runs; {advice}")
