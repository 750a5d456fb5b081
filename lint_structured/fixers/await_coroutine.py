"""LSC301 fix: ``await`` the coroutine where it is called, inside an ``async def``.

Unsafe: the coroutine now runs, before the function goes on.
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers.base import Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.builders import enclosing_function
from lint_structured.model import Applicability
from lint_structured.rules import Report


def plan(ctx: FixContext, report: Report) -> Outcome:
    call = report.node
    if not isinstance(ctx.parent(call), cst.Expr):
        return Withheld("the call is not a statement of its own (a comprehension, a callback or a chained call)")
    function = enclosing_function(ctx, call)
    if function is None or function.asynchronous is None:
        return Withheld("outside an `async def` the coroutine cannot be awaited")
    return Plan(
        Applicability.UNSAFE,
        "add `await` (the coroutine then runs before the function goes on)",
        lambda: Edit({call: cst.Await(expression=call)}),  # type: ignore[arg-type]
    )
