"""How a handler's statements end, for LSC401 and LSC402: whether a handler that
caught a ``CancelledError`` re-raises it on every path, and how else its code can
leave (fall through, ``return``, ``break``, ``continue``)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Sequence

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis
from lint_structured.rules.gather_wait import CANCELLED_ERRORS, module_functions
from lint_structured.syntax import blocks_of, dotted_name, dotted_names_in, iter_nodes, statements_in

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


class HandlerPaths:
    """The paths through a handler's code, in one module.

    ``outcome`` is what matters most: whether running some statements may fall through
    and whether it may leave without raising; a handler that does neither re-raises on
    every path. While a handler's body is judged, ``catching`` names the exception it
    binds (``except CancelledError as exc``), so ``raise exc`` and ``isinstance(exc, ...)``
    are read as about the caught exception.
    """

    def __init__(self, analysis: ModuleAnalysis, trio_only: bool) -> None:
        self.analysis = analysis
        #: In a module that uses trio and not asyncio, a broad handler is about
        #: trio.Cancelled, which these rules do not cover.
        self.trio_only = trio_only
        #: The name a handler binds the exception to, while its body is judged.
        self.caught: str | None = None
        self._noreturn_names: set[str] | None = None  # see _noreturn

    @contextmanager
    def catching(self, handler: cst.ExceptHandler | cst.ExceptStarHandler) -> Iterator[None]:
        """Judge ``handler``'s body knowing the name it binds the exception to."""
        self.caught = handler.name.name.value if handler.name and isinstance(handler.name.name, cst.Name) else None
        try:
            yield
        finally:
            self.caught = None

    # Outcome of running statements: (may fall through, may leave without raising
    # through return/break/continue). A handler re-raises on every path when both are False.
    def outcome(self, statements: Sequence[cst.CSTNode], in_loop: bool) -> tuple[bool, bool]:
        escapes = False
        for stmt in statements:
            falls, leaves = self.statement(stmt, in_loop)
            escapes |= leaves
            if not falls:
                return False, escapes
        return True, escapes

    def statement(self, stmt: cst.CSTNode, in_loop: bool) -> tuple[bool, bool]:
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
            if _mentions_cancelling(stmt.test) and self.outcome(statements_in(stmt.body), in_loop) == (False, False):
                return False, False  # `if current_task().cancelling(): raise`
            if self._decides_about_the_exception(stmt.test):
                # `if scope.__exit__(type(exc), exc, tb): return True` / `raise`, or
                # `if other_task.cancelled(): ...` / `raise`: a decision about where the
                # exception comes from, re-raised when it is this task's.
                branches = [self.outcome(statements_in(stmt.body), in_loop)]
                if isinstance(stmt.orelse, cst.If):
                    branches.append(self.statement(stmt.orelse, in_loop))
                elif isinstance(stmt.orelse, cst.Else):
                    branches.append(self.outcome(statements_in(stmt.orelse.body), in_loop))
                else:
                    branches.append((True, False))
                if (False, False) in branches:
                    return False, False
                # A branch that returns or breaks was chosen on purpose; the rest goes on.
                return any(falls for falls, _ in branches), False
            taken = self._is_cancel(stmt.test)
            if taken is True:  # `if isinstance(exc, CancelledError):` holds for a cancellation
                return self.outcome(statements_in(stmt.body), in_loop)
            if taken is False:
                if isinstance(stmt.orelse, cst.If):
                    return self.statement(stmt.orelse, in_loop)
                if isinstance(stmt.orelse, cst.Else):
                    return self.outcome(statements_in(stmt.orelse.body), in_loop)
                return True, False
            body = self.outcome(statements_in(stmt.body), in_loop)
            if isinstance(stmt.orelse, cst.If):
                other = self.statement(stmt.orelse, in_loop)
            elif isinstance(stmt.orelse, cst.Else):
                other = self.outcome(statements_in(stmt.orelse.body), in_loop)
            else:
                other = (True, False)
            return body[0] or other[0], body[1] or other[1]
        if isinstance(stmt, (cst.For, cst.While)):
            body = self.outcome(statements_in(stmt.body), in_loop=True)
            infinite = isinstance(stmt, cst.While) and isinstance(stmt.test, cst.Name) and stmt.test.value == "True"
            falls = not infinite or _has_break(stmt.body)
            return falls, body[1]
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            if self._reraises_at_once(stmt.body) and isinstance(stmt, cst.Try) and stmt.finalbody is None:
                # `try: raise` / `except CancelledError: raise` / `except Exception: ...`: the
                # handler that takes a CancelledError decides, or it propagates.
                catcher = next((h for h in stmt.handlers if h.type is None or self.what_catches_cancel(h.type)), None)
                return self.outcome(statements_in(catcher.body), in_loop) if catcher is not None else (False, False)
            body = self.outcome(statements_in(stmt.body), in_loop)
            if stmt.orelse is not None and body[0]:
                body = self.outcome(statements_in(stmt.orelse.body), in_loop)
            outcomes = [body] + [self.outcome(statements_in(h.body), in_loop) for h in stmt.handlers]
            falls = any(o[0] for o in outcomes)
            escapes = any(o[1] for o in outcomes)
            if stmt.finalbody is not None:
                final = self.outcome(statements_in(stmt.finalbody.body), in_loop)
                if not final[0]:
                    return False, final[1]
                escapes |= final[1]
            return falls, escapes
        if isinstance(stmt, cst.With):
            return self.outcome(statements_in(stmt.body), in_loop)
        if isinstance(stmt, cst.Match):
            outcomes = [self.outcome(statements_in(case.body), in_loop) for case in stmt.cases]
            exhaustive = any(
                case.guard is None and isinstance(case.pattern, cst.MatchAs) and case.pattern.pattern is None
                for case in stmt.cases
            )
            return (not exhaustive) or any(o[0] for o in outcomes), any(o[1] for o in outcomes)
        return True, False

    def exits(self, statements: Sequence[cst.CSTNode], in_loop: bool) -> set[str]:
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
        falls, _ = self.statement(stmt, in_loop)
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                if isinstance(small, cst.Return):
                    return {"return"}
                if isinstance(small, (cst.Break, cst.Continue)):
                    return {"fall"} if in_loop else {"break" if isinstance(small, cst.Break) else "continue"}
            return {"fall"} if falls else set()
        if isinstance(stmt, (cst.For, cst.While)):
            return self.exits(statements_in(stmt.body), in_loop=True) | ({"fall"} if falls else set())
        exits: set[str] = set()
        for block in blocks_of(stmt):
            exits |= self.exits(statements_in(block), in_loop)
        if not falls:
            exits.discard("fall")
        elif not exits:
            exits.add("fall")
        return exits

    def _is_cancel(self, test: cst.BaseExpression) -> bool | None:
        """Whether ``test`` holds when the caught exception is a ``CancelledError``: True,
        False, or None when it does not say (``isinstance(exc, ...)`` on the caught name)."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = self._is_cancel(test.expression)
            return None if inner is None else not inner
        if not (
            self.caught
            and isinstance(test, cst.Call)
            and isinstance(test.func, cst.Name)
            and test.func.value == "isinstance"
            and self.analysis.lookup("isinstance") is None
            and len(test.args) == 2
            and isinstance(test.args[0].value, cst.Name)
            and test.args[0].value.value == self.caught
        ):
            return None
        # Only BaseException and the CancelledError classes are bases of a CancelledError.
        return bool(self.what_catches_cancel(test.args[1].value))

    def _decides_about_the_exception(self, test: cst.BaseExpression) -> bool:
        """The test looks at the caught exception (other than a plain ``isinstance``,
        which ``_is_cancel`` reads) or at whether some task was cancelled."""
        if self._is_cancel(test) is not None:
            return False
        for node in iter_nodes(test):
            if self.caught and isinstance(node, cst.Name) and node.value == self.caught:
                return True
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("cancelled", "cancelling"):
                return True
        return False

    def _reraises_at_once(self, body: cst.CSTNode) -> bool:
        """The block starts with a bare ``raise`` (or ``raise <the caught name>``)."""
        first = statements_in(body)[:1]
        if not first or not isinstance(first[0], cst.SimpleStatementLine) or not isinstance(first[0].body[0], cst.Raise):
            return False
        raised = first[0].body[0].exc
        return raised is None or (self.caught is not None and isinstance(raised, cst.Name) and raised.value == self.caught)

    def what_catches_cancel(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, cst.Tuple):
            for element in expr.elements:
                found = self.what_catches_cancel(element.value)
                if found:
                    return found
            return None
        qualified = self.analysis.qualify(expr)
        if qualified in CANCELLED_ERRORS:
            return f"`{self.analysis.source(expr)}`"
        if self.trio_only:
            return None
        if isinstance(expr, cst.Name) and expr.value == "BaseException" and self.analysis.lookup("BaseException") is None:
            return "`BaseException`"
        if qualified == "builtins.BaseException":
            return "`BaseException`"
        return None

    @property
    def _noreturn(self) -> set[str]:
        """Functions whose call re-raises: annotated ``NoReturn``, or raising on every path
        (worked out the first time a call statement is judged)."""
        if self._noreturn_names is None:
            self._noreturn_names = names = set(noreturn_functions(self.analysis.module))
            self._add_always_raising(self.analysis.module, names)
        return self._noreturn_names

    def _add_always_raising(self, module: cst.Module, names: set[str]) -> None:
        """Count as re-raising the functions and methods of the module whose every path
        raises (``def reraise(e): raise e``), to a fixed point, so that a helper calling
        such a helper counts too."""
        # Only a function whose last statement raises, calls or branches can raise on every path.
        pending = [
            f
            for f in module_functions(module)
            if f.name.value not in names and _may_end_raising(statements_in(f.body))
        ]
        changed = True
        while changed and pending:
            changed = False
            for function in list(pending):
                if self.outcome(statements_in(function.body), in_loop=False) == (False, False):
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

    def handled_on_purpose(self, handler: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
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


def _may_end_raising(statements: Sequence[cst.CSTNode]) -> bool:
    if not statements:
        return False
    last = statements[-1]
    if not isinstance(last, cst.SimpleStatementLine):
        return not isinstance(last, (cst.FunctionDef, cst.ClassDef))
    return any(isinstance(small, cst.Raise) or (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)) for small in last.body)


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
