"""LSC101 / LSC102 fix: decide who should own a runaway task, and fix toward that owner.

A dropped or unused task handle says the caller did not wait for the task.
The fix keeps that decision unless the code shows the caller must wait:

- **the function** owns the task when the task uses a resource the function
  closes at the end of a ``with`` block (or in a ``finally``) around the
  spawn, or fills a container the function made and reads after the spawn
  (and does not hand to its caller, who would read it later):
  the task then moves into a TaskGroup that the function waits for
  (``spawn_in_group``; unsafe: the function now waits);
- **an object** owns it when the spawn is in a method of a class with an async
  ``close``/``aclose``/``stop``/``shutdown``/``disconnect``/``__aexit__``: the
  task is kept in a set on the object and that method cancels and waits for
  it (``keep_reference``; unsafe: closing now stops the work);
- **the function, as a stopper**, owns an endless worker it feeds through
  objects it made and then waits for (``await queue.join()``): the task is
  kept in a set made in the function and cancelled when it returns
  (``keep_reference.plan_local``; unsafe: the workers now stop);
- **the application** owns it otherwise: sync code (a callback, a signal
  handler, ``__init__``), an endless or delayed worker, a spawn under a
  ``wait=False``-style flag, or a plain fire-and-forget: the task is kept in a
  module-level set until it is done and its failure is logged, the CPython
  documentation's idiom (``keep_reference``; safe: timing does not change).

When the code shows the caller must wait but a task group cannot be written
correctly there, the fix is withheld with the reason.
"""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from lint_structured.fixers import keep_reference, spawn_in_group
from lint_structured.fixers.base import CstReport, FixContext, Outcome, Withheld
from lint_structured.fixers.builders import enclosing_function, enclosing_statement, nodes_in_order, outermost_loop, own_nodes
from lint_structured.rules.base import CLOSE_CALLS
from lint_structured.syntax import is_fresh_container



def plan(ctx: FixContext, report: CstReport) -> Outcome:
    info = ctx.analysis.spawn_info(report.node)
    if info is None:
        return keep_reference.plan_callback(ctx, report)
    function = enclosing_function(ctx, info.call)
    if report.code == "LSC102":
        statement = enclosing_statement(ctx, info.call)
        if not isinstance(statement, Withheld) and spawn_in_group.kept_on_purpose(statement):
            return Withheld(
                "a comment says the handle is kept on purpose (a reference, or a `# noqa` for the unused name): "
                "decide by hand who keeps the task (a set, an attribute) and who stops it"
            )
    # An endless or delayed worker is never the function's to wait for: a group would hang.
    if function is not None and function.asynchronous is not None and spawn_in_group.background_coroutine(ctx, info.call) is None:
        why, filled = must_wait(ctx, info.call, function)
        if why is not None:
            outcome = spawn_in_group.plan(ctx, report, stop_before=filled)
            if isinstance(outcome, Withheld):
                return Withheld(f"{why}, so the function should wait for it, but {outcome.reason}")
            return outcome
    if function is not None and function.asynchronous is not None and done_with_workers(ctx, info.call, function):
        local = keep_reference.plan_local(ctx, info, function)
        if local is not None:
            return local
    return keep_reference.plan(ctx, info, report)


def done_with_workers(ctx: FixContext, spawn: cst.Call, function: cst.FunctionDef) -> bool:
    """An endless worker the function feeds through objects of its own and then waits
    for (``queue = asyncio.Queue()``, consumers of ``queue``, ``await queue.join()``):
    once the function returns, nothing can reach the worker any more, so the function
    should stop it (the ``asyncio.Queue`` documentation's pattern)."""
    if not spawn_in_group.runs_forever(ctx, spawn):
        return False
    args = [a.value for a in spawn.args if a.keyword is None]
    coro = args[0] if args else None
    if not isinstance(coro, cst.Call) or not isinstance(coro.func, cst.Name):
        return False  # `self._worker()`: the object's, not the function's
    own = _fresh_objects(ctx, function)
    direct = [a.value.value for a in coro.args if isinstance(a.value, cst.Name)]
    if not direct or any(name not in own or _escapes(function, name) for name in direct):
        return False
    for node in own_nodes(function.body):
        if (
            isinstance(node, cst.Await)
            and isinstance(node.expression, cst.Call)
            and isinstance(node.expression.func, cst.Attribute)
            and node.expression.func.attr.value == "join"
            and isinstance(node.expression.func.value, cst.Name)
            and node.expression.func.value.value in own
        ):
            return True
    return False


def _fresh_objects(ctx: FixContext, function: cst.FunctionDef) -> set[str]:
    """Local names bound (once) to a new object: an empty container, or a class called
    with no arguments (``asyncio.Queue()``, ``Event()``)."""
    found: dict[str, int] = {}
    fresh: set[str] = set()
    for node in own_nodes(function.body):
        if not isinstance(node, cst.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0].target, node.value
        pairs: list[tuple[cst.BaseExpression, cst.BaseExpression]] = [(target, value)]
        if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements):
            pairs = [(t.value, v.value) for t, v in zip(target.elements, value.elements)]  # `a, b = [], []`
        for name_node, made in pairs:
            if not isinstance(name_node, cst.Name):
                continue
            name = name_node.value
            found[name] = found.get(name, 0) + 1
            if is_fresh_container(made):
                fresh.add(name)
            elif isinstance(made, cst.Call) and not made.args:
                callee = made.func.attr.value if isinstance(made.func, cst.Attribute) else made.func.value if isinstance(made.func, cst.Name) else ""
                if callee[:1].isupper():
                    fresh.add(name)
    return {name for name in fresh if found[name] == 1}


def must_wait(ctx: FixContext, spawn: cst.Call, function: cst.FunctionDef) -> tuple[str | None, frozenset[str]]:
    """Why the function that makes ``spawn`` must wait for the task, if the code says so,
    and the containers the task fills that the function reads later."""
    used = {n.value for arg in spawn.args for n in _names(arg.value)} - {"self", "cls"}
    if not used:
        return None, frozenset()
    for parent in ctx.ancestors(spawn, until=function):
        if isinstance(parent, cst.With):
            for item in parent.items:
                # `with open(p) as f:` closes `f`; `async with session:` closes `session`.
                bound = item.asname.name if item.asname is not None else item.item
                if isinstance(bound, cst.Name) and bound.value in used:
                    return f"the task uses `{bound.value}`, which the `with` block around it closes", frozenset()
        if isinstance(parent, cst.Try) and parent.finalbody is not None:
            for node in own_nodes(parent.finalbody):
                if (
                    isinstance(node, cst.Call)
                    and isinstance(node.func, cst.Attribute)
                    and node.func.attr.value in CLOSE_CALLS
                    and isinstance(node.func.value, cst.Name)
                    and node.func.value.value in used
                ):
                    return f"the task uses `{node.func.value.value}`, which the `finally` around it closes", frozenset()
    containers = {c for c in _fresh_containers(function) & used if not _escapes(function, c)}
    if containers:
        anchor = outermost_loop(ctx, spawn, function) or spawn
        read = _read_after(function, anchor, containers)
        if read is not None:
            return f"the task fills `{read}`, which the function reads after starting it", frozenset(containers)
    return None, frozenset()


def _escapes(function: cst.FunctionDef, name: str) -> bool:
    """Whether the container leaves the function (returned, yielded, stored on an attribute
    or in a container): then whoever gets it reads it later, as the tasks fill it."""
    for node in own_nodes(function.body):
        if isinstance(node, (cst.Return, cst.Yield)) and node.value is not None:
            value = node.value
            handed = [e.value for e in value.elements] if isinstance(value, (cst.Tuple, cst.List)) else [value]
            if any(isinstance(v, cst.Name) and v.value == name for v in handed):
                return True
        if isinstance(node, cst.Assign) and any(not isinstance(t.target, cst.Name) for t in node.targets):
            if isinstance(node.value, cst.Name) and node.value.value == name:
                return True
    return False


def _names(node: cst.CSTNode) -> Iterator[cst.Name]:
    for child in own_nodes(node):
        if isinstance(child, cst.Name):
            yield child


def _fresh_containers(function: cst.FunctionDef) -> set[str]:
    """Local names bound to a new empty container: ``x = []``, ``{}``, ``set()``, ``deque()``..."""
    found: set[str] = set()
    for node in own_nodes(function.body):
        if not isinstance(node, (cst.Assign, cst.AnnAssign)) or node.value is None:
            continue
        if not is_fresh_container(node.value):
            continue
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        found.update(t.value for t in targets if isinstance(t, cst.Name))
    return found


def _read_after(function: cst.FunctionDef, anchor: cst.CSTNode, names: set[str]) -> str | None:
    """One of ``names`` used in ``function`` after ``anchor`` ends (source order)."""
    inside = {id(n) for n in nodes_in_order(anchor)}
    seen = False
    for node in nodes_in_order(function.body):
        if id(node) in inside:
            seen = True
            continue
        if seen and isinstance(node, cst.Name) and node.value in names:
            return node.value
    return None
