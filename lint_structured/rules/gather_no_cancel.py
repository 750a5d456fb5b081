"""LSC201 gather-no-cancel: a failing child of gather leaves its siblings running."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.codes import PREFILTER_WORDS
from lint_structured.model import Applicability
from lint_structured.rules.base import Rule, short_call
from lint_structured.rules.gather_wait import (
    GATHER,
    calls,
    children_cancelled_before,
    enclosing_try_cancels,
    gathers_several,
    return_exceptions,
)


class GatherNoCancel(Rule):
    code = "LSC201"
    name = "gather-no-cancel"
    summary = "asyncio.gather leaves the other children running when one fails"
    fix_applicability = Applicability.UNSAFE
    prefilter = PREFILTER_WORDS["LSC201"]
    fix_needs_coroutines = True
    what_it_does = """
        Finds `asyncio.gather(...)` (any import form or alias) of two or more
        awaitables, or of a starred iterable, without `return_exceptions=True`,
        awaited or not.

        Silent for a single awaitable; when an `except` or `finally` of a
        `try` around the gather cancels the gathered tasks; and for the
        cleanup step of the cancel-then-gather idiom (the gathered tasks were
        cancelled earlier in the function).
    """
    why_bad = """
        When one child of `gather` raises, `gather` raises that exception at
        once, but it does not cancel the other children: they keep running,
        unsupervised, after the caller has moved on (into its error handling,
        or out of the function). Their results and exceptions are lost, and
        whatever they hold (connections, locks) stays held. A connection pool
        whose start-up gathers connects leaks every connection that succeeded
        when one fails.
    """
    example = """
        import asyncio

        async def connect_all(hosts):
            return await asyncio.gather(*(connect(h) for h in hosts))
    """
    use_instead = """
        import asyncio

        async def connect_all(hosts):
            async with asyncio.TaskGroup() as tg:
                tasks = [tg.create_task(connect(h)) for h in hosts]
            return [t.result() for t in tasks]
    """
    fix_safety = """
        Unsafe (`--unsafe-fixes`). The gather becomes an
        `async with asyncio.TaskGroup() as tg:` block with one
        `tg.create_task(...)` per awaitable, and the results are rebuilt from
        `task.result()`: a tuple for tuple unpacking, the list `gather` returned
        for a single target or a `return`, a list of tasks for a starred
        comprehension, nothing for a discarded result. Tasks made earlier in the
        block (`tasks = [asyncio.create_task(...) ...]`, or just before a `try`
        that opens with the gather) are made in the group instead. Exceptions:
        the innermost `try` around the gather gets `except*` clauses (a handler
        that reads the exception gets it back with
        `exc = exc_group.exceptions[0]`, and a bare `raise` re-raises it);
        where there is no such `try`, or its handlers cannot be `except*` (a
        bare `except:`, a `return`/`break`/`continue`), the group is wrapped in
        `try: ... except* BaseException as exc_group: raise exc_group.exceptions[0]`
        so that the first failure reaches callers and handlers as itself, as
        it did from `gather` (with `fix-exception-groups = "keep"`, the
        `ExceptionGroup` propagates instead, and a `try` whose handlers cannot
        be `except*` withholds the fix). It is unsafe because the other awaitables are now
        cancelled when one fails, and an `except*` handler runs once per
        matching group of failures. Withheld, with the reason, when an
        awaitable is not known to be a coroutine (`create_task` needs one: a
        task, future or `session.get(...)` would fail), when the result is used
        inside a larger expression, and below Python 3.11.
    """

    def visit_Call(self, node: cst.Call) -> None:
        if not calls(node, self.analysis, GATHER) or return_exceptions(node) is not False:
            return
        if not gathers_several(node):
            return
        if children_cancelled_before(node, self.analysis) or enclosing_try_cancels(node, self.analysis):
            return
        self.report(node, f"{short_call(self.analysis.source(node.func))} leaves the others running when one fails; use a TaskGroup")
