"""LSC202 gather-swallows-errors: gather(return_exceptions=True) whose results nobody reads."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis
from lint_structured.model import Applicability
from lint_structured.rules.base import CLOSE_CALLS, Rule, short_call
from lint_structured.rules.gather_wait import GATHER, calls, children_cancelled_before, return_exceptions, unawait
from lint_structured.syntax import iter_nodes, loaded_names


class GatherSwallowsErrors(Rule):
    code = "LSC202"
    name = "gather-swallows-errors"
    summary = "gather(return_exceptions=True) whose results are never inspected"
    fix_applicability = Applicability.SAFE
    fixer = "log_gathered"
    prefilter = ("gather",)
    prefilter_names = ("gather",)
    what_it_does = """
        Finds `asyncio.gather(..., return_exceptions=True)` whose result is
        discarded: used as a statement (awaited or not), assigned to `_`, or
        assigned to a name that the function never reads.

        Silent when the results are used in any way (iterated, indexed,
        checked with `isinstance(r, BaseException)`, passed on, returned,
        stored), for the cancel-then-gather cleanup idiom (the gathered
        tasks were cancelled earlier in the function, and the gather only
        waits for them to finish), and for best-effort cleanup: every
        gathered awaitable closes something (`conn.disconnect()`,
        `client.aclose()`, `proc.kill()`, directly, through `create_task`
        (also `create_task(item.close)`), in a generator, in a list
        comprehension bound to a name, or in a list filled only by
        `.append(...)`), where a failed close of something being dropped is
        ignored on purpose.
    """
    why_bad = """
        With `return_exceptions=True`, `gather` returns exceptions as values
        instead of raising them. If nobody looks at the returned list, every
        failure of every child disappears without a trace: no traceback, no
        log line, no "exception was never retrieved" warning.
    """
    example = """
        import asyncio

        async def notify_all(users):
            await asyncio.gather(*(notify(u) for u in users), return_exceptions=True)
    """
    use_instead = """
        import asyncio

        async def notify_all(users):
            results = await asyncio.gather(*(notify(u) for u in users), return_exceptions=True)
            for user, result in zip(users, results):
                if isinstance(result, BaseException):
                    log.warning("notifying %s failed", user, exc_info=result)
    """
    fix_safety = """
        Safe: the errors are made visible, nothing else changes. An awaited
        gather used as a statement (or assigned to `_`) becomes
        `for result in await asyncio.gather(...):` with
        `if isinstance(result, Exception): logger.error(..., exc_info=result)`
        in its body; a result bound to names that are never read is followed
        by the same loop over them. The module's `logging` logger is used, else
        `logging.getLogger(__name__)`. A `CancelledError` result (a cancelled
        awaitable) is not logged. What a failure should do beyond that
        (retry, re-raise) is the author's decision. A gather that is not
        awaited gets no automatic fix.
    """

    def __init__(self, analysis: ModuleAnalysis) -> None:
        super().__init__(analysis)
        self._assigned: dict[cst.CSTNode, list[tuple[cst.Call, list[str]]]] = {}

    def _swallowing_gather(self, expr: cst.BaseExpression) -> cst.Call | None:
        call = unawait(expr)
        if not isinstance(call, cst.Call) or not calls(call, self.analysis, GATHER):
            return None
        if return_exceptions(call) is not True or children_cancelled_before(call, self.analysis):
            return None
        if _waits_for_tracked_tasks(call) or self._best_effort_cleanup(call):
            return None
        return call

    def _best_effort_cleanup(self, call: cst.Call) -> bool:
        """Every gathered awaitable closes something (``client.aclose()``,
        ``conn.disconnect()``, also through ``create_task``, a generator, or a list
        comprehension bound to a name in this function): best-effort cleanup, whose
        errors are ignored on purpose (a failed close of something being dropped)."""
        children = [arg for arg in call.args if arg.keyword is None]
        if not children:
            return False
        function = self.analysis.frame.node if self.analysis.frame.kind == "function" else None
        for arg in children:
            value: cst.CSTNode | None = arg.value
            if arg.star == "*":
                if isinstance(value, cst.Name) and function is not None:
                    appended = _appended(function, value.value)
                    if appended is not None:
                        if not appended or not all(_closes(a) for a in appended):
                            return False
                        continue
                    value = _comprehension_bound(function, value.value)
                if not isinstance(value, (cst.GeneratorExp, cst.ListComp, cst.SetComp)):
                    return False
                value = value.elt
            if not _closes(value):
                return False
        return True

    def leave_Expr(self, original_node: cst.Expr) -> None:
        call = self._swallowing_gather(original_node.value)
        if call is not None:
            self._report(call, "its result is discarded")

    def leave_Assign(self, original_node: cst.Assign) -> None:
        call = self._swallowing_gather(original_node.value)
        if call is None:
            return
        names: list[str] = []
        for target in original_node.targets:
            node = target.target
            elements = [e.value for e in node.elements] if isinstance(node, (cst.Tuple, cst.List)) else [node]
            for element in elements:
                if not isinstance(element, cst.Name):
                    return  # stored in an attribute or a container: someone may look
                names.append(element.value)
        if all(name == "_" for name in names):
            self._report(call, "its result is assigned to `_`")
        elif self.analysis.frame.kind == "function":
            self._assigned.setdefault(self.analysis.frame.node, []).append((call, names))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        pending = self._assigned.pop(original_node, None)
        if not pending:
            return
        read = loaded_names(original_node.body)
        for call, names in pending:
            if not any(name in read for name in names):
                self._report(call, f"`{', '.join(names)}` is never read")

    def _report(self, call: cst.Call, why: str) -> None:
        self.report(call, f"{short_call(self.analysis.source(call.func))} returns errors as results, but {why}: they are lost")


#: Best-effort teardown: closing, and waiting for it, killing, unsubscribing.
_CLOSING = CLOSE_CALLS | {"wait_closed", "kill", "unsubscribe"}
_SPAWNERS = frozenset({"create_task", "ensure_future"})


def _closes(value: cst.CSTNode | None, spawned: bool = False) -> bool:
    """``x.close()``-like, also inside ``create_task(...)``/``ensure_future(...)`` (there
    also the bound method, ``create_task(x.close)``, for a spawner that calls it)."""
    value = unawait(value) if value is not None else None
    if spawned and isinstance(value, cst.Attribute):
        return value.attr.value in _CLOSING
    if not isinstance(value, cst.Call) or not isinstance(value.func, (cst.Attribute, cst.Name)):
        return False
    name = value.func.attr.value if isinstance(value.func, cst.Attribute) else value.func.value
    if name in _SPAWNERS and value.args:
        return _closes(value.args[0].value, spawned=True)
    return isinstance(value.func, cst.Attribute) and name in _CLOSING


def _comprehension_bound(function: cst.CSTNode, name: str) -> cst.CSTNode | None:
    """The comprehension ``name`` is bound to in ``function``, when that is its only binding."""
    found = []
    for node in iter_nodes(function):
        if isinstance(node, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets):
            found.append(node.value)
        elif isinstance(node, (cst.AugAssign, cst.For)) and isinstance(node.target, cst.Name) and node.target.value == name:
            return None
    if len(found) == 1 and isinstance(found[0], (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return found[0]
    return None


def _appended(function: cst.CSTNode, name: str) -> list[cst.BaseExpression] | None:
    """What is appended to ``name`` when it is bound only to ``[]`` in ``function`` and
    filled only by ``name.append(x)`` (``tasks = []`` ... ``tasks.append(spawn(...))``)."""
    bound, appended = 0, []
    for node in iter_nodes(function):
        if isinstance(node, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets):
            if not (isinstance(node.value, cst.List) and not node.value.elements):
                return None
            bound += 1
        elif isinstance(node, (cst.AugAssign, cst.For)) and isinstance(node.target, cst.Name) and node.target.value == name:
            return None
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == name
        ):
            if node.func.attr.value != "append" or len(node.args) != 1:
                return None  # `tasks.extend(...)`, `tasks.insert(...)`: not followed
            appended.append(node.args[0].value)
    return appended if bound == 1 else None


def _waits_for_tracked_tasks(call: cst.Call) -> bool:
    """``gather(*self._tasks, return_exceptions=True)``: waiting for the tasks an object
    keeps, at shutdown. They are kept, so their errors are not lost with the result:
    whoever made them sees them (a done-callback, an error handler of its own)."""
    children = [arg.value for arg in call.args if arg.keyword is None]
    return bool(children) and all(
        isinstance(child, cst.StarredElement) and isinstance(child.value, cst.Attribute) or isinstance(child, cst.Attribute)
        for child in children
    )
