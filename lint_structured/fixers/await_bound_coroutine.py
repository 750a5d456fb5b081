"""LSC302 fix: ``job = fetch()`` that is never used becomes ``job = await fetch()``.

Only when the name is used nowhere else in the function: a coroutine that is
awaited or passed on along some path is the author's to restructure (an
``await`` at the binding would break the later ``await job``). Unsafe: the
coroutine now runs there.
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers.base import Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.builders import enclosing_function, own_nodes
from lint_structured.model import Applicability
from lint_structured.rules import Report


def plan(ctx: FixContext, report: Report) -> Outcome:
    call = report.node
    binding = ctx.parent(call)
    if not (
        isinstance(binding, cst.Assign)
        and binding.value is call
        and len(binding.targets) == 1
        and isinstance(binding.targets[0].target, cst.Name)
    ):
        return Withheld("the coroutine is not bound by a plain `name = call(...)`; where it should run is the author's decision")
    name = binding.targets[0].target.value
    function = enclosing_function(ctx, call)
    if function is None or function.asynchronous is None:
        return Withheld("outside an `async def` the coroutine cannot be awaited")
    target = binding.targets[0].target
    if any(isinstance(n, cst.Name) and n.value == name and n is not target for n in own_nodes(function.body)):
        return Withheld(
            f"`{name}` is used elsewhere in the function; await it, or hand it to a TaskGroup, where it should run"
        )
    return Plan(
        Applicability.UNSAFE,
        f"await it where it is made: `{name} = await ...` (the coroutine then runs there)",
        lambda: Edit({call: cst.Await(expression=call)}),  # type: ignore[arg-type]
    )
