"""Predicates shared by the task-handle rules (LSC101-LSC103) and their fixers."""

from __future__ import annotations

from typing import Callable, Iterator, TypeVar

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis, SpawnInfo

T = TypeVar("T")

#: Task methods whose call alone does not keep the task referenced.
NON_KEEPING_METHODS = frozenset({"add_done_callback", "remove_done_callback", "set_name"})

#: Methods that end an object's life, in order of preference: where the object's tasks are cancelled.
CLOSING_METHODS = ("__aexit__", "aclose", "close", "stop", "shutdown", "disconnect")


def closing_method(cls: cst.CSTNode) -> str | None:
    """The name of the first ``CLOSING_METHODS`` method ``cls`` defines (async or not)."""
    body = getattr(cls, "body", None)
    defined = {s.name.value for s in getattr(body, "body", ()) if isinstance(s, cst.FunctionDef)}
    return next((name for name in CLOSING_METHODS if name in defined), None)


#: Callback registrars and the index of the callback argument; they discard what it returns.
CALLBACK_ARGUMENT = {
    "call_soon": 0,
    "call_soon_threadsafe": 0,
    "add_done_callback": 0,
    "call_later": 1,
    "call_at": 1,
    "add_signal_handler": 1,
    "add_reader": 1,
    "add_writer": 1,
}


def discarded_calls(
    expr: cst.BaseExpression,
    pick: Callable[[cst.Call], T | None],
    chained: frozenset[str] = frozenset(),
) -> Iterator[tuple[T, str]]:
    """Calls whose result is thrown away when ``expr`` is evaluated as a statement.

    ``pick`` says which calls matter (a spawn, a coroutine call). Yields
    ``(picked, how)`` with ``how`` one of ``"discarded"``, ``"chained"`` (only a
    chained method in ``chained``, such as ``.add_done_callback()``, sees the
    result) or ``"comprehension"`` (a list or set built and dropped).
    """
    if isinstance(expr, cst.Call):
        picked = pick(expr)
        if picked is not None:
            yield picked, "discarded"
            return
        func = expr.func
        # `spawn(...).add_done_callback(cb)`: only a method that neither keeps nor
        # consumes the result; `.result()` waits for it and `.cancel()` ends it.
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call) and func.attr.value in chained:
            inner = pick(func.value)
            if inner is not None:
                yield inner, "chained"
    elif isinstance(expr, cst.IfExp):
        yield from discarded_calls(expr.body, pick, chained)
        yield from discarded_calls(expr.orelse, pick, chained)
    elif isinstance(expr, cst.BooleanOperation):
        yield from discarded_calls(expr.left, pick, chained)
        yield from discarded_calls(expr.right, pick, chained)
    elif isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        for element in expr.elements:
            yield from discarded_calls(element.value, pick, chained)
    elif isinstance(expr, (cst.ListComp, cst.SetComp)):
        for picked, _ in discarded_calls(expr.elt, pick, chained):
            yield picked, "comprehension"
    elif isinstance(expr, cst.DictComp):
        for part in (expr.key, expr.value):
            for picked, _ in discarded_calls(part, pick, chained):
                yield picked, "comprehension"
    # A generator expression statement never runs its body; an awaited, yielded or
    # passed-on result is consumed; a walrus binding is a flow rule's business.


def discarded_spawns(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> Iterator[tuple[SpawnInfo, str]]:
    """Spawn calls whose task is thrown away when ``expr`` is evaluated as a statement."""
    return discarded_calls(expr, analysis.spawn_info, NON_KEEPING_METHODS)


def callback_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The callback passed to a registrar whose return value is ignored (``loop.call_soon(cb)``)."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    index = CALLBACK_ARGUMENT.get(func.attr.value)
    if index is None:
        return None
    positional = [arg for arg in call.args if arg.keyword is None and arg.star == ""]
    if len(positional) <= index:
        return None
    return positional[index].value


def first_call(expr: cst.BaseExpression, pick: Callable[[cst.Call], bool]) -> cst.Call | None:
    """The first picked call that ``expr`` evaluates to: the call itself, or one
    element of a list, tuple or set literal or comprehension of such calls."""
    if isinstance(expr, cst.Call):
        return expr if pick(expr) else None
    if isinstance(expr, (cst.ListComp, cst.SetComp)):
        return first_call(expr.elt, pick)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        for element in expr.elements:
            found = first_call(element.value, pick)
            if found is not None:
                return found
    return None


def spawn_origin(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.Call | None:
    """The first spawn call whose task ``expr`` evaluates to (a call, or a collection of calls).

    Spawns that escape a task group are LSC103's, so they are not returned.
    """

    def loose_in_no_group(call: cst.Call) -> bool:
        info = analysis.spawn_info(call)
        return info is not None and info.group is None

    return first_call(expr, loose_in_no_group)
