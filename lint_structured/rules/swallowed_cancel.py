"""LSC401 swallowed-cancel: a handler in an async function eats CancelledError."""

from __future__ import annotations

from typing import Callable, ClassVar, Sequence

from lint_structured import nodes as cst
from lint_structured.analysis import Frame, ModuleAnalysis
from lint_structured.model import Applicability
from lint_structured.rules.base import CANCEL_WORDS, Rule, short_call
from lint_structured.rules.gather_wait import CANCELLED_ERRORS, TIMEOUTS, call_tail, ends_with_raise, module_functions
from lint_structured.syntax import dotted_name, dotted_names_in, is_forever_test, iter_nodes

SUPPRESS = frozenset({"contextlib.suppress"})
NORETURN = ("NoReturn", "Never")


def noreturn_functions(module: cst.Module) -> frozenset[str]:
    """Names of the module's functions and methods annotated ``-> NoReturn`` / ``-> Never``."""
    found = set()
    for node in module_functions(module):
        if node.returns is not None:
            annotation = node.returns.annotation
            name = dotted_name(annotation) or (annotation.value.strip("'\"") if isinstance(annotation, cst.SimpleString) else "")
            if name.rsplit(".", 1)[-1] in NORETURN:
                found.add(node.name.value)
    return frozenset(found)


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
        self._tails: dict[cst.CSTNode, dict[cst.CSTNode, bool]] = {}
        #: Names awaited as calls in the module (``await f()``, ``await self.f()``): a function
        #: whose caller awaits it hands its swallowed cancellation to a caller that goes on.
        self._awaited: set[str] = set()
        #: ``self.x`` for every ``self.x.cancel()``: awaiting such a task later (``await self.x``
        #: in ``close()``) raises the CancelledError of *that* task.
        self._cancelled_attrs: set[str] = set()
        #: Functions the module starts as tasks (``create_task(self._run())``): their own bodies.
        self._spawned: set[str] = set()
        self._candidates: list[Callable[[], None]] = []  # decisions that wait for the end of the module
        self._noreturn_names: set[str] | None = None  # see _noreturn
        #: The name a handler binds the exception to, while its body is judged.
        self._caught: str | None = None
        # `try`/`with` statements after which the rest of their block always raises.
        self._followed_by_raise: set[cst.CSTNode] = set()
        # In a module that uses trio and not asyncio, a broad handler is about
        # trio.Cancelled, which this rule does not cover.
        imports = analysis.frames[analysis.module].imports.values()
        self._trio_only = any(q.split(".")[0] == "trio" for q in imports) and not any(
            q.split(".")[0] == "asyncio" for q in imports
        )

    # ----------------------------------------------------------------- visits
    # Whether work goes on after a swallow, and whether an awaited task is one the class
    # cancels, depend on the whole module (who awaits the function, who cancels what):
    # the walk collects those facts, and leave_Module decides the candidates.
    def visit_Await(self, node: cst.Await) -> None:
        if isinstance(node.expression, cst.Call):
            func = node.expression.func
            if isinstance(func, cst.Name):
                self._awaited.add(func.value)
            elif isinstance(func, cst.Attribute) and self.analysis.qualify(func) is None:
                # `await self.close()`, `await session.close()`; not `await other_module.f()`,
                # a function of another module that only shares the name.
                self._awaited.add(func.attr.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        tail = call_tail(func)
        if tail not in _AWAITING_COMBINATORS:
            # `create_task(self._run())`, `start_pending_task(self._fetch(...))`: a coroutine
            # handed to another call is run as a task, its own body.
            for arg in node.args:
                if isinstance(arg.value, cst.Call):
                    body = arg.value.func
                    if isinstance(body, cst.Name):
                        self._spawned.add(body.value)
                    elif isinstance(body, cst.Attribute):
                        self._spawned.add(body.attr.value)
        if isinstance(func, cst.Attribute) and func.attr.value == "cancel":
            name = dotted_name(func.value)
            if name is not None and name.startswith("self."):
                self._cancelled_attrs.add(name)

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
                if self._outcome(statements[index + 1 :], in_loop=False) == (False, False):
                    self._followed_by_raise.add(statement)

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
            caught = [self._what_catches_cancel(arg.value) for arg in call.args if arg.keyword is None]
            what = next((w for w in caught if w), None)
            if what and original_node not in self._followed_by_raise:
                frame = self.analysis.frame
                awaited = self._cancellable_awaits(original_node.body)
                if awaited is not None:
                    cancelled = frozenset(frame.cancelled)  # so far: a later cancel is not this one's

                    def decide(
                        node: cst.With = original_node, call: cst.Call = call, what: str = what, frame: Frame = frame, awaited: list[cst.BaseExpression] = awaited
                    ) -> None:
                        if self._raised_after_its_loop(node, {"fall"}, frame):
                            return
                        if self._not_all_cancelled(awaited, cancelled) and self._goes_on(node, {"fall"}, frame) == self.reports_going_on:
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
                what = None if self._trio_only else "a bare `except:`"
            else:
                what = self._what_catches_cancel(handler.type)
            if not what:
                continue
            self._caught = handler.name.name.value if handler.name and isinstance(handler.name.name, cst.Name) else None
            try:
                swallows = self._swallows(handler.body, node)
            finally:
                self._caught = None
            if swallows and not self._handled_on_purpose(handler):
                self._caught = handler.name.name.value if handler.name and isinstance(handler.name.name, cst.Name) else None
                try:
                    exits = self._exits(_statements(handler.body), in_loop=False)
                finally:
                    self._caught = None
                yields = self._yields_in(handler.body)

                def decide(
                    node: cst.Try | cst.TryStar = node,
                    handler: cst.ExceptHandler | cst.ExceptStarHandler = handler,
                    what: str = what,
                    exits: set[str] = exits,
                    yields: bool = yields,
                ) -> None:
                    if not self._not_all_cancelled(awaited, cancelled) or self._raised_after_its_loop(node, exits, frame):
                        return
                    if (yields or self._goes_on(node, exits, frame)) == self.reports_going_on:
                        self._report_handler(handler, what)

                self._candidates.append(decide)
            break  # a CancelledError never reaches the handlers after the first that catches it

    # How each of the two rules words its finding.
    def _report_handler(self, handler: cst.CSTNode, what: str) -> None:
        self.report(handler, f"{_clause(what)} swallows cancellation and carries on; re-raise CancelledError")

    def _report_suppress(self, node: cst.With, call: cst.Call, what: str) -> None:
        self.report(node, f"{short_call(self.analysis.source(call.func))} swallows cancellation and carries on; let it propagate")

    # -------------------------------------------- does the code go on after a swallow?
    def _goes_on(self, statement: cst.CSTNode, exits: set[str], frame: Frame) -> bool:
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
        if name in self._awaited:
            return True
        # A task's own body that returns a value ends the task; a function nobody here starts
        # or awaits, and that returns a value, hands its caller a result to go on with.
        return name not in self._spawned and _returns_a_value(function)

    def _raised_after_its_loop(self, statement: cst.CSTNode, exits: set[str], frame: Frame) -> bool:
        """The swallow only holds the cancellation back: it sits in a loop (``while not
        task.done(): with suppress(CancelledError): await shield(task)``) that is followed,
        once it ends, by a ``raise``."""
        if "return" in exits:
            return False
        loop = self._loop_around(frame.node, statement)
        if loop is not None and loop in self._followed_by_raise:
            return True
        # ... or inside the handler of an outer `except CancelledError:` that ends with `raise`:
        # the inner swallows only hold back repeated cancellations until the work is done.
        for node in iter_nodes(frame.node, prune=(cst.Lambda, cst.ClassDef)):
            if isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)) and node.body is not statement:
                inside = any(inner is statement for inner in iter_nodes(node.body, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)))
                if inside and ends_with_raise(node.body):
                    return True
        return False

    def _tail_positions(self, function: cst.CSTNode) -> dict[cst.CSTNode, bool]:
        """For each statement of ``function``: whether the function ends (nothing but
        ``pass``/``return`` runs) once that statement completes."""
        cached = self._tails.get(function)
        if cached is None:
            cached = self._tails[function] = {}
            _mark_tails(_statements(getattr(function, "body", function)), True, cached)
        return cached

    def _loop_around(self, function: cst.CSTNode, statement: cst.CSTNode) -> cst.CSTNode | None:
        """The innermost ``for``/``while`` of ``function`` whose body holds ``statement``."""
        found = None
        for node in iter_nodes(function, prune=(cst.Lambda, cst.ClassDef)):
            if isinstance(node, (cst.For, cst.While)) and node is not statement:
                if any(inner is statement for inner in iter_nodes(node.body, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef))):
                    found = node  # iter_nodes goes outside in: the last one found is the innermost
        return found

    @staticmethod
    def _yields_in(body: cst.CSTNode) -> bool:
        """An async generator that yields from the handler hands out values after cancellation."""
        return any(isinstance(n, cst.Yield) for n in iter_nodes(body, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)))

    def _exits(self, statements: Sequence[cst.CSTNode], in_loop: bool) -> set[str]:
        """How running ``statements`` can leave them without raising: "fall" (past the
        end), "return", and, outside a loop of their own, "break" and "continue"."""
        exits: set[str] = set()
        for stmt in statements:
            mine = self._statement_exits(stmt, in_loop)
            exits |= mine - {"fall"}
            if "fall" not in mine:
                return exits
        return exits | {"fall"}

    def _statement_exits(self, stmt: cst.CSTNode, in_loop: bool) -> set[str]:
        falls, _ = self._statement(stmt, in_loop)
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                if isinstance(small, cst.Return):
                    return {"return"}
                if isinstance(small, (cst.Break, cst.Continue)):
                    return {"fall"} if in_loop else {"break" if isinstance(small, cst.Break) else "continue"}
            return {"fall"} if falls else set()
        if isinstance(stmt, (cst.For, cst.While)):
            return self._exits(_statements(stmt.body), in_loop=True) | ({"fall"} if falls else set())
        exits: set[str] = set()
        for block in _blocks(stmt):
            exits |= self._exits(_statements(block), in_loop)
        if not falls:
            exits.discard("fall")
        elif not exits:
            exits.add("fall")
        return exits

    # ------------------------------------------------------------- predicates
    def _handled_on_purpose(self, handler: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
        """``current_task().uncancel()``, or the exception kept to be raised later.

        ``uncancel()`` is how Python 3.11 code consumes a cancellation request on
        purpose (``asyncio.timeout`` does it). The deferred re-raise collects the
        exception in a local name or container that the function raises from
        afterwards: ``errors.append(exc)`` ... ``raise errors[0]``, or ``first = exc``
        ... ``raise first``.
        """
        stored_in: set[str] = set()
        caught = handler.name.name.value if handler.name and isinstance(handler.name.name, cst.Name) else None
        for node in iter_nodes(handler.body):
            if (
                caught
                and isinstance(node, cst.Assign)
                and isinstance(node.value, cst.Name)
                and node.value.value == caught
            ):
                # `first = exc` ... `raise first`
                stored_in.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                if node.func.attr.value == "uncancel":
                    return True
                if (
                    caught
                    and node.func.attr.value in ("throw", "athrow")
                    and any(isinstance(a.value, cst.Name) and a.value.value == caught for a in node.args)
                ):
                    return True  # forwarded into the coroutine or generator this one drives
                if (
                    caught
                    and node.func.attr.value in ("append", "add")
                    and isinstance(node.func.value, cst.Name)
                    and any(isinstance(a.value, cst.Name) and a.value.value == caught for a in node.args)
                ):
                    stored_in.add(node.func.value.value)
        return bool(stored_in) and bool(_raised_names(self.analysis.frame.node) & stored_in)

    def _what_catches_cancel(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, cst.Tuple):
            for element in expr.elements:
                found = self._what_catches_cancel(element.value)
                if found:
                    return found
            return None
        qualified = self.analysis.qualify(expr)
        if qualified in CANCELLED_ERRORS:
            return f"`{self.analysis.source(expr)}`"
        if self._trio_only:
            return None
        if isinstance(expr, cst.Name) and expr.value == "BaseException" and self.analysis.lookup("BaseException") is None:
            return "`BaseException`"
        if qualified == "builtins.BaseException":
            return "`BaseException`"
        return None

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

    def _not_all_cancelled(self, awaited: list[cst.BaseExpression], cancelled: frozenset[str]) -> bool:
        """Not every await is of a task cancelled first, here or (``self.x``) by the class."""
        if not awaited:
            return True
        cancelled = cancelled | self._cancelled_attrs
        return not all(dotted_names_in(expr) & cancelled for expr in awaited)

    def _is_timeout_block(self, node: cst.With) -> bool:
        return all(isinstance(i.item, cst.Call) and self.analysis.qualify(i.item.func) in TIMEOUTS for i in node.items)

    @property
    def _noreturn(self) -> set[str]:
        """Functions whose call re-raises: annotated ``NoReturn``, or raising on every path
        (worked out the first time a call statement is judged)."""
        if self._noreturn_names is None:
            self._noreturn_names = names = set(noreturn_functions(self.analysis.module))
            self._add_always_raising(self.analysis.module, names)
        return self._noreturn_names

    def _swallows(self, body: cst.BaseSuite, try_node: cst.CSTNode) -> bool:
        falls, escapes = self._outcome(_statements(body), in_loop=False)
        if falls and try_node in self._followed_by_raise:
            # `except BaseException: pass` around a cleanup step, then `raise` right
            # after the try: the function still leaves by raising.
            falls = False
        return falls or escapes

    # Outcome of running statements: (may fall through, may leave without raising
    # through return/break/continue). A handler re-raises on every path when both are False.
    def _outcome(self, statements: Sequence[cst.CSTNode], in_loop: bool) -> tuple[bool, bool]:
        escapes = False
        for stmt in statements:
            falls, leaves = self._statement(stmt, in_loop)
            escapes |= leaves
            if not falls:
                return False, escapes
        return True, escapes

    def _statement(self, stmt: cst.CSTNode, in_loop: bool) -> tuple[bool, bool]:
        # One branch per kind of statement, each a few lines: longer than most functions
        # here, but the cases read best side by side.
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                if isinstance(small, cst.Raise):
                    return False, False
                if isinstance(small, cst.Return):
                    return False, True
                if isinstance(small, (cst.Break, cst.Continue)):
                    return False, not in_loop
                if isinstance(small, cst.Expr) and self._is_noreturn_call(small.value):
                    return False, False
            return True, False
        if isinstance(stmt, cst.If):
            if _mentions_cancelling(stmt.test) and self._outcome(_statements(stmt.body), in_loop) == (False, False):
                return False, False  # `if current_task().cancelling(): raise`
            if self._decides_about_the_exception(stmt.test):
                # `if scope.__exit__(type(exc), exc, tb): return True` / `raise`, or
                # `if other_task.cancelled(): ...` / `raise`: a decision about where the
                # exception comes from, re-raised when it is this task's.
                branches = [self._outcome(_statements(stmt.body), in_loop)]
                if isinstance(stmt.orelse, cst.If):
                    branches.append(self._statement(stmt.orelse, in_loop))
                elif isinstance(stmt.orelse, cst.Else):
                    branches.append(self._outcome(_statements(stmt.orelse.body), in_loop))
                else:
                    branches.append((True, False))
                if (False, False) in branches:
                    return False, False
                # A branch that returns or breaks was chosen on purpose; the rest goes on.
                return any(falls for falls, _ in branches), False
            taken = self._is_cancel(stmt.test)
            if taken is True:  # `if isinstance(exc, CancelledError):` holds for a cancellation
                return self._outcome(_statements(stmt.body), in_loop)
            if taken is False:
                if isinstance(stmt.orelse, cst.If):
                    return self._statement(stmt.orelse, in_loop)
                if isinstance(stmt.orelse, cst.Else):
                    return self._outcome(_statements(stmt.orelse.body), in_loop)
                return True, False
            body = self._outcome(_statements(stmt.body), in_loop)
            if isinstance(stmt.orelse, cst.If):
                other = self._statement(stmt.orelse, in_loop)
            elif isinstance(stmt.orelse, cst.Else):
                other = self._outcome(_statements(stmt.orelse.body), in_loop)
            else:
                other = (True, False)
            return body[0] or other[0], body[1] or other[1]
        if isinstance(stmt, (cst.For, cst.While)):
            body = self._outcome(_statements(stmt.body), in_loop=True)
            infinite = isinstance(stmt, cst.While) and isinstance(stmt.test, cst.Name) and stmt.test.value == "True"
            falls = not infinite or _has_break(stmt.body)
            return falls, body[1]
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            if self._reraises_at_once(stmt.body) and isinstance(stmt, cst.Try) and stmt.finalbody is None:
                # `try: raise` / `except CancelledError: raise` / `except Exception: ...`: the
                # handler that takes a CancelledError decides, or it propagates.
                catcher = next((h for h in stmt.handlers if h.type is None or self._what_catches_cancel(h.type)), None)
                return self._outcome(_statements(catcher.body), in_loop) if catcher is not None else (False, False)
            body = self._outcome(_statements(stmt.body), in_loop)
            if stmt.orelse is not None and body[0]:
                body = self._outcome(_statements(stmt.orelse.body), in_loop)
            outcomes = [body] + [self._outcome(_statements(h.body), in_loop) for h in stmt.handlers]
            falls = any(o[0] for o in outcomes)
            escapes = any(o[1] for o in outcomes)
            if stmt.finalbody is not None:
                final = self._outcome(_statements(stmt.finalbody.body), in_loop)
                if not final[0]:
                    return False, final[1]
                escapes |= final[1]
            return falls, escapes
        if isinstance(stmt, cst.With):
            return self._outcome(_statements(stmt.body), in_loop)
        if isinstance(stmt, cst.Match):
            outcomes = [self._outcome(_statements(case.body), in_loop) for case in stmt.cases]
            exhaustive = any(
                case.guard is None and isinstance(case.pattern, cst.MatchAs) and case.pattern.pattern is None
                for case in stmt.cases
            )
            return (not exhaustive) or any(o[0] for o in outcomes), any(o[1] for o in outcomes)
        return True, False

    def _is_cancel(self, test: cst.BaseExpression) -> bool | None:
        """Whether ``test`` holds when the caught exception is a ``CancelledError``: True,
        False, or None when it does not say (``isinstance(exc, ...)`` on the caught name)."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = self._is_cancel(test.expression)
            return None if inner is None else not inner
        if not (
            self._caught
            and isinstance(test, cst.Call)
            and isinstance(test.func, cst.Name)
            and test.func.value == "isinstance"
            and self.analysis.lookup("isinstance") is None
            and len(test.args) == 2
            and isinstance(test.args[0].value, cst.Name)
            and test.args[0].value.value == self._caught
        ):
            return None
        # Only BaseException and the CancelledError classes are bases of a CancelledError.
        return bool(self._what_catches_cancel(test.args[1].value))

    def _decides_about_the_exception(self, test: cst.BaseExpression) -> bool:
        """The test looks at the caught exception (other than a plain ``isinstance``,
        which ``_is_cancel`` reads) or at whether some task was cancelled."""
        if self._is_cancel(test) is not None:
            return False
        for node in iter_nodes(test):
            if self._caught and isinstance(node, cst.Name) and node.value == self._caught:
                return True
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("cancelled", "cancelling"):
                return True
        return False

    def _reraises_at_once(self, body: cst.CSTNode) -> bool:
        """The block starts with a bare ``raise`` (or ``raise <the caught name>``)."""
        first = _statements(body)[:1]
        if not first or not isinstance(first[0], cst.SimpleStatementLine) or not isinstance(first[0].body[0], cst.Raise):
            return False
        raised = first[0].body[0].exc
        return raised is None or (self._caught is not None and isinstance(raised, cst.Name) and raised.value == self._caught)

    def _add_always_raising(self, module: cst.Module, names: set[str]) -> None:
        """Count as re-raising the functions and methods of the module whose every path
        raises (``def reraise(e): raise e``), to a fixed point, so that a helper calling
        such a helper counts too."""
        # Only a function whose last statement raises, calls or branches can raise on every path.
        pending = [
            f
            for f in module_functions(module)
            if f.name.value not in names and _may_end_raising(_statements(f.body))
        ]
        changed = True
        while changed and pending:
            changed = False
            for function in list(pending):
                if self._outcome(_statements(function.body), in_loop=False) == (False, False):
                    names.add(function.name.value)
                    pending.remove(function)
                    changed = True

    def _is_noreturn_call(self, expr: cst.BaseExpression) -> bool:
        if not isinstance(expr, cst.Call) or not self._noreturn:
            return False
        func = expr.func
        if isinstance(func, cst.Name):
            return func.value in self._noreturn
        return (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in ("self", "cls")
            and func.attr.value in self._noreturn
        )


def _clause(what: str, lower: bool = False) -> str:
    """The handler as a message names it: "`except CancelledError`", "A bare `except:`"."""
    if what.startswith("a bare"):
        return "a bare `except:`" if lower else "A bare `except:`"
    return "`except " + what.strip("`").rsplit(".", 1)[-1] + "`"


def _may_end_raising(statements: Sequence[cst.CSTNode]) -> bool:
    if not statements:
        return False
    last = statements[-1]
    if not isinstance(last, cst.SimpleStatementLine):
        return not isinstance(last, (cst.FunctionDef, cst.ClassDef))
    return any(isinstance(small, cst.Raise) or (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)) for small in last.body)


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
_CLEANUP_CALLS = frozenset(
    {
        "cancel", "close", "aclose", "abort", "set", "clear", "release", "discard", "remove", "pop",
        "shutdown", "stop", "set_result", "set_exception", "wait_closed", "unlink", "join", "notify_all",
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
        blocks = _blocks(statement) + ([final] if final is not None else [])
        return all(_is_trivial(inner) for block in blocks for inner in _statements(block))
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


def _blocks(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The blocks of a compound statement other than a loop: bodies, branches, handlers."""
    blocks = [getattr(statement, "body", None)]
    orelse = getattr(statement, "orelse", None)
    while isinstance(orelse, cst.If):
        blocks.append(orelse.body)
        orelse = orelse.orelse
    if orelse is not None:
        blocks.append(orelse.body)
    blocks.extend(h.body for h in getattr(statement, "handlers", ()))
    if isinstance(statement, cst.Match):
        blocks.extend(case.body for case in statement.cases)
    return [b for b in blocks if b is not None]


def _mark_tails(statements: Sequence[cst.CSTNode], ends: bool, tails: dict[cst.CSTNode, bool]) -> None:
    """Mark in ``tails`` whether the function ends once each statement completes; ``ends``
    says whether it does once ``statements`` complete."""
    rest_trivial = True
    for statement in reversed(list(statements)):
        tail = ends and rest_trivial
        tails[statement] = tail
        if isinstance(statement, (cst.For, cst.While)):
            _mark_tails(_statements(statement.body), False, tails)  # the loop runs again
            if statement.orelse is not None:
                _mark_tails(_statements(statement.orelse.body), tail, tails)
        elif not isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite, cst.FunctionDef, cst.ClassDef)):
            for block in _blocks(statement):
                _mark_tails(_statements(block), tail, tails)
            final = getattr(statement, "finalbody", None)
            if final is not None:
                _mark_tails(_statements(final.body), tail, tails)
        rest_trivial = rest_trivial and _is_trivial(statement)


def _statements(suite: cst.CSTNode) -> Sequence[cst.CSTNode]:
    body = getattr(suite, "body", ())
    return body if isinstance(body, Sequence) else ()


def _raised_names(function: cst.CSTNode) -> set[str]:
    """Names that the ``raise`` statements of ``function`` raise from (``raise errors[0]``)."""
    found: set[str] = set()
    for node in iter_nodes(function):
        if isinstance(node, cst.Raise) and node.exc is not None:
            found |= {name.split(".")[0] for name in dotted_names_in(node.exc)}
    return found


def _mentions_cancelling(test: cst.CSTNode) -> bool:
    return any(
        isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "cancelling"
        for node in iter_nodes(test)
    )


def _has_break(suite: cst.CSTNode) -> bool:
    # A break inside a nested loop leaves that loop, not this one.
    return any(isinstance(node, cst.Break) for node in iter_nodes(suite, prune=(cst.For, cst.While, cst.FunctionDef, cst.ClassDef)))


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
