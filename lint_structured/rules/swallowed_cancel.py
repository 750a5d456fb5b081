"""LSC401 swallowed-cancel: a handler in an async function eats CancelledError."""

from __future__ import annotations

from typing import Callable, ClassVar

from lint_structured import nodes as cst
from lint_structured.analysis import Frame, ModuleAnalysis
from lint_structured.model import Applicability
from lint_structured.rules.base import CANCEL_WORDS, Rule, short_call
from lint_structured.rules.gather_wait import TIMEOUTS
from lint_structured.rules.handler_paths import HandlerPaths
from lint_structured.rules.work_after import WorkAfter
from lint_structured.syntax import dotted_names_in, is_forever_test, iter_nodes, statements_in

SUPPRESS = frozenset({"contextlib.suppress"})


def awaits_in(block: cst.CSTNode, quiet: Callable[[cst.With], bool] | None = None) -> tuple[list[cst.BaseExpression], bool]:
    """The awaited expressions in ``block`` and whether it has ``async for``/``async with``.

    Nested functions, lambdas and classes are not part of the block's run. An
    ``async with`` for which ``quiet`` holds (``asyncio.timeout(...)``, which never
    waits on entering or leaving) does not count; what it holds does.
    """
    awaited: list[cst.BaseExpression] = []
    async_blocks = False
    for node in iter_nodes(block, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if isinstance(node, cst.Await):
            awaited.append(node.expression)
        elif isinstance(node, (cst.For, cst.With, cst.CompFor)) and node.asynchronous is not None:
            if not (quiet is not None and isinstance(node, cst.With) and quiet(node)):
                async_blocks = True
    return awaited, async_blocks


class SwallowedCancel(Rule):
    code = "LSC401"
    name = "swallowed-cancel"
    summary = "A handler in an async function catches CancelledError and does not re-raise"
    fix_applicability: ClassVar[Applicability | None] = Applicability.UNSAFE
    fixer: ClassVar[str | None] = "reraise_cancelled"
    prefilter = CANCEL_WORDS
    prefilter_syntax = "handlers"
    what_it_does = """
        Finds, inside an `async def` (or async generator), a handler that can
        catch `asyncio.CancelledError` and does not re-raise on every path,
        after which work goes on: a loop runs again (`continue`, a retry, a
        server loop), statements follow the `try`, an async generator
        yields, or a caller in the module awaits the function and carries
        on (an async generator, or a function that returns a value, hands
        its caller an ordinary end). Handlers that can catch it: `except asyncio.CancelledError`, a
        tuple that contains it, `except BaseException`, a bare `except:`,
        and `contextlib.suppress(...)` of one of those around an `await`.
        Reported at the `except` clause (or the `with` line).

        Re-raising is a `raise` statement (bare, or `raise ... from ...`), a
        call of a function of the module that raises on every path (or is
        annotated `NoReturn`/`Never`), `raise` under
        `if isinstance(exc, CancelledError)` (or `if not isinstance(exc,
        Exception)`), `try: raise` dispatching to an `except CancelledError:
        raise`, and the Python 3.11 idiom that re-raises when
        `asyncio.current_task().cancelling()` is non-zero. Silent when the
        `try` body has no `await`, `async for` or `async with` (nothing there
        can be cancelled), and for the idiom that cancels a task and then
        awaits it (`t.cancel()` earlier, or a `self.t` the class cancels
        elsewhere, then `try: await t` / `except CancelledError: pass`, also
        under `asyncio.timeout`): that `CancelledError` is the other task's.
        When the function just ends after the swallow (the top of a task's
        own body), see LSC402, off by default.
    """
    why_bad = """
        Cancellation is how asyncio stops work: `TaskGroup` cancels siblings
        when one fails, `asyncio.timeout()` cancels the block when time is
        up, and shutdown cancels every task. A handler that swallows
        `CancelledError` turns "stop" into "carry on": the task keeps
        running, the `TaskGroup` waits for it forever or never sees the
        failure, and a timeout never fires its `TimeoutError`.
    """
    example = """
        import asyncio

        async def consume(queue):
            while True:
                try:
                    item = await queue.get()
                    await handle(item)
                except BaseException:
                    log.exception("handler failed")
    """
    use_instead = """
        import asyncio

        async def consume(queue):
            while True:
                try:
                    item = await queue.get()
                    await handle(item)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("handler failed")
    """
    fix_safety = """
        Unsafe (`--unsafe-fixes`). The fix never skips cleanup: it re-raises
        after what the handler does.

        - A handler of `CancelledError` alone ends with `raise` (a lone `pass`
          becomes the `raise`, and so does a final bare `return`, or a final
          `continue`/`break` when nothing follows the loop).
        - A broader handler (bare `except:`, `except BaseException`, a tuple
          with other types) whose body cleans up (closes, aborts, cancels,
          releases, settles or resets something) keeps its body and ends with
          `if isinstance(exc, asyncio.CancelledError): raise` (a bare
          `except:` becomes the equivalent `except BaseException as exc:`).
          Without cleanup, `except asyncio.CancelledError: raise` is inserted
          before it, and `CancelledError` is taken out of its tuple so that no
          name is left dead.
        - When the `try` awaits a task or future made elsewhere (`await
          self._task`, `await fut`, through `shield` or `wait_for`) or a
          callable passed in (`await callback(...)`, a wrapper around someone
          else's coroutine), its `CancelledError` may be that task's or that
          callee's, not this one's: on Python 3.11+ the re-raise is
          `current = asyncio.current_task()` and
          `if current is not None and current.cancelling(): raise` (the
          `None` test keeps strict type checkers quiet), placed before a
          final `return` (which then keeps its value for every other case),
          so only this task's own cancellation propagates. Below 3.11 the two
          cannot be told apart, and the fix is withheld.

        The function now stops when cancelled instead of carrying on, and a
        caller that awaits the cancelled task now sees `CancelledError`.
        Withheld when cleanup after the `try` (or after the loop the handler
        continues) would be skipped (a `close()`, `abort()`, `cancel()`,
        `release()`, a reset of state on an object...; move it into a
        `finally` first); when the class (or module) awaits the task that
        runs this coroutine after cancelling it without catching
        `CancelledError` (`self._task.cancel(); await self._task`), which
        counts on the swallowing; when the handler returns a value (unless
        only this task's own cancellation is re-raised, as above); when a
        broad handler cleans up and then leaves; and for
        `contextlib.suppress(CancelledError)`.
    """

    #: This rule reports a swallow after which work goes on; LSC402 the others.
    reports_going_on = True

    def __init__(self, analysis: ModuleAnalysis) -> None:
        super().__init__(analysis)
        imports = analysis.frames[analysis.module].imports.values()
        trio_only = any(q.split(".")[0] == "trio" for q in imports) and not any(q.split(".")[0] == "asyncio" for q in imports)
        #: How a handler's code ends (handler_paths), and what runs after it (work_after).
        self.paths = HandlerPaths(analysis, trio_only)
        self.after = WorkAfter(analysis)
        self._candidates: list[Callable[[], None]] = []  # decisions that wait for the end of the module

    # ----------------------------------------------------------------- visits
    # Whether work goes on after a swallow, and whether an awaited task is one the class
    # cancels, depend on the whole module (who awaits the function, who cancels what):
    # the walk collects those facts, and leave_Module decides the candidates.
    def visit_Await(self, node: cst.Await) -> None:
        self.after.saw_await(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.after.saw_call(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        for decide in self._candidates:
            decide()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if not self.analysis.frame.is_async:
            return
        statements = node.body
        for index, statement in enumerate(statements):
            if isinstance(statement, (cst.Try, cst.TryStar, cst.With, cst.For, cst.While)) and index + 1 < len(statements):
                if isinstance(statement, cst.While) and is_forever_test(statement.test):
                    continue  # what follows a `while True:` runs only after a `break`
                if self.paths.outcome(statements[index + 1 :], in_loop=False) == (False, False):
                    self.after.followed_by_raise.add(statement)

    def leave_Try(self, original_node: cst.Try) -> None:
        self._check_try(original_node)

    def leave_TryStar(self, original_node: cst.TryStar) -> None:
        self._check_try(original_node)

    def leave_With(self, original_node: cst.With) -> None:
        if not self.analysis.frame.is_async:
            return
        for item in original_node.items:
            call = item.item
            if not isinstance(call, cst.Call) or self.analysis.qualify(call.func) not in SUPPRESS:
                continue
            caught = [self.paths.what_catches_cancel(arg.value) for arg in call.args if arg.keyword is None]
            what = next((w for w in caught if w), None)
            if what and original_node not in self.after.followed_by_raise:
                frame = self.analysis.frame
                awaited = self._cancellable_awaits(original_node.body)
                if awaited is not None:
                    cancelled = frozenset(frame.cancelled)  # so far: a later cancel is not this one's

                    def decide(
                        node: cst.With = original_node, call: cst.Call = call, what: str = what, frame: Frame = frame, awaited: list[cst.BaseExpression] = awaited
                    ) -> None:
                        if self.after.raised_after_its_loop(node, {"fall"}, frame):
                            return
                        if self.after.not_all_cancelled(awaited, cancelled) and self.after.goes_on(node, {"fall"}, frame) == self.reports_going_on:
                            self._report_suppress(node, call, what)

                    self._candidates.append(decide)
                return

    def _check_try(self, node: cst.Try | cst.TryStar) -> None:
        if not self.analysis.frame.is_async:
            return
        awaited = self._cancellable_awaits(node.body)
        if awaited is None:
            return
        frame = self.analysis.frame
        cancelled = frozenset(frame.cancelled)  # so far: a later cancel is not this one's
        for handler in node.handlers:
            if handler.type is None:
                what = None if self.paths.trio_only else "a bare `except:`"
            else:
                what = self.paths.what_catches_cancel(handler.type)
            if not what:
                continue
            with self.paths.catching(handler):
                swallows = self._swallows(handler.body, node)
            if swallows and not self.paths.handled_on_purpose(handler):
                with self.paths.catching(handler):
                    exits = self.paths.exits(statements_in(handler.body), in_loop=False)
                yields = self._yields_in(handler.body)

                def decide(
                    node: cst.Try | cst.TryStar = node,
                    handler: cst.ExceptHandler | cst.ExceptStarHandler = handler,
                    what: str = what,
                    exits: set[str] = exits,
                    yields: bool = yields,
                ) -> None:
                    if not self.after.not_all_cancelled(awaited, cancelled) or self.after.raised_after_its_loop(node, exits, frame):
                        return
                    if (yields or self.after.goes_on(node, exits, frame)) == self.reports_going_on:
                        self._report_handler(handler, what)

                self._candidates.append(decide)
            break  # a CancelledError never reaches the handlers after the first that catches it

    # How each of the two rules words its finding.
    def _report_handler(self, handler: cst.CSTNode, what: str) -> None:
        self.report(handler, f"{_clause(what)} swallows cancellation and carries on; re-raise CancelledError")

    def _report_suppress(self, node: cst.With, call: cst.Call, what: str) -> None:
        self.report(node, f"{short_call(self.analysis.source(call.func))} swallows cancellation and carries on; let it propagate")

    @staticmethod
    def _yields_in(body: cst.CSTNode) -> bool:
        """An async generator that yields from the handler hands out values after cancellation."""
        return any(isinstance(n, cst.Yield) for n in iter_nodes(body, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)))

    # ------------------------------------------------------------- predicates
    def _cancellable_awaits(self, body: cst.CSTNode) -> list[cst.BaseExpression] | None:
        """What ``body`` awaits, when a cancellation can land there (an ``async for`` or a
        non-timeout ``async with``: an empty list); None when nothing can be cancelled or
        the only awaits are of tasks this function cancelled (cancel-then-await)."""
        awaited, async_blocks = awaits_in(body, quiet=self._is_timeout_block)
        if async_blocks:
            return []
        if not awaited:
            return None
        cancelled = self.analysis.frame.cancelled
        if all(dotted_names_in(expr) & cancelled for expr in awaited):
            return None
        return awaited

    def _is_timeout_block(self, node: cst.With) -> bool:
        return all(isinstance(i.item, cst.Call) and self.analysis.qualify(i.item.func) in TIMEOUTS for i in node.items)

    def _swallows(self, body: cst.BaseSuite, try_node: cst.CSTNode) -> bool:
        falls, escapes = self.paths.outcome(statements_in(body), in_loop=False)
        if falls and try_node in self.after.followed_by_raise:
            # `except BaseException: pass` around a cleanup step, then `raise` right
            # after the try: the function still leaves by raising.
            falls = False
        return falls or escapes


def _clause(what: str, lower: bool = False) -> str:
    """The handler as a message names it: "`except CancelledError`", "A bare `except:`"."""
    if what.startswith("a bare"):
        return "a bare `except:`" if lower else "A bare `except:`"
    return "`except " + what.strip("`").rsplit(".", 1)[-1] + "`"


class SwallowedCancelAtExit(SwallowedCancel):
    """The swallows after which the task's own body just ends: opt-in."""

    code = "LSC402"
    name = "swallowed-cancel-at-exit"
    summary = "A task ends normally after catching CancelledError, so it does not look cancelled"
    default_enabled = False
    fix_applicability = None
    fixer = None
    prefilter = CANCEL_WORDS
    prefilter_syntax = "handlers"
    reports_going_on = False
    what_it_does = """
        Finds, inside an `async def`, a handler that catches
        `asyncio.CancelledError` (directly, in a tuple, through
        `BaseException`, a bare `except:` or `contextlib.suppress`) and
        does not re-raise, where nothing runs after it: the function ends
        there, and no code of the module awaits it (so it is a task's own
        body, started with `create_task`). Off by default: usually
        deliberate, for example the top of a connection's task that answers
        and closes the connection when it is cancelled. The swallows after
        which work goes on are LSC401.
    """
    why_bad = """
        The task ends as if it had finished: `task.cancelled()` is False,
        `await task` returns instead of raising `CancelledError`, and a
        cancellation request counted by `Task.cancelling()` is never
        consumed, so code that waits for the task cannot tell "stopped"
        from "done". An `asyncio.timeout()` that cancelled the task from
        inside never raises its `TimeoutError`.
    """
    example = """
        import asyncio

        async def pump(reader, writer):
            try:
                while True:
                    writer.write(await reader.read(1024))
            except asyncio.CancelledError:
                writer.close()

        def start(reader, writer):
            return asyncio.get_running_loop().create_task(pump(reader, writer))
    """
    use_instead = """
        import asyncio

        async def pump(reader, writer):
            try:
                while True:
                    writer.write(await reader.read(1024))
            finally:
                writer.close()

        def start(reader, writer):
            return asyncio.get_running_loop().create_task(pump(reader, writer))
    """
    fix_safety = """
        No automatic fix: whether a task should end as cancelled is the
        author's choice. Move cleanup into `finally` and let the
        `CancelledError` propagate, or add `raise` at the end of the handler.
    """

    def _report_handler(self, handler: cst.CSTNode, what: str) -> None:
        self.report(handler, f"Task ends normally after {_clause(what, lower=True)} catches cancellation; re-raise it")

    def _report_suppress(self, node: cst.With, call: cst.Call, what: str) -> None:
        self.report(node, f"{short_call(self.analysis.source(call.func))} ends the task normally on cancellation; let it propagate")
