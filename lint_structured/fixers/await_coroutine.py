"""LSC301 fix: ``await`` the coroutine where it is called, inside an ``async def``.

Unsafe: the coroutine now runs, before the function goes on. In a lambda the
event loop calls (``loop.call_soon(lambda: save())``), where no ``await`` can
stand, the coroutine becomes a task the loop starts, kept by the
keep-reference helper (unsafe too: it now runs).
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers import keep_reference
from lint_structured.fixers.base import CstReport, Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.builders import enclosing_function
from lint_structured.model import Applicability
from lint_structured.rules.task_handles import CALLBACK_ARGUMENT, callback_argument


#: Event-loop methods whose callback runs in the running loop (a future's done-callback
#: may run in another thread: a ``concurrent.futures.Future``'s).
_LOOP_REGISTRARS = frozenset(CALLBACK_ARGUMENT) - {"add_done_callback"}


def plan(ctx: FixContext, report: CstReport) -> Outcome:
    call = report.node
    if not isinstance(call, cst.Call):
        return Withheld("the reported code is not a call")
    parent = ctx.parent(call)
    if isinstance(parent, cst.Lambda) and parent.body is call and _loop_callback(ctx, parent):
        return keep_reference.plan_run_in_background(ctx, call)
    if not isinstance(parent, cst.Expr):
        return Withheld("the call is not a statement of its own (a comprehension, a callback or a chained call)")
    function = enclosing_function(ctx, call)
    if function is None or function.asynchronous is None:
        return Withheld("outside an `async def` the coroutine cannot be awaited")
    return Plan(
        Applicability.UNSAFE,
        "add `await` (the coroutine then runs before the function goes on)",
        lambda: Edit({call: cst.Await(expression=call)}),
    )


def _loop_callback(ctx: FixContext, function: cst.Lambda) -> bool:
    """Whether the lambda is the callback of ``loop.call_soon(...)`` and the like."""
    arg = ctx.parent(function)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value in _LOOP_REGISTRARS):
        return False
    light_call, light_function = ctx.light(call), ctx.light(function)
    return light_call is not None and light_function is not None and callback_argument(light_call) is light_function
