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
from typing import Callable, Iterable, Iterator, Sequence

from lint_structured import nodes as cst
from lint_structured.syntax import child_nodes, is_forever_test

#: name -> the ids of the bindings that name may hold, not kept yet.
State = dict[str, frozenset[int]]

LEAKED = "leaked"
OVERWRITTEN = "overwritten"


#: Methods that put a value into a fresh local container, and the argument they store.
CONTAINER_ADDERS = {"append": 0, "add": 0, "appendleft": 0, "extend": 0, "insert": 1}
_FRESH_CONTAINER_CALLS = frozenset({"list", "set", "dict", "deque", "collections.deque"})


@dataclasses.dataclass(frozen=True)
class Binding:
    origin: cst.CSTNode  # the node to report (the spawning call)
    name: str
    container: bool = False  # stored into a fresh local container named ``name``
    guards: frozenset[str] = frozenset()  # source of the `if` tests it was created under


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


def _merge(*states: State | None) -> State | None:
    live = [s for s in states if s is not None]
    if not live:
        return None
    if len(live) == 1:
        return dict(live[0])
    out: dict[str, frozenset[int]] = {}
    for state in live:
        for name, ids in state.items():
            out[name] = out.get(name, frozenset()) | ids
    return {k: v for k, v in out.items() if v}


def _block_body(node: cst.CSTNode | None) -> Sequence[cst.CSTNode]:
    if node is None:
        return ()
    body: Sequence[cst.CSTNode] | cst.CSTNode = getattr(node, "body", ())
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return body.body
    return body if isinstance(body, (tuple, list)) else ()


def _target_names(target: cst.CSTNode) -> Iterator[str]:
    """Names a target binds (``a``, ``a, *b``); attribute and subscript targets bind none."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


def _target_loads(target: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The parts of a target that are *read*: ``obj`` in ``obj.attr = ...``."""
    if isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_loads(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_loads(target.value)
    elif not isinstance(target, cst.Name):
        yield target


class HandleFlow:
    """Find tracked bindings that are not kept on some path to the end of a function.

    ``origin_of(expr)`` returns the node to report when ``expr`` creates a
    tracked value (for LSC102: the spawning call), else None.
    """

    def __init__(
        self,
        origin_of: Callable[[cst.BaseExpression], cst.CSTNode | None],
        non_keeping: Iterable[str] = (),
        *,
        transfer: Callable[[cst.BaseExpression], tuple[cst.Call, list[cst.BaseExpression]] | None] | None = None,
        transfer_element: int | None = None,
        report_raise: bool = False,
        inspection_keeps: bool = True,
        walruses: bool = True,
        deletion_keeps: bool = False,
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
        compared by their text.
        """
        self.source = source
        self.walruses = walruses
        self.origin_of = origin_of
        self.transfer = transfer
        self.transfer_element = transfer_element
        self._through: dict[int, cst.Call] = {}
        self.report_raise = report_raise
        self.inspection_keeps = inspection_keeps
        self.deletion_keeps = deletion_keeps
        self.non_keeping = frozenset(non_keeping)
        self.bindings: list[Binding] = []
        self.reports: dict[int, str] = {}
        self._finally: list[Sequence[cst.CSTNode]] = []
        self._loops: list[_Loop] = []
        self._untracked: set[str] = set()
        # Local names last bound to a fresh, empty container (`tasks = []`).
        self._containers: set[str] = set()
        # The `if` tests enclosing the statement being analysed, as source text.
        self._guards: list[str] = []
        self._in_finally = 0
        # Names bound to the other elements of a transfer's result: `done` of `done,
        # pending = await asyncio.wait(...)`. A task tested to be `in done` has finished.
        self._finished_sets: set[str] = set()

    # ------------------------------------------------------------------ entry
    def analyse(self, function: cst.FunctionDef) -> list[FlowReport]:
        body = _block_body(function)
        for stmt in body:  # `global t` / `nonlocal t`: the name outlives the function
            for small in _block_body(stmt) if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, (cst.Global, cst.Nonlocal)):
                    self._untracked.update(n.name.value for n in small.names)
        end = self._block(body, {})
        if end is not None:
            self._exit(end)
        out = []
        for bid, reason in sorted(self.reports.items()):
            binding = self.bindings[bid]
            out.append(FlowReport(binding.origin, binding.name, reason, binding.container, self._through.get(bid)))
        return out

    # ------------------------------------------------------------- primitives
    def _report(self, ids: Iterable[int], reason: str) -> None:
        for bid in ids:
            # Overwritten is the more precise explanation; keep it if both apply.
            if self.reports.get(bid) != OVERWRITTEN:
                self.reports[bid] = reason

    def _exit(self, state: State) -> None:
        for ids in state.values():
            self._report(ids, LEAKED)

    def _keep(self, state: State, names: set[str]) -> State:
        if not state or not names:
            return state
        killed: frozenset[int] = frozenset()
        for name in names:
            killed |= state.get(name, frozenset())
        if not killed:
            return state
        return {k: v - killed for k, v in state.items() if v - killed}

    def _bind(self, state: State, name: str, origin: cst.CSTNode | None) -> State:
        state = dict(state)
        old = state.pop(name, frozenset())
        if old:
            still_held = frozenset().union(*state.values()) if state else frozenset()
            self._report(old - still_held, OVERWRITTEN)
        if origin is not None and name not in self._untracked:
            bid = self._new_binding(origin, name)
            state[name] = frozenset({bid})
        return state

    def _new_binding(self, origin: cst.CSTNode, name: str, container: bool = False) -> int:
        # A loop body is analysed more than once; reuse the binding of the same site.
        for bid, binding in enumerate(self.bindings):
            if binding.origin is origin and binding.name == name:
                return bid
        self.bindings.append(Binding(origin, name, container, frozenset(self._guards)))
        return len(self.bindings) - 1

    def _store(self, state: State, container: str, origin: cst.CSTNode) -> State:
        """A tracked value put into a fresh local container: kept only if the container is."""
        if container in self._untracked:
            return state
        state = dict(state)
        state[container] = state.get(container, frozenset()) | {self._new_binding(origin, container, True)}
        return state

    def _transfer(self, value: cst.BaseExpression, state: State) -> tuple[State, frozenset[int]] | None:
        """Hand the tracked values in a transferring call's arguments to its result."""
        found = self.transfer(value) if self.transfer is not None else None
        if found is None:
            return None
        call, taken = found
        others = [arg.value for arg in call.args if not any(arg.value is t for t in taken)]
        state = self._keep(state, self._reads(call.func, *others))
        ids: frozenset[int] = frozenset()
        for arg in taken:
            for name in self._reads(arg):
                ids |= state.get(name, frozenset())
            origin = None if isinstance(arg, cst.Name) else self.origin_of(arg)
            if origin is not None:  # spawned right in the argument: only the result holds it
                ids |= {self._new_binding(origin, "")}
        for bid in ids:
            self._through[bid] = call
        return state, ids

    def _bind_ids(self, state: State, name: str, ids: frozenset[int]) -> State:
        """Bind ``name`` to values that may be held by other names too."""
        state = dict(state)
        old = state.pop(name, frozenset())
        if ids and name not in self._untracked:
            state[name] = ids
        if old:
            held = frozenset().union(*state.values()) if state else frozenset()
            self._report(old - held, OVERWRITTEN)
        return state

    def _orphans(self, state: State, ids: frozenset[int]) -> None:
        """Values no name holds any more are lost on the spot."""
        held = frozenset().union(*state.values()) if state else frozenset()
        self._report(ids - held, LEAKED)

    def _container_store(self, small: cst.CSTNode, state: State) -> State | None:
        """``tasks.append(x)`` / ``tasks[k] = x`` on a fresh local container, else None."""
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            func = call.func
            if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
                return None
            index = CONTAINER_ADDERS.get(func.attr.value)
            if index is None or func.value.value not in self._containers:
                return None
            state = self._keep(state, self._reads(*(arg.value for arg in call.args)))
            positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
            origin = self.origin_of(positional[index]) if len(positional) > index else None
            return self._store(state, func.value.value, origin) if origin is not None else state
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            if not (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name)):
                return None
            if target.value.value not in self._containers:
                return None
            origin = self.origin_of(small.value)
            if origin is None:
                return None
            state = self._keep(state, self._reads(small.value, *target.slice))
            return self._store(state, target.value.value, origin)
        return None

    # ------------------------------------------------------------------ reads
    def _reads(self, *nodes: cst.CSTNode | None) -> set[str]:
        """Every name read in ``nodes`` that keeps a handle (see the module docstring)."""
        found: set[str] = set()
        stack = [n for n in nodes if n is not None]
        inspect = not self.inspection_keeps
        while stack:
            node = stack.pop()
            if isinstance(node, cst.Name):
                found.add(node.value)
            elif inspect and isinstance(node, cst.Comparison):
                # `pending == set()`, `t in pending`: looked at, not kept.
                parts = [node.left, *(c.comparator for c in node.comparisons)]
                stack.extend(p for p in parts if not isinstance(p, cst.Name))
            elif inspect and isinstance(node, cst.UnaryOperation) and isinstance(node.expression, cst.Name):
                pass  # `not pending`
            elif inspect and isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("len", "bool"):
                stack.extend(a.value for a in node.args if not isinstance(a.value, cst.Name))
            elif isinstance(node, cst.Attribute):
                stack.append(node.value)  # `.attr` is a Name node but not a read
            elif isinstance(node, cst.Arg):
                stack.append(node.value)  # skip the keyword's Name
            elif isinstance(node, cst.Call) and (
                isinstance(node.func, cst.Attribute)
                and node.func.attr.value in self.non_keeping
                and isinstance(node.func.value, cst.Name)
            ):
                stack.extend(arg.value for arg in node.args)
            else:
                stack.extend(child_nodes(node))
        return found

    def _expression(self, expr: cst.CSTNode | None, state: State, test: bool = False) -> State:
        """Apply the reads of an expression, and the walrus bindings inside it."""
        if expr is None:
            return state
        if test and not self.inspection_keeps and isinstance(expr, cst.BaseExpression):
            state = self._keep(state, self._reads(*_test_operands(expr)))
        else:
            state = self._keep(state, self._reads(expr))
        for walrus in _walruses(expr) if self.walruses else ():
            if isinstance(walrus.target, cst.Name):
                # A bare walrus statement is tracked, and so is one that is an operand of
                # an `and` test (`if (t := spawn()) and wait: await t`: when `wait` is
                # false, `t` is dropped). One whose value is consumed where it stands (an
                # argument, an awaited value) is kept, and so is the sole operand of a
                # test: a task is truthy and never None, so `if (t := spawn()) is not
                # None: await t` has a dead branch this analysis cannot see.
                tracked = walrus is expr or (test and _and_operand(expr, walrus))
                origin = self.origin_of(walrus.value) if tracked else None
                state = self._bind(state, walrus.target.value, origin)
        return state

    # ------------------------------------------------------------- statements
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
                state = self._expression(item.item, state)
                if item.asname is not None:
                    state = self._keep(state, self._reads(*_target_loads(item.asname.name)))
                    for name in _target_names(item.asname.name):
                        state = self._bind(state, name, None)
            return self._block(_block_body(stmt.body), state)
        if isinstance(stmt, cst.Match):
            return self._match(stmt, state)
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            # Anything a nested function or class reads is kept (a closure may use it later).
            state = self._keep(state, self._reads(stmt))
            return self._bind(state, stmt.name.value, None)
        return self._keep(state, self._reads(stmt))

    def _small(self, small: cst.CSTNode, state: State) -> State | None:
        # One branch per kind of simple statement: the cases read best side by side.
        stored = self._container_store(small, state) if self._containers else None
        if stored is not None:
            return stored
        if isinstance(small, (cst.Expr, cst.Assign)) and self.transfer is not None:
            moved = self._transfer(small.value, state)
            if moved is not None:
                state, ids = moved
                if isinstance(small, cst.Expr):
                    self._orphans(state, ids)
                    return state
                return self._assign_transferred([t.target for t in small.targets], ids, state)
        if isinstance(small, cst.Expr):
            return self._expression(small.value, state)
        if isinstance(small, cst.Assign):
            state = self._expression(small.value, state)
            for target in small.targets:
                state = self._keep(state, self._reads(*_target_loads(target.target)))
            return self._assign([t.target for t in small.targets], small.value, state)
        if isinstance(small, cst.AnnAssign):
            if small.value is None:
                return state
            state = self._expression(small.value, state)
            state = self._keep(state, self._reads(*_target_loads(small.target)))
            return self._assign([small.target], small.value, state)
        if isinstance(small, cst.AugAssign):
            return self._keep(state, self._reads(small.target, small.value))
        if isinstance(small, cst.Return):
            state = self._expression(small.value, state)
            self._leave_function(state)
            return None
        if isinstance(small, cst.Raise):
            if self.report_raise:
                self._leave_function(self._expression(small.exc, state))
            return None  # by default, an exceptional exit is not reported
        if isinstance(small, (cst.Break, cst.Continue)) and self._loops:
            loop = self._loops[-1]
            # Leaving a `try` on the way out of the loop body runs its `finally`.
            after = self._through_finally(state, loop.finally_depth)
            if after is not None:
                (loop.breaks if isinstance(small, cst.Break) else loop.continues).append(after)
            return None
        if isinstance(small, cst.Del):
            if self.deletion_keeps:
                state = self._keep(state, set(_target_names(small.target)))
            for name in _target_names(small.target):
                state = self._bind(state, name, None)
            return self._keep(state, self._reads(*_target_loads(small.target)))
        if isinstance(small, (cst.Global, cst.Nonlocal)):
            return state
        if isinstance(small, cst.Import):
            for alias in small.names:
                bound = alias.asname.name if alias.asname else alias.name
                if isinstance(bound, cst.Name):
                    state = self._bind(state, bound.value, None)
            return state
        if isinstance(small, cst.ImportFrom):
            if not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    bound = alias.asname.name if alias.asname else alias.name
                    if isinstance(bound, cst.Name):
                        state = self._bind(state, bound.value, None)
            return state
        return self._keep(state, self._reads(small))

    def _assign(self, targets: list[cst.BaseExpression], value: cst.BaseExpression, state: State) -> State:
        fresh = _is_fresh_container(value)
        for target in targets:
            self._finished_sets.difference_update(_target_names(target))
            if isinstance(target, cst.Name):
                if fresh and len(targets) == 1:
                    self._containers.add(target.value)
                else:
                    self._containers.discard(target.value)
        origin = self.origin_of(value)
        if origin is not None and any(not isinstance(t, (cst.Name, cst.Tuple, cst.List)) for t in targets):
            origin = None  # `self._task = t = spawn()`: stored in an attribute, so kept
        for target in targets:
            if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) and len(target.elements) == len(value.elements):
                # `a, b = spawn(x), spawn(y)`: pair the elements.
                for t_el, v_el in zip(target.elements, value.elements):
                    el_origin = self.origin_of(v_el.value)
                    for name in _target_names(t_el.value):
                        state = self._bind(state, name, el_origin if isinstance(t_el.value, cst.Name) else None)
                continue
            for name in _target_names(target):
                state = self._bind(state, name, origin if isinstance(target, cst.Name) else None)
        return state

    def _assign_transferred(self, targets: list[cst.BaseExpression], ids: frozenset[int], state: State) -> State:
        for target in targets:
            state = self._keep(state, self._reads(*_target_loads(target)))
            if isinstance(target, cst.Name):
                state = self._bind_ids(state, target.value, ids)
            elif isinstance(target, (cst.Tuple, cst.List)):
                for index, element in enumerate(target.elements):
                    picked = self.transfer_element is None or self.transfer_element == index
                    if not picked and isinstance(element.value, cst.Name):
                        self._finished_sets.add(element.value.value)
                    for name in _target_names(element.value):
                        state = self._bind_ids(state, name, ids if picked and isinstance(element.value, cst.Name) else frozenset())
        self._orphans(state, ids)
        return state

    def _leave_function(self, state: State) -> None:
        # A return inside `try: ... finally:` runs the finally blocks first.
        after = self._through_finally(state, 0)
        if after is not None:
            self._exit(after)

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
        state = self._expression(stmt.test, state, test=True)
        test = self.source(stmt.test)
        self._guards.append(test)
        body = self._block(_block_body(stmt.body), _refine(state, stmt.test, truthy=True, finished_sets=self._finished_sets))
        self._guards.pop()
        # Correlated tests: a handle created under `if cond:` does not exist on the
        # path where a later `if cond:` is false (`if hb: t = spawn()` ... `if hb:
        # t.cancel()`), so that path cannot leak it.
        correlated = frozenset(
            bid for ids in state.values() for bid in ids if test in self.bindings[bid].guards
        )
        if correlated:
            state = {k: v - correlated for k, v in state.items() if v - correlated}
        state = _refine(state, stmt.test, truthy=False, finished_sets=self._finished_sets)
        if isinstance(stmt.orelse, cst.If):
            orelse = self._if(stmt.orelse, state)
        elif isinstance(stmt.orelse, cst.Else):
            orelse = self._block(_block_body(stmt.orelse.body), state)
        elif self._in_finally and _is_state_check(stmt.test):
            # Cleanup in `finally` guarded by `if not loop.is_closed():` and the like:
            # the guard says whether cleaning up is possible, not whether it is wanted.
            # A comparison (`if attempt == last:`) is a decision, and gets no pass.
            orelse = self._keep(state, self._reads(stmt.body))
        else:
            orelse = state
        return _merge(body, orelse)

    def _loop(self, stmt: cst.For | cst.While, state: State) -> State | None:
        if isinstance(stmt, cst.For):
            state = self._expression(stmt.iter, state)
        else:
            state = self._expression(stmt.test, state)
        head: State | None = state
        loop = _Loop(len(self._finally))
        for _ in range(4):  # the sets only grow, so this converges quickly
            loop = _Loop(len(self._finally))
            self._loops.append(loop)
            entry = dict(head or {})
            if isinstance(stmt, cst.For):
                for name in _target_names(stmt.target):
                    entry = self._bind(entry, name, None)
            else:
                entry = self._expression(stmt.test, entry)
            out = self._block(_block_body(stmt.body), entry)
            self._loops.pop()
            new_head = _merge(head, out, *loop.continues)
            if new_head == head:
                break
            head = new_head
        infinite = isinstance(stmt, cst.While) and is_forever_test(stmt.test)
        normal_exit = None if infinite else head
        if isinstance(stmt, cst.While) and normal_exit is not None:
            normal_exit = _refine(normal_exit, stmt.test, truthy=False)
        if stmt.orelse is not None and normal_exit is not None:
            normal_exit = self._block(_block_body(stmt.orelse.body), normal_exit)
        return _merge(normal_exit, *loop.breaks)

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
        handler_entry = self._keep(_merge(state, *midway) or {}, loaded_names(stmt.body))
        outs = [body_end]
        for handler in stmt.handlers:
            entry = self._keep(handler_entry, self._reads(handler.type) if handler.type else set())
            if handler.name is not None:
                for name in _target_names(handler.name.name):
                    entry = self._bind(entry, name, None)
            outs.append(self._block(_block_body(handler.body), entry))
        if final_body is not None:
            self._finally.pop()
        merged = _merge(*outs)
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
        state = self._expression(stmt.subject, state)
        outs = []
        exhaustive = False
        for case in stmt.cases:
            entry = self._keep(state, self._reads(case.guard) if case.guard else set())
            outs.append(self._block(_block_body(case.body), entry))
            if case.guard is None and isinstance(case.pattern, cst.MatchAs) and case.pattern.pattern is None:
                exhaustive = True
        if not exhaustive:
            outs.append(state)
        return _merge(*outs)


def _is_state_check(test: cst.BaseExpression) -> bool:
    """``loop.is_closed()``, ``self._running``, ``not x``, ``a and b`` of those: no comparison."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _is_state_check(test.expression)
    if isinstance(test, cst.BooleanOperation):
        return _is_state_check(test.left) and _is_state_check(test.right)
    return isinstance(test, (cst.Call, cst.Attribute, cst.Name))


def _test_operands(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The parts of a truth test that are more than a bare name being tested."""
    if isinstance(test, cst.Name):
        return []
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _test_operands(test.expression)
    if isinstance(test, cst.BooleanOperation):
        return _test_operands(test.left) + _test_operands(test.right)
    return [test]


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


def _is_fresh_container(expr: cst.BaseExpression) -> bool:
    """``[]``, ``{}``, ``set()``, ``list()``, ``dict()``, ``deque()``: a new, empty container."""
    if isinstance(expr, (cst.List, cst.Dict)) and not expr.elements:
        return True
    if isinstance(expr, cst.Call) and not expr.args:
        func = expr.func
        name = func.value if isinstance(func, cst.Name) else None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            name = f"{func.value.value}.{func.attr.value}"
        return name in _FRESH_CONTAINER_CALLS
    return False


def _walruses(expr: cst.CSTNode) -> Iterator[cst.NamedExpr]:
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.NamedExpr):
            yield node
        if isinstance(node, (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            continue
        stack.extend(child_nodes(node))



def _and_operand(test: cst.CSTNode, walrus: cst.NamedExpr) -> bool:
    """Whether ``walrus`` (maybe compared or negated) is an operand of a top-level ``and``."""
    if not (isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And)):
        return False
    for operand in (test.left, test.right):
        node = operand
        while isinstance(node, (cst.Comparison, cst.UnaryOperation)):
            node = node.left if isinstance(node, cst.Comparison) else node.expression
        if node is walrus or _and_operand(operand, walrus):
            return True
    return False


def loaded_names(node: cst.CSTNode) -> set[str]:
    """Every name *read* anywhere in ``node``, nested functions included.

    Binding positions (assignment, ``for``, ``with ... as``, ``except ... as``,
    walrus and import targets, parameter and definition names, ``del``) and the
    ``.attr`` and ``keyword=`` parts are not reads.
    """
    found: set[str] = set()
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        elif isinstance(current, cst.Arg):
            stack.append(current.value)
        elif isinstance(current, cst.Assign):
            stack.append(current.value)
            for target in current.targets:
                stack.extend(_target_loads(target.target))
        elif isinstance(current, cst.AnnAssign):
            stack.extend(n for n in (current.value, current.annotation) if n is not None)
            stack.extend(_target_loads(current.target))
        elif isinstance(current, (cst.For, cst.CompFor)):
            stack.extend(_target_loads(current.target))
            stack.extend(child for child in child_nodes(current) if child is not current.target)
        elif isinstance(current, cst.NamedExpr):
            stack.append(current.value)
        elif isinstance(current, cst.AsName):
            stack.extend(_target_loads(current.name))
        elif isinstance(current, (cst.FunctionDef, cst.ClassDef)):
            stack.extend(child for child in child_nodes(current) if child is not current.name)
        elif isinstance(current, cst.Param):
            stack.extend(n for n in (current.annotation, current.default) if n is not None)
        elif isinstance(current, (cst.Import, cst.ImportFrom, cst.Global, cst.Nonlocal, cst.Del)):
            continue
        else:
            stack.extend(child_nodes(current))
    return found
