"""Whether work goes on after a swallowed cancellation, for LSC401 and LSC402: a loop
that runs again, statements after the ``try``, a caller that awaits the function and
carries on. Otherwise the function, a task's own body, just ends.

These depend on the whole module (who awaits a function, who starts it as a task,
which ``self.x`` tasks the class cancels): ``saw_await`` and ``saw_call`` collect those
facts during the walk, and the questions are asked once it is over.
"""

from __future__ import annotations

from typing import Sequence

from lint_structured import nodes as cst
from lint_structured.analysis import Frame, ModuleAnalysis
from lint_structured.rules.base import CLOSE_CALLS
from lint_structured.rules.gather_wait import call_tail, ends_with_raise
from lint_structured.syntax import blocks_of, dotted_name, dotted_names_in, iter_nodes, statements_in


class WorkAfter:
    """What runs after a statement of an async function, read over the whole module."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self._tails: dict[cst.CSTNode, dict[cst.CSTNode, bool]] = {}
        #: Names awaited as calls in the module (``await f()``, ``await self.f()``): a function
        #: whose caller awaits it hands its swallowed cancellation to a caller that goes on.
        self.awaited: set[str] = set()
        #: ``self.x`` for every ``self.x.cancel()``: awaiting such a task later (``await self.x``
        #: in ``close()``) raises the CancelledError of *that* task.
        self.cancelled_attrs: set[str] = set()
        #: Functions the module starts as tasks (``create_task(self._run())``): their own bodies.
        self.spawned: set[str] = set()
        #: ``try``/``with``/loop statements after which the rest of their block always raises
        #: (filled by the rule, which knows how a block ends).
        self.followed_by_raise: set[cst.CSTNode] = set()

    def saw_await(self, node: cst.Await) -> None:
        if isinstance(node.expression, cst.Call):
            func = node.expression.func
            if isinstance(func, cst.Name):
                self.awaited.add(func.value)
            elif isinstance(func, cst.Attribute) and self.analysis.qualify(func) is None:
                # `await self.close()`, `await session.close()`; not `await other_module.f()`,
                # a function of another module that only shares the name.
                self.awaited.add(func.attr.value)

    def saw_call(self, node: cst.Call) -> None:
        func = node.func
        tail = call_tail(func)
        if tail not in _AWAITING_COMBINATORS:
            # `create_task(self._run())`, `start_pending_task(self._fetch(...))`: a coroutine
            # handed to another call is run as a task, its own body.
            for arg in node.args:
                if isinstance(arg.value, cst.Call):
                    body = arg.value.func
                    if isinstance(body, cst.Name):
                        self.spawned.add(body.value)
                    elif isinstance(body, cst.Attribute):
                        self.spawned.add(body.attr.value)
        if isinstance(func, cst.Attribute) and func.attr.value == "cancel":
            name = dotted_name(func.value)
            if name is not None and name.startswith("self."):
                self.cancelled_attrs.add(name)

    def goes_on(self, statement: cst.CSTNode, exits: set[str], frame: Frame) -> bool:
        """Whether work goes on after a swallowing handler of ``statement`` (a ``try`` or a
        ``suppress`` block) leaves it by ``exits`` ("fall", "return", "break", "continue"):
        a loop that runs again, statements after it, or a caller that awaits this
        function and carries on. Otherwise the function, the task's own body, just ends."""
        if "continue" in exits:
            return True
        function = frame.node
        tails = self._tail_positions(function)
        if "fall" in exits and not tails.get(statement, False):
            return True
        if "break" in exits:
            loop = self._loop_around(function, statement)
            if loop is None or not tails.get(loop, False):
                return True
        if frame.yields:
            return True  # an async generator that returns ends its consumer's `async for` normally
        if not isinstance(function, cst.FunctionDef):
            return False
        name = function.name.value
        if name in self.awaited:
            return True
        # A task's own body that returns a value ends the task; a function nobody here starts
        # or awaits, and that returns a value, hands its caller a result to go on with.
        return name not in self.spawned and _returns_a_value(function)

    def raised_after_its_loop(self, statement: cst.CSTNode, exits: set[str], frame: Frame) -> bool:
        """The swallow only holds the cancellation back: it sits in a loop (``while not
        task.done(): with suppress(CancelledError): await shield(task)``) that is followed,
        once it ends, by a ``raise``."""
        if "return" in exits:
            return False
        loop = self._loop_around(frame.node, statement)
        if loop is not None and loop in self.followed_by_raise:
            return True
        # ... or inside the handler of an outer `except CancelledError:` that ends with `raise`:
        # the inner swallows only hold back repeated cancellations until the work is done.
        for node in iter_nodes(frame.node, prune=(cst.Lambda, cst.ClassDef)):
            if isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)) and node.body is not statement:
                inside = any(inner is statement for inner in iter_nodes(node.body, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)))
                if inside and ends_with_raise(node.body):
                    return True
        return False

    def not_all_cancelled(self, awaited: list[cst.BaseExpression], cancelled: frozenset[str]) -> bool:
        """Not every await is of a task cancelled first, here or (``self.x``) by the class."""
        if not awaited:
            return True
        cancelled = cancelled | self.cancelled_attrs
        return not all(dotted_names_in(expr) & cancelled for expr in awaited)

    def _tail_positions(self, function: cst.CSTNode) -> dict[cst.CSTNode, bool]:
        """For each statement of ``function``: whether the function ends (nothing but
        ``pass``/``return`` runs) once that statement completes."""
        cached = self._tails.get(function)
        if cached is None:
            cached = self._tails[function] = {}
            _mark_tails(statements_in(getattr(function, "body", function)), True, cached)
        return cached

    def _loop_around(self, function: cst.CSTNode, statement: cst.CSTNode) -> cst.CSTNode | None:
        """The innermost ``for``/``while`` of ``function`` whose body holds ``statement``."""
        found = None
        for node in iter_nodes(function, prune=(cst.Lambda, cst.ClassDef)):
            if isinstance(node, (cst.For, cst.While)) and node is not statement:
                if any(inner is statement for inner in iter_nodes(node.body, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef))):
                    found = node  # iter_nodes goes outside in: the last one found is the innermost
        return found


def _returns_a_value(function: cst.FunctionDef) -> bool:
    """A ``return <value>`` in the function's own code: its callers await it for a result,
    and go on with whatever a swallowing handler hands them."""
    for node in iter_nodes(function.body, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if isinstance(node, cst.Return) and node.value is not None and not (isinstance(node.value, cst.Name) and node.value.value == "None"):
            return True
    return False


#: Calls that await the coroutines they are given for their caller (not tasks of their own).
_AWAITING_COMBINATORS = frozenset({"wait_for", "shield", "gather", "wait", "as_completed"})
#: Calls that clean up or report, not work: after a swallow, a task that makes only these ends.
_CLEANUP_CALLS = CLOSE_CALLS | frozenset(
    {
        "cancel", "abort", "set", "clear", "discard", "remove", "pop",
        "set_result", "set_exception", "wait_closed", "unlink", "join", "notify_all",
        "debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print", "print_exc",
    }
)  # fmt: skip


def _is_trivial(statement: cst.CSTNode) -> bool:
    """Nothing that carries on working: ``pass``, a ``return`` of nothing, a name or a
    constant, and cleanup (closing, cancelling, setting an event or a future's result,
    logging, resetting a name), also under an ``if`` or a ``try``."""
    if isinstance(statement, cst.SimpleStatementLine):
        return all(_is_trivial_small(small) for small in statement.body)
    if isinstance(statement, (cst.If, cst.Try)):
        final = statement.finalbody if isinstance(statement, cst.Try) else None
        blocks = blocks_of(statement) + ([final] if final is not None else [])
        return all(_is_trivial(inner) for block in blocks for inner in statements_in(block))
    return False


def _is_trivial_small(small: cst.CSTNode) -> bool:
    if isinstance(small, (cst.Pass, cst.Del)):
        return True
    if isinstance(small, cst.Return):
        return small.value is None or isinstance(small.value, (cst.Name, cst.Integer, cst.SimpleString))
    if isinstance(small, cst.Assign):
        return isinstance(small.value, (cst.Name, cst.Integer, cst.SimpleString)) and (
            not isinstance(small.value, cst.Name) or small.value.value in ("None", "True", "False")
        )
    if isinstance(small, cst.Expr):
        value = small.value.expression if isinstance(small.value, cst.Await) else small.value
        if isinstance(value, cst.Call):
            func = value.func
            tail = call_tail(func)
            return tail in _CLEANUP_CALLS
    return False


def _mark_tails(statements: Sequence[cst.CSTNode], ends: bool, tails: dict[cst.CSTNode, bool]) -> None:
    """Mark in ``tails`` whether the function ends once each statement completes; ``ends``
    says whether it does once ``statements`` complete."""
    rest_trivial = True
    for statement in reversed(list(statements)):
        tail = ends and rest_trivial
        tails[statement] = tail
        if isinstance(statement, (cst.For, cst.While)):
            _mark_tails(statements_in(statement.body), False, tails)  # the loop runs again
            if statement.orelse is not None:
                _mark_tails(statements_in(statement.orelse.body), tail, tails)
        elif not isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite, cst.FunctionDef, cst.ClassDef)):
            for block in blocks_of(statement):
                _mark_tails(statements_in(block), tail, tails)
            final = getattr(statement, "finalbody", None)
            if final is not None:
                _mark_tails(statements_in(final.body), tail, tails)
        rest_trivial = rest_trivial and _is_trivial(statement)
