"""Predicates shared by the gather, wait and cancellation rules (LSC2xx, LSC401, LSC501)."""

from __future__ import annotations

from typing import Sequence

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis
from lint_structured.syntax import dotted_name, dotted_names_in, iter_nodes, iterated_collection

GATHER = frozenset({"asyncio.gather", "asyncio.tasks.gather"})
WAIT = frozenset({"asyncio.wait", "asyncio.tasks.wait"})
WAIT_FOR = frozenset({"asyncio.wait_for", "asyncio.tasks.wait_for"})
FIRST_DONE = frozenset(
    {
        "asyncio.FIRST_COMPLETED",
        "asyncio.FIRST_EXCEPTION",
        "asyncio.tasks.FIRST_COMPLETED",
        "asyncio.tasks.FIRST_EXCEPTION",
        "concurrent.futures.FIRST_COMPLETED",
        "concurrent.futures.FIRST_EXCEPTION",
    }
)
CANCELLED_ERRORS = frozenset({"asyncio.CancelledError", "asyncio.exceptions.CancelledError"})
#: Context managers that never wait on entering or leaving, and cancel what they hold on expiry.
TIMEOUTS = frozenset({"asyncio.timeout", "asyncio.timeout_at", "asyncio.timeouts.timeout", "asyncio.timeouts.timeout_at"})


def call_tail(func: cst.BaseExpression) -> str:
    """The last name of a callee: ``create_task`` for ``loop.create_task``; "" for others."""
    return func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""


def ends_with_raise(block: cst.CSTNode) -> bool:
    """The block's last statement raises (a handler that re-raises)."""
    body: Sequence[cst.CSTNode] = getattr(block, "body", ())
    return bool(body) and isinstance(body[-1], cst.SimpleStatementLine) and any(isinstance(s, cst.Raise) for s in body[-1].body)


def calls(call: cst.Call, analysis: ModuleAnalysis, names: frozenset[str]) -> bool:
    """Whether ``call`` calls one of the qualified ``names`` (through any import alias)."""
    return analysis.qualify(call.func) in names


def keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def is_literal(expr: cst.BaseExpression | None, value: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == value


def return_exceptions(call: cst.Call) -> bool | None:
    """``return_exceptions=`` of a gather: True, False (also when absent) or None (unknown)."""
    value = keyword(call, "return_exceptions")
    if value is None or is_literal(value, "False"):
        return False
    if is_literal(value, "True"):
        return True
    return None


def gathers_several(call: cst.Call) -> bool:
    """Two or more awaitables, or a starred iterable (``gather(*coros)``)."""
    positional = [arg for arg in call.args if arg.keyword is None]
    return any(arg.star == "*" for arg in positional) or len(positional) >= 2


def unawait(expr: cst.CSTNode) -> cst.CSTNode:
    """The awaited expression of ``await x``; anything else as it is."""
    return expr.expression if isinstance(expr, cst.Await) else expr


def children_cancelled_before(call: cst.Call, analysis: ModuleAnalysis) -> bool:
    """The cancel-then-gather idiom: the gathered tasks were cancelled earlier in the function."""
    cancelled = analysis.frame.cancelled
    if not cancelled:
        return False
    return any(dotted_names_in(arg.value) & cancelled for arg in call.args if arg.keyword is None)


def enclosing_try_cancels(call: cst.Call, analysis: ModuleAnalysis) -> bool:
    """An ``except``/``finally`` of a ``try`` around ``call`` cancels the gathered children."""
    children: set[str] = set()
    for arg in call.args:
        if arg.keyword is None:
            children |= dotted_names_in(arg.value)
    if not children:
        return False
    for try_node in analysis.frame.try_bodies:
        cleanup: list[cst.CSTNode] = [handler.body for handler in try_node.handlers]
        if try_node.finalbody is not None:
            cleanup.append(try_node.finalbody)
        if any(cancelled_in(block) & children for block in cleanup):
            return True
    return False


def cancelled_in(block: cst.CSTNode) -> set[str]:
    """What ``block`` cancels: ``t.cancel()`` gives "t", ``for t in ts: t.cancel()`` gives
    "ts", and a helper whose name says it cancels (``cancel_all(ts)``) gives its arguments."""
    found: set[str] = set()
    for node in iter_nodes(block):
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "cancel":
                receiver = dotted_name(func.value)
                if receiver:
                    found.add(receiver)
            else:
                name = call_tail(func)
                if "cancel" in name.lower():
                    for arg in node.args:
                        found |= dotted_names_in(arg.value)
        elif isinstance(node, cst.For) and isinstance(node.target, cst.Name):
            if node.target.value in cancelled_in(node.body):
                collection = iterated_collection(node.iter)
                if collection:
                    found.add(collection)
    return found


def leaves_pending(call: cst.Call, analysis: ModuleAnalysis) -> bool:
    """``asyncio.wait`` that can return with tasks still pending: FIRST_* or a timeout."""
    when = keyword(call, "return_when")
    if when is not None and analysis.qualify(when) in FIRST_DONE:
        return True
    timeout = keyword(call, "timeout")
    return timeout is not None and not is_literal(timeout, "None")


def module_functions(module: cst.Module) -> list[cst.FunctionDef]:
    """The module's functions and the methods of its classes (not nested functions)."""
    found = []
    pending: list[cst.CSTNode] = list(module.body)
    while pending:
        node = pending.pop()
        if isinstance(node, cst.ClassDef):
            pending.extend(node.body.body)
        elif isinstance(node, cst.FunctionDef):
            found.append(node)
        elif isinstance(node, (cst.If, cst.Try)):  # `if TYPE_CHECKING:`, `try: ... except ImportError:`
            pending.extend(getattr(node.body, "body", ()))
    return found
