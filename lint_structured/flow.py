"""Path-sensitive "is this handle kept?" analysis over one function body.

A *tracked value* (a task handle, later a coroutine object or a pending set)
is bound to a local name. Walking the function's statements in order, the
analysis keeps, for every name, the set of tracked bindings that may be bound
to it and not yet kept. A binding is reported when, on at least one path:

* the function ends (falls off the end or returns) while it is still unkept:
  ``leaked``; or
* its name is re-bound (or deleted) while it is still unkept: ``overwritten``.

Any read of the name counts as keeping it (awaiting, cancelling, returning,
yielding, passing it to a call, storing it, comparing it, ...), except calls of
the ``non_keeping`` methods on it (``t.add_done_callback(cb)`` alone does not
keep a task alive). Reads inside nested functions count as keeping it.

Exceptional paths are treated optimistically, because a finding on clean code
costs more than a miss: a path that ends in ``raise`` is not reported, and an
``except`` handler starts from a state in which everything the ``try`` body
read is already kept.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable, Sequence

from lint_structured import nodes as cst
from lint_structured.flow_state import LEAKED, OVERWRITTEN, Effects, Ledger, State, Transfer, keep, merge
from lint_structured.syntax import is_forever_test, loaded_names, target_loads, target_names

__all__ = ["LEAKED", "OVERWRITTEN", "FlowReport", "HandleFlow", "State"]


@dataclasses.dataclass(frozen=True)
class FlowReport:
    origin: cst.CSTNode
    name: str
    reason: str  # LEAKED or OVERWRITTEN
    container: bool = False
    #: The call the value was handed to by ``transfer`` (``asyncio.wait``), if any.
    through: cst.Call | None = None


@dataclasses.dataclass
class _Loop:
    finally_depth: int  # how many `finally` blocks enclosed the loop itself
    breaks: list[State] = dataclasses.field(default_factory=list)
    continues: list[State] = dataclasses.field(default_factory=list)


def _block_body(node: cst.CSTNode | None) -> Sequence[cst.CSTNode]:
    if node is None:
        return ()
    body: Sequence[cst.CSTNode] | cst.CSTNode = getattr(node, "body", ())
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return body.body
    return body if isinstance(body, (tuple, list)) else ()


class HandleFlow:
    """Find tracked bindings that are not kept on some path to the end of a function.

    ``origin_of(expr)`` returns the node to report when ``expr`` creates a
    tracked value (for LSC102: the spawning call), else None. This class walks the
    function's control flow (branches, loops, ``try``/``finally``, ``return``,
    ``break``); what each simple statement does to the state is ``Effects``'.
    """

    def __init__(
        self,
        origin_of: Callable[[cst.BaseExpression], cst.CSTNode | None],
        non_keeping: Iterable[str] = (),
        *,
        transfer: Transfer | None = None,
        transfer_element: int | None = None,
        report_raise: bool = False,
        inspection_keeps: bool = True,
        walruses: bool = True,
        deletion_keeps: bool = False,
        inert_calls: frozenset[str] = frozenset(),
        source: Callable[[cst.CSTNode], str],
    ) -> None:
        """
        ``transfer(value)`` names a call that takes tracked values without
        keeping them and hands them back in its result: for ``done, pending =
        await asyncio.wait(tasks, ...)`` it returns the ``wait`` call and its
        ``tasks`` argument. The values stay bound to their own names and are
        also bound to the result (with ``transfer_element``, to that element of
        an unpacked result only); keeping either keeps them, and a report about
        them names the call (``FlowReport.through``).
        ``report_raise`` counts a path that ends by raising as an end of the
        function. Without ``inspection_keeps``, inspecting a value (a truth
        test, ``len()``, a comparison) does not keep it. ``walruses=False``
        says the function has none, and saves looking for them. With
        ``deletion_keeps``, ``del name`` keeps what the name held (in a plain
        ``def``, a task handle held across ``loop.run_forever()`` and then
        released on purpose; a deleted coroutine, on the other hand, never runs). ``source``
        gives an expression's code (``ModuleAnalysis.source``): guards are
        compared by their text. A name passed to one of ``inert_calls`` (builtins
        that only look at a value: ``type(coro)``) is not kept by it.
        """
        self.source = source
        self.report_raise = report_raise
        self.ledger = Ledger()
        self.effects = Effects(self.ledger, origin_of, non_keeping, transfer, transfer_element, inspection_keeps, walruses, deletion_keeps)
        self.effects.inert_calls = inert_calls
        self._finally: list[Sequence[cst.CSTNode]] = []
        self._loops: list[_Loop] = []
        self._in_finally = 0

    def analyse(self, function: cst.FunctionDef) -> list[FlowReport]:
        body = _block_body(function)
        for stmt in body:  # `global t` / `nonlocal t`: the name outlives the function
            for small in _block_body(stmt) if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, (cst.Global, cst.Nonlocal)):
                    self.ledger.untracked.update(n.name.value for n in small.names)
        end = self._block(body, {})
        if end is not None:
            self.ledger.exit(end)
        out = []
        for bid, reason in sorted(self.ledger.reports.items()):
            binding = self.ledger.bindings[bid]
            out.append(FlowReport(binding.origin, binding.name, reason, binding.container, self.ledger.through.get(bid)))
        return out

    def _block(self, statements: Sequence[cst.CSTNode], state: State | None) -> State | None:
        for stmt in statements:
            if state is None:
                return None
            state = self._statement(stmt, state)
        return state

    def _statement(self, stmt: cst.CSTNode, state: State) -> State | None:
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                after = self._small(small, state)
                if after is None:
                    return None
                state = after
            return state
        if isinstance(stmt, cst.If):
            return self._if(stmt, state)
        if isinstance(stmt, (cst.For, cst.While)):
            return self._loop(stmt, state)
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            return self._try(stmt, state)
        if isinstance(stmt, cst.With):
            for item in stmt.items:
                state = self.effects.expression(item.item, state)
                if item.asname is not None:
                    state = keep(state, self.effects.reads(*target_loads(item.asname.name)))
                    for name in target_names(item.asname.name):
                        state = self.ledger.bind(state, name, None)
            return self._block(_block_body(stmt.body), state)
        if isinstance(stmt, cst.Match):
            return self._match(stmt, state)
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            # Anything a nested function or class reads is kept (a closure may use it later).
            state = keep(state, self.effects.reads(stmt))
            return self.ledger.bind(state, stmt.name.value, None)
        return keep(state, self.effects.reads(stmt))

    def _small(self, small: cst.CSTNode, state: State) -> State | None:
        """A simple statement: ``return``, ``raise``, ``break`` and ``continue`` leave the
        path here; the others do what ``Effects.small`` says."""
        if isinstance(small, cst.Return):
            state = self.effects.expression(small.value, state)
            self._leave_function(state)
            return None
        if isinstance(small, cst.Raise):
            if self.report_raise:
                self._leave_function(self.effects.expression(small.exc, state))
            return None  # by default, an exceptional exit is not reported
        if isinstance(small, (cst.Break, cst.Continue)) and self._loops:
            loop = self._loops[-1]
            # Leaving a `try` on the way out of the loop body runs its `finally`.
            after = self._through_finally(state, loop.finally_depth)
            if after is not None:
                (loop.breaks if isinstance(small, cst.Break) else loop.continues).append(after)
            return None
        return self.effects.small(small, state)

    def _leave_function(self, state: State) -> None:
        # A return inside `try: ... finally:` runs the finally blocks first.
        after = self._through_finally(state, 0)
        if after is not None:
            self.ledger.exit(after)

    def _through_finally(self, state: State, depth: int) -> State | None:
        """Run the pending ``finally`` blocks above ``depth``, innermost first."""
        saved_finally, saved_loops = self._finally, self._loops
        current: State | None = state
        for index in range(len(saved_finally) - 1, depth - 1, -1):
            self._finally = saved_finally[:index]
            self._loops = [loop for loop in saved_loops if loop.finally_depth <= index]
            current = self._final(saved_finally[index], current)
            if current is None:
                break
        self._finally, self._loops = saved_finally, saved_loops
        return current

    def _if(self, stmt: cst.If, state: State) -> State | None:
        state = self.effects.expression(stmt.test, state, test=True)
        test = self.source(stmt.test)
        self.ledger.guards.append(test)
        body = self._block(_block_body(stmt.body), _refine(state, stmt.test, truthy=True, finished_sets=self.effects.finished_sets))
        self.ledger.guards.pop()
        # Correlated tests: a handle created under `if cond:` does not exist on the
        # path where a later `if cond:` is false (`if hb: t = spawn()` ... `if hb:
        # t.cancel()`), so that path cannot leak it.
        correlated = frozenset(
            bid for ids in state.values() for bid in ids if test in self.ledger.bindings[bid].guards
        )
        if correlated:
            state = {k: v - correlated for k, v in state.items() if v - correlated}
        state = _refine(state, stmt.test, truthy=False, finished_sets=self.effects.finished_sets)
        if isinstance(stmt.orelse, cst.If):
            orelse = self._if(stmt.orelse, state)
        elif isinstance(stmt.orelse, cst.Else):
            orelse = self._block(_block_body(stmt.orelse.body), state)
        elif self._in_finally and _is_state_check(stmt.test):
            # Cleanup in `finally` guarded by `if not loop.is_closed():` and the like:
            # the guard says whether cleaning up is possible, not whether it is wanted.
            # A comparison (`if attempt == last:`) is a decision, and gets no pass.
            orelse = keep(state, self.effects.reads(stmt.body))
        else:
            orelse = state
        return merge(body, orelse)

    def _loop(self, stmt: cst.For | cst.While, state: State) -> State | None:
        if isinstance(stmt, cst.For):
            state = self.effects.expression(stmt.iter, state)
        else:
            state = self.effects.expression(stmt.test, state)
        head: State | None = state
        loop = _Loop(len(self._finally))
        for _ in range(4):  # the sets only grow, so this converges quickly
            loop = _Loop(len(self._finally))
            self._loops.append(loop)
            entry = dict(head or {})
            if isinstance(stmt, cst.For):
                for name in target_names(stmt.target):
                    entry = self.ledger.bind(entry, name, None)
            else:
                entry = self.effects.expression(stmt.test, entry)
            out = self._block(_block_body(stmt.body), entry)
            self._loops.pop()
            new_head = merge(head, out, *loop.continues)
            if new_head == head:
                break
            head = new_head
        infinite = isinstance(stmt, cst.While) and is_forever_test(stmt.test)
        normal_exit = None if infinite else head
        if isinstance(stmt, cst.While) and normal_exit is not None:
            normal_exit = _refine(normal_exit, stmt.test, truthy=False)
        if stmt.orelse is not None and normal_exit is not None:
            normal_exit = self._block(_block_body(stmt.orelse.body), normal_exit)
        return merge(normal_exit, *loop.breaks)

    def _try(self, stmt: cst.Try | cst.TryStar, state: State) -> State | None:
        final_body = _block_body(stmt.finalbody.body) if stmt.finalbody is not None else None
        if final_body is not None:
            self._finally.append(final_body)
        body = _block_body(stmt.body)
        body_end: State | None = state
        midway: list[State] = []  # after each statement that another one follows
        for index, statement in enumerate(body):
            assert body_end is not None  # the loop stops at a None
            body_end = self._statement(statement, body_end)
            if body_end is None:
                break
            if index < len(body) - 1:
                midway.append(body_end)
        if stmt.orelse is not None and body_end is not None:
            body_end = self._block(_block_body(stmt.orelse.body), body_end)
        # A handler starts where the body may have raised: at its start, or after a
        # statement that another one follows. Optimistically, whatever the body reads
        # (`t = spawn(); await t` raising from the task) counts as kept.
        handler_entry = keep(merge(state, *midway) or {}, loaded_names(stmt.body))
        outs = [body_end]
        for handler in stmt.handlers:
            entry = keep(handler_entry, self.effects.reads(handler.type) if handler.type else set())
            if handler.name is not None:
                for name in target_names(handler.name.name):
                    entry = self.ledger.bind(entry, name, None)
            outs.append(self._block(_block_body(handler.body), entry))
        if final_body is not None:
            self._finally.pop()
        merged = merge(*outs)
        if final_body is None:
            return merged
        if merged is None:
            self._final(final_body, handler_entry)  # reads still matter for other paths
            return None
        return self._final(final_body, merged)

    def _final(self, final_body: Sequence[cst.CSTNode], state: State | None) -> State | None:
        self._in_finally += 1
        try:
            return self._block(final_body, state)
        finally:
            self._in_finally -= 1

    def _match(self, stmt: cst.Match, state: State) -> State | None:
        state = self.effects.expression(stmt.subject, state)
        outs = []
        exhaustive = False
        for case in stmt.cases:
            entry = keep(state, self.effects.reads(case.guard) if case.guard else set())
            outs.append(self._block(_block_body(case.body), entry))
            if case.guard is None and isinstance(case.pattern, cst.MatchAs) and case.pattern.pattern is None:
                exhaustive = True
        if not exhaustive:
            outs.append(state)
        return merge(*outs)


def _is_state_check(test: cst.BaseExpression) -> bool:
    """``loop.is_closed()``, ``self._running``, ``not x``, ``a and b`` of those: no comparison."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _is_state_check(test.expression)
    if isinstance(test, cst.BooleanOperation):
        return _is_state_check(test.left) and _is_state_check(test.right)
    return isinstance(test, (cst.Call, cst.Attribute, cst.Name))


def _refine(state: State, test: cst.BaseExpression, truthy: bool, finished_sets: Iterable[str] = ()) -> State:
    """What a truth test tells: where a tracked name is falsy, it holds nothing to keep.

    ``while pending:`` exits with ``pending`` empty; ``if not tasks: return``
    returns with ``tasks`` empty. (A task handle is never falsy, so for it the
    refined branch is dead anyway.) Where ``task.done()`` or ``task in done`` (a
    name of ``finished_sets``) holds, the task has finished: nothing to cancel.
    """
    if not state:
        return state
    empty: set[str] = set()
    finished = frozenset(finished_sets)

    def walk(expr: cst.BaseExpression, truthy: bool) -> None:
        if isinstance(expr, cst.Name) and not truthy:
            empty.add(expr.value)
        elif truthy and (finished_task := _finished_name(expr)) is not None:
            empty.add(finished_task)
        elif isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1 and isinstance(expr.left, cst.NamedExpr):
            # `(t := spawn()) is not None` false, `is None` true: t is None, holds no task.
            target, bound = expr.comparisons[0], expr.left.target
            if isinstance(bound, cst.Name) and isinstance(target.comparator, cst.Name) and target.comparator.value == "None":
                if isinstance(target.operator, cst.IsNot) and not truthy or isinstance(target.operator, cst.Is) and truthy:
                    empty.add(bound.value)
        elif isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1 and isinstance(expr.left, cst.Name):
            target = expr.comparisons[0]
            if isinstance(target.comparator, cst.Name) and target.comparator.value in finished:
                if isinstance(target.operator, cst.In) and truthy or isinstance(target.operator, cst.NotIn) and not truthy:
                    empty.add(expr.left.value)
        elif isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
            walk(expr.expression, not truthy)
        elif isinstance(expr, cst.BooleanOperation):
            # `a and b` true: both true. `a or b` false: both false.
            if isinstance(expr.operator, cst.And) and truthy or isinstance(expr.operator, cst.Or) and not truthy:
                walk(expr.left, truthy)
                walk(expr.right, truthy)

    walk(test, truthy)
    if not empty or not any(name in state for name in empty):
        return state
    dropped: frozenset[int] = frozenset().union(*(state.get(name, frozenset()) for name in empty))
    return {k: v - dropped for k, v in state.items() if v - dropped}


def _finished_name(expr: cst.BaseExpression) -> str | None:
    """``t`` of ``t.done()``."""
    if isinstance(expr, cst.Call) and not expr.args and isinstance(expr.func, cst.Attribute):
        if expr.func.attr.value == "done" and isinstance(expr.func.value, cst.Name):
            return expr.func.value.value
    return None
