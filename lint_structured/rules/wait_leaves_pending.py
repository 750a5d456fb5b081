"""LSC203 wait-leaves-pending: asyncio.wait returns with tasks still running, nobody cancels them."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis
from lint_structured.flow import HandleFlow
from lint_structured.model import Applicability
from lint_structured.rules.base import Rule, short_call
from lint_structured.rules.gather_wait import WAIT, calls, keyword, leaves_pending, unawait
from lint_structured.rules.task_handles import NON_KEEPING_METHODS, spawn_origin
from lint_structured.syntax import dotted_names_in, is_fresh_container, iter_nodes


class WaitLeavesPending(Rule):
    code = "LSC203"
    name = "wait-leaves-pending"
    summary = "asyncio.wait returns pending tasks that are never cancelled"
    fix_applicability = Applicability.UNSAFE
    fixer = "cancel_pending"
    # `wait(` and `wait as` for a wait that returns when every task is done, whose
    # done set may be dropped; the others for a wait that can leave tasks pending.
    prefilter = ("FIRST_COMPLETED", "FIRST_EXCEPTION", "timeout", "wait(", "wait as")
    prefilter_names = ("wait",)
    what_it_does = """
        Finds `asyncio.wait(...)` with `return_when=FIRST_COMPLETED`,
        `return_when=FIRST_EXCEPTION` or a `timeout`, over tasks the function
        started itself (spawned in the call, or bound to a name or a
        collection earlier in the function), when on some path to the end of
        the function (raising included) one of those tasks is neither
        cancelled nor otherwise kept afterwards. Reported at the `wait` call.

        The tasks stay reachable through the pending set and through their
        own names: cancelling, awaiting, returning or storing either one, or
        passing it to a call, keeps them; the pending set discarded
        (`done, _ = ...`, or the result unused) keeps nothing. Testing it
        (`if pending:`, `len(pending)`, `t in done`) does not keep it, and a
        path on which a test shows the set is empty has nothing left to
        cancel (`while pending: ...`). Futures and tasks that belong to
        someone else (`self._closed`, a parameter) are not the function's to
        cancel and are not tracked.

        Also finds an awaited `asyncio.wait(...)` that returns only when every
        task is done (no `FIRST_*`, no timeout) whose done set nobody reads:
        the result is discarded (`await asyncio.wait(tasks)`, `_, _ = ...`)
        or its done set is never read, and the tasks were made in the call or
        are held by a local name bound only to spawns and read nowhere else.
        Tasks held by a parameter, an attribute, or a name read elsewhere
        (their results gathered, a done-callback added) are not reported, nor
        tasks that can only wait for an event or sleep: they cannot fail.
    """
    why_bad = """
        `asyncio.wait` never cancels anything: when it returns because the
        first task finished, because one failed, or because the timeout
        expired, the other tasks are still running. Many users believe
        otherwise. A helper that raises `TimeoutError` after
        `asyncio.wait(..., timeout=...)` without cancelling the pending
        waiter leaks one task per timeout.
    """
    example = """
        import asyncio

        async def first_reply(servers):
            tasks = [asyncio.create_task(ask(s)) for s in servers]
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            return done.pop().result()
    """
    use_instead = """
        import asyncio

        async def first_reply(servers):
            tasks = [asyncio.create_task(ask(s)) for s in servers]
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            return done.pop().result()
    """
    fix_safety = """
        Unsafe (`--unsafe-fixes`): right after `done, pending = await
        asyncio.wait(...)` the fix inserts `for task in pending: task.cancel()`
        and `if pending: await asyncio.wait(pending)`, naming the pending set
        first when the result was discarded or bound to `_`. The pending tasks
        then stop instead of running on. When the pending set is only counted
        afterwards (`len(pending)`, `if pending:`) the cancel still goes right
        after the wait; when it is only inspected in the same block (printed,
        sorted), after its last use. Withheld for any other use (the tasks may
        be wanted later), and when a task of the wait is still wanted after
        it: made before the loop the wait is in and waited for again on the
        next turn (a stop signal raced against each receive; in a
        `while True:` loop left only by a `break` after the wait, the fix
        instead cancels what the last wait left pending once the loop ends),
        or used after
        the wait other than by reading its outcome (`t.result()`,
        `t.done()`) or testing membership (`t in done`).

        When nothing can read the finished tasks either (the done set is
        discarded, bound to `_` or never read, and the tasks were made in the
        call or are held only by local names not read after the wait), their
        exceptions would be lost: the fix then also loops over the done set
        and logs each task's exception (through the module's `logging`
        logger, else `logging.getLogger(__name__)`), as LSC202's fix does.

        For a wait whose done set is dropped, the fix is safe: it names the
        done set and logs each finished task's exception right after the
        wait; nothing else changes.
    """

    def __init__(self, analysis: ModuleAnalysis) -> None:
        super().__init__(analysis)
        self._functions: set[cst.CSTNode] = set()
        #: Waits that return only when every task is done, by function: their done set.
        self._complete_waits: dict[cst.CSTNode, list[cst.Call]] = {}

    def _leaving_wait(self, expr: cst.BaseExpression) -> cst.Call | None:
        call = unawait(expr)
        if isinstance(call, cst.Call) and calls(call, self.analysis, WAIT) and leaves_pending(call, self.analysis):
            return call
        return None

    def visit_Call(self, node: cst.Call) -> None:
        frame = self.analysis.frame
        if frame.kind != "function" or not calls(node, self.analysis, WAIT):
            return
        if leaves_pending(node, self.analysis):
            self._functions.add(frame.node)
        elif frame.is_async:
            self._complete_waits.setdefault(frame.node, []).append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        for call in self._complete_waits.pop(original_node, ()):
            if done_set_lost(call, original_node, self.analysis):
                wait = short_call(self.analysis.source(call.func))
                self.report(call, f"{wait} drops its done set: nobody retrieves its tasks' errors; check them")
        if original_node not in self._functions:
            return
        self._functions.discard(original_node)
        frame = self.analysis.frame_for(original_node)
        flow = HandleFlow(
            lambda expr: spawn_origin(expr, self.analysis),
            NON_KEEPING_METHODS,
            transfer=self._handed_to_wait,
            transfer_element=1,  # `done, pending = ...`: the pending set holds them
            report_raise=True,
            inspection_keeps=False,
            walruses=frame is None or frame.has_walrus,
            source=self.analysis.source,
        )
        for found in flow.analyse(original_node):
            if found.through is None:
                continue  # never handed to a wait: LSC102's business
            wait = short_call(self.analysis.source(found.through.func))
            self.report(found.through, f"{wait} can return with tasks still pending, left running on some path; cancel them")

    def _handed_to_wait(self, value: cst.BaseExpression) -> tuple[cst.Call, list[cst.BaseExpression]] | None:
        call = self._leaving_wait(value)
        if call is None:
            return None
        positional = [arg.value for arg in call.args if arg.keyword is None]
        awaitables = positional[0] if positional else keyword(call, "fs")
        return (call, [awaitables]) if awaitables is not None else None


def done_set_lost(call: cst.Call, function: cst.FunctionDef, analysis: ModuleAnalysis) -> bool:
    """Whether nothing can see the errors of the tasks an awaited ``asyncio.wait`` finished:
    its result is discarded (``await wait(...)``, ``_, _ = ...``, a done set never read),
    and its tasks were made in the call or are held by a local name the function binds to
    spawns and reads nowhere else (but to add spawns to it). Shared state (``self._tasks``),
    a parameter, or a name read anywhere else may be how the errors are seen: silent."""
    scopes = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
    own = list(iter_nodes(function.body, prune=scopes))
    done: str | None = None
    for node in own:
        if isinstance(node, cst.Expr) and isinstance(node.value, cst.Await) and node.value.expression is call:
            break
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Await) and node.value.expression is call:
            target = node.targets[0].target if len(node.targets) == 1 else None
            if not (isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == 2):
                return False
            first = target.elements[0].value
            if not isinstance(first, cst.Name):
                return False
            done = first.value if first.value != "_" else None
            if done is not None and sum(isinstance(n, cst.Name) and n.value == done for n in own) > 1:
                return False  # the done set is read (or bound again)
            break
    else:
        return False  # not awaited as a statement of its own
    positional = [arg.value for arg in call.args if arg.keyword is None]
    tasks = positional[0] if positional else keyword(call, "fs")
    if tasks is None:
        return False
    if not isinstance(tasks, cst.Name):
        made_here = spawn_origin(tasks, analysis) is not None and not dotted_names_in(tasks) - {"asyncio"} - _called_names(tasks)
        return made_here and _may_fail(tasks, analysis)
    return _only_holds_spawns(tasks.value, call, own, analysis)


def _may_fail(expr: cst.CSTNode, analysis: ModuleAnalysis) -> bool:
    """Some task spawned in ``expr`` runs a coroutine that can raise: not only waits for an
    event or a process (``event.wait()``) or sleeps, which raise nothing but cancellation."""
    for node in iter_nodes(expr):
        if not (isinstance(node, cst.Call) and analysis.spawn_info(node) is not None):
            continue
        coro = node.args[0].value if node.args else None
        if not isinstance(coro, cst.Call):
            return True
        func = coro.func
        quiet = (isinstance(func, cst.Attribute) and func.attr.value == "wait" and not coro.args) or analysis.qualify(func) == "asyncio.sleep"
        if not quiet:
            return True
    return False


def _called_names(expr: cst.CSTNode) -> set[str]:
    """The dotted names that are called in ``expr`` (``asyncio.create_task``, ``fetch``), and
    comprehension variables: reading them is not reading the tasks."""
    found: set[str] = set()
    for node in iter_nodes(expr):
        if isinstance(node, cst.Call):
            found |= dotted_names_in(node.func)
            for arg in node.args:
                found |= dotted_names_in(arg.value)
        elif isinstance(node, cst.CompFor):
            found |= dotted_names_in(node.target) | dotted_names_in(node.iter)
    return found


def _only_holds_spawns(name: str, call: cst.Call, own: list[cst.CSTNode], analysis: ModuleAnalysis) -> bool:
    """``name`` is bound in the function only to spawns (``[create_task(...) for ...]``,
    or ``[]``/``set()`` filled by ``name.append(spawn)``), and read nowhere else."""
    inside = set(map(id, iter_nodes(call)))
    allowed: set[int] = set(inside)
    bound = fails = False
    for node in own:
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            target = node.targets[0].target
            if isinstance(target, cst.Name) and target.value == name:
                if spawn_origin(node.value, analysis) is None and not is_fresh_container(node.value):
                    return False
                fails = fails or _may_fail(node.value, analysis)
                bound = True
                allowed.add(id(target))
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("append", "add"):
            receiver = node.func.value
            if isinstance(receiver, cst.Name) and receiver.value == name and node.args and spawn_origin(node.args[0].value, analysis):
                allowed.add(id(receiver))
                fails = fails or _may_fail(node.args[0].value, analysis)
    if not bound or not fails:
        return False  # a parameter, a global: someone else holds the tasks; or none can fail
    return all(id(n) in allowed for n in own if isinstance(n, cst.Name) and n.value == name)
