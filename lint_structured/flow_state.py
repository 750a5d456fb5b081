"""The state of the handle flow (``flow.HandleFlow``): the tracked bindings of one
function, the names that may hold each, and what an expression or a simple statement
(an assignment, a call, a ``del``, an import) does to that state.

The walk over the function's control flow is ``flow.HandleFlow``'s; it asks ``Effects``
what each simple statement does, and the ``Ledger`` records what is reported.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable, Iterator

from lint_structured import nodes as cst
from lint_structured.syntax import child_nodes, is_fresh_container, target_loads, target_names

#: name -> the ids of the bindings that name may hold, not kept yet.
State = dict[str, frozenset[int]]

LEAKED = "leaked"
OVERWRITTEN = "overwritten"


#: Methods that put a value into a fresh local container, and the argument they store.
CONTAINER_ADDERS = {"append": 0, "add": 0, "appendleft": 0, "extend": 0, "insert": 1}

#: Transfers a value: ``transfer(value)`` gives the call and the arguments it hands back.
Transfer = Callable[[cst.BaseExpression], "tuple[cst.Call, list[cst.BaseExpression]] | None"]


@dataclasses.dataclass(frozen=True)
class Binding:
    origin: cst.CSTNode  # the node to report (the spawning call)
    name: str
    container: bool = False  # stored into a fresh local container named ``name``
    guards: frozenset[str] = frozenset()  # source of the `if` tests it was created under


def keep(state: State, names: set[str]) -> State:
    """``state`` with what ``names`` hold kept: no longer tracked."""
    if not state or not names:
        return state
    killed: frozenset[int] = frozenset()
    for name in names:
        killed |= state.get(name, frozenset())
    if not killed:
        return state
    return {k: v - killed for k, v in state.items() if v - killed}


def merge(*states: State | None) -> State | None:
    """The state after paths join: a name may hold what it holds on any of them."""
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


class Ledger:
    """The tracked bindings of one function, and what is reported about them."""

    def __init__(self) -> None:
        self.bindings: list[Binding] = []
        #: binding id -> LEAKED or OVERWRITTEN.
        self.reports: dict[int, str] = {}
        #: binding id -> the transferring call it went through (``asyncio.wait``).
        self.through: dict[int, cst.Call] = {}
        #: ``global``/``nonlocal`` names: they outlive the function, so are not tracked.
        self.untracked: set[str] = set()
        #: The ``if`` tests enclosing the statement being analysed, as source text.
        self.guards: list[str] = []

    def report(self, ids: Iterable[int], reason: str) -> None:
        for bid in ids:
            # Overwritten is the more precise explanation; keep it if both apply.
            if self.reports.get(bid) != OVERWRITTEN:
                self.reports[bid] = reason

    def exit(self, state: State) -> None:
        for ids in state.values():
            self.report(ids, LEAKED)

    def bind(self, state: State, name: str, origin: cst.CSTNode | None) -> State:
        state = dict(state)
        old = state.pop(name, frozenset())
        if old:
            still_held = frozenset().union(*state.values()) if state else frozenset()
            self.report(old - still_held, OVERWRITTEN)
        if origin is not None and name not in self.untracked:
            bid = self.new_binding(origin, name)
            state[name] = frozenset({bid})
        return state

    def new_binding(self, origin: cst.CSTNode, name: str, container: bool = False) -> int:
        # A loop body is analysed more than once; reuse the binding of the same site.
        for bid, binding in enumerate(self.bindings):
            if binding.origin is origin and binding.name == name:
                return bid
        self.bindings.append(Binding(origin, name, container, frozenset(self.guards)))
        return len(self.bindings) - 1

    def store(self, state: State, container: str, origin: cst.CSTNode) -> State:
        """A tracked value put into a fresh local container: kept only if the container is."""
        if container in self.untracked:
            return state
        state = dict(state)
        state[container] = state.get(container, frozenset()) | {self.new_binding(origin, container, True)}
        return state

    def bind_ids(self, state: State, name: str, ids: frozenset[int]) -> State:
        """Bind ``name`` to values that may be held by other names too."""
        state = dict(state)
        old = state.pop(name, frozenset())
        if ids and name not in self.untracked:
            state[name] = ids
        if old:
            held = frozenset().union(*state.values()) if state else frozenset()
            self.report(old - held, OVERWRITTEN)
        return state

    def orphans(self, state: State, ids: frozenset[int]) -> None:
        """Values no name holds any more are lost on the spot."""
        held = frozenset().union(*state.values()) if state else frozenset()
        self.report(ids - held, LEAKED)


class Effects:
    """What an expression or a simple statement does to the state: which names it reads
    (keeping what they hold), which it binds, what it stores or hands on.

    The settings are ``HandleFlow``'s (see its docstring).
    """

    def __init__(
        self,
        ledger: Ledger,
        origin_of: Callable[[cst.BaseExpression], cst.CSTNode | None],
        non_keeping: Iterable[str],
        transfer: Transfer | None,
        transfer_element: int | None,
        inspection_keeps: bool,
        walruses: bool,
        deletion_keeps: bool,
    ) -> None:
        self.ledger = ledger
        self.origin_of = origin_of
        self.non_keeping = frozenset(non_keeping)
        self.transfer = transfer
        self.transfer_element = transfer_element
        self.inspection_keeps = inspection_keeps
        self.walruses = walruses
        self.deletion_keeps = deletion_keeps
        #: Builtins whose arguments are only looked at, not kept (``type(coro)``).
        self.inert_calls: frozenset[str] = frozenset()
        #: Local names last bound to a fresh, empty container (``tasks = []``).
        self.containers: set[str] = set()
        #: Names bound to the other elements of a transfer's result: ``done`` of ``done,
        #: pending = await asyncio.wait(...)``. A task tested to be ``in done`` has finished.
        self.finished_sets: set[str] = set()

    def reads(self, *nodes: cst.CSTNode | None) -> set[str]:
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
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in self.inert_calls:
                stack.extend(a.value for a in node.args if not isinstance(a.value, cst.Name))  # `type(coro)`
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
        if self.containers and found & self.containers:
            # A container read as a whole (passed on, iterated, stored) may be read again
            # by whoever got it: what is put in it later is kept through it.
            self.containers -= found
        return found

    def expression(self, expr: cst.CSTNode | None, state: State, test: bool = False) -> State:
        """Apply the reads of an expression, and the walrus bindings inside it."""
        if expr is None:
            return state
        if test and not self.inspection_keeps and isinstance(expr, cst.BaseExpression):
            state = keep(state, self.reads(*_test_operands(expr)))
        else:
            state = keep(state, self.reads(expr))
        for walrus in _walruses(expr) if self.walruses else ():
            if isinstance(walrus.target, cst.Name):
                # A bare walrus statement is tracked, and so is one that is an operand of
                # an `and` test (`if (t := spawn()) and wait: await t`: when `wait` is
                # false, `t` is dropped). One whose value is consumed where it stands (an
                # argument, an awaited value) is kept, and so is the sole operand of a
                # test: a task is truthy and never None, so `if (t := spawn()) is not
                # None: await t` has a dead branch this analysis cannot see.
                tracked = walrus is expr or (test and (_and_operand(expr, walrus) or _none_test(expr, walrus)))
                origin = self.origin_of(walrus.value) if tracked else None
                state = self.ledger.bind(state, walrus.target.value, origin)
        return state

    def small(self, small: cst.CSTNode, state: State) -> State:
        """What a simple statement other than ``return``, ``raise``, ``break`` and
        ``continue`` (the walk's business) does to the state."""
        # One branch per kind of simple statement: the cases read best side by side.
        stored = self._container_store(small, state) if self.containers else None
        if stored is not None:
            return stored
        if isinstance(small, (cst.Expr, cst.Assign)) and self.transfer is not None:
            moved = self._transfer(small.value, state)
            if moved is not None:
                state, ids = moved
                if isinstance(small, cst.Expr):
                    self.ledger.orphans(state, ids)
                    return state
                return self.assign_transferred([t.target for t in small.targets], ids, state)
        if isinstance(small, cst.Expr):
            return self.expression(small.value, state)
        if isinstance(small, cst.Assign):
            state = self.expression(small.value, state)
            for target in small.targets:
                state = keep(state, self.reads(*target_loads(target.target)))
            return self.assign([t.target for t in small.targets], small.value, state)
        if isinstance(small, cst.AnnAssign):
            if small.value is None:
                return state
            state = self.expression(small.value, state)
            state = keep(state, self.reads(*target_loads(small.target)))
            return self.assign([small.target], small.value, state)
        if isinstance(small, cst.AugAssign):
            return keep(state, self.reads(small.target, small.value))
        if isinstance(small, cst.Del):
            if self.deletion_keeps:
                state = keep(state, set(target_names(small.target)))
            for name in target_names(small.target):
                state = self.ledger.bind(state, name, None)
            return keep(state, self.reads(*target_loads(small.target)))
        if isinstance(small, (cst.Global, cst.Nonlocal)):
            return state
        if isinstance(small, cst.Import):
            for alias in small.names:
                bound = alias.asname.name if alias.asname else alias.name
                if isinstance(bound, cst.Name):
                    state = self.ledger.bind(state, bound.value, None)
            return state
        if isinstance(small, cst.ImportFrom):
            if not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    bound = alias.asname.name if alias.asname else alias.name
                    if isinstance(bound, cst.Name):
                        state = self.ledger.bind(state, bound.value, None)
            return state
        return keep(state, self.reads(small))

    def assign(self, targets: list[cst.BaseExpression], value: cst.BaseExpression, state: State) -> State:
        fresh = is_fresh_container(value)
        for target in targets:
            self.finished_sets.difference_update(target_names(target))
            if isinstance(target, cst.Name):
                if fresh and len(targets) == 1:
                    self.containers.add(target.value)
                else:
                    self.containers.discard(target.value)
        origin = self.origin_of(value)
        if origin is not None and any(not isinstance(t, (cst.Name, cst.Tuple, cst.List)) for t in targets):
            origin = None  # `self._task = t = spawn()`: stored in an attribute, so kept
        for target in targets:
            if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) and len(target.elements) == len(value.elements):
                # `a, b = spawn(x), spawn(y)`: pair the elements.
                for t_el, v_el in zip(target.elements, value.elements):
                    el_origin = self.origin_of(v_el.value)
                    for name in target_names(t_el.value):
                        state = self.ledger.bind(state, name, el_origin if isinstance(t_el.value, cst.Name) else None)
                continue
            for name in target_names(target):
                state = self.ledger.bind(state, name, origin if isinstance(target, cst.Name) else None)
        return state

    def assign_transferred(self, targets: list[cst.BaseExpression], ids: frozenset[int], state: State) -> State:
        for target in targets:
            state = keep(state, self.reads(*target_loads(target)))
            if isinstance(target, cst.Name):
                state = self.ledger.bind_ids(state, target.value, ids)
            elif isinstance(target, (cst.Tuple, cst.List)):
                for index, element in enumerate(target.elements):
                    picked = self.transfer_element is None or self.transfer_element == index
                    if not picked and isinstance(element.value, cst.Name):
                        self.finished_sets.add(element.value.value)
                    for name in target_names(element.value):
                        state = self.ledger.bind_ids(state, name, ids if picked and isinstance(element.value, cst.Name) else frozenset())
        self.ledger.orphans(state, ids)
        return state

    def _transfer(self, value: cst.BaseExpression, state: State) -> tuple[State, frozenset[int]] | None:
        """Hand the tracked values in a transferring call's arguments to its result."""
        found = self.transfer(value) if self.transfer is not None else None
        if found is None:
            return None
        call, taken = found
        others = [arg.value for arg in call.args if not any(arg.value is t for t in taken)]
        state = keep(state, self.reads(call.func, *others))
        ids: frozenset[int] = frozenset()
        for arg in taken:
            for name in self.reads(arg):
                ids |= state.get(name, frozenset())
            origin = None if isinstance(arg, cst.Name) else self.origin_of(arg)
            if origin is not None:  # spawned right in the argument: only the result holds it
                ids |= {self.ledger.new_binding(origin, "")}
        for bid in ids:
            self.ledger.through[bid] = call
        return state, ids

    def _container_store(self, small: cst.CSTNode, state: State) -> State | None:
        """``tasks.append(x)`` / ``tasks[k] = x`` on a fresh local container, else None."""
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            func = call.func
            if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
                return None
            index = CONTAINER_ADDERS.get(func.attr.value)
            if index is None or func.value.value not in self.containers:
                return None
            state = keep(state, self.reads(*(arg.value for arg in call.args)))
            positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
            origin = self.origin_of(positional[index]) if len(positional) > index else None
            return self.ledger.store(state, func.value.value, origin) if origin is not None else state
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            if not (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name)):
                return None
            if target.value.value not in self.containers:
                return None
            origin = self.origin_of(small.value)
            if origin is None:
                return None
            state = keep(state, self.reads(small.value, *target.slice))
            return self.ledger.store(state, target.value.value, origin)
        return None


def _test_operands(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The parts of a truth test that are more than a bare name being tested."""
    if isinstance(test, cst.Name):
        return []
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _test_operands(test.expression)
    if isinstance(test, cst.BooleanOperation):
        return _test_operands(test.left) + _test_operands(test.right)
    return [test]



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


def _none_test(test: cst.CSTNode, walrus: cst.NamedExpr) -> bool:
    """``(t := spawn()) is not None`` / ``is None``: a task is never None, so the test
    decides nothing, and the branch that uses the task is the only one taken."""
    return (
        isinstance(test, cst.Comparison)
        and test.left is walrus
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, (cst.Is, cst.IsNot))
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    )
