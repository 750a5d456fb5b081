"""LSC401 fix: let ``CancelledError`` propagate out of the handler.

A handler of ``CancelledError`` alone gets a ``raise`` at its end (a lone
``pass`` becomes the ``raise``). A broader handler (a bare ``except:``,
``except BaseException``, a tuple with other types) keeps its body for the
other exceptions, and an ``except asyncio.CancelledError: raise`` clause is
inserted before it. Unsafe: code that relied on swallowing the cancellation
(going on after a timeout or a cancel) now stops there.
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers.base import Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.analysis import iter_nodes
from lint_structured.fixers.builders import TaskGroupBuilder, enclosing_function, own_nodes
from lint_structured.model import Applicability
from lint_structured.rules import Report
from lint_structured.rules.gather_wait import CANCELLED_ERRORS
from lint_structured.rules.swallowed_cancel import SUPPRESS

_LEAVES = {cst.Return: "return", cst.Break: "break", cst.Continue: "continue"}


def plan(ctx: FixContext, report: Report) -> Outcome:
    handler = report.node
    if not isinstance(handler, cst.ExceptHandler):
        return Withheld("take `CancelledError` out of `suppress(...)` by hand")
    owner = ctx.parent(handler)
    if not isinstance(owner, cst.Try):
        return Withheld("the handler is not part of a plain `try`")
    function = enclosing_function(ctx, handler)
    exact = handler.type is not None and ctx.analysis.qualify(handler.type) in CANCELLED_ERRORS
    leaves = _leaving_statement(handler) if exact else None
    if isinstance(leaves, (cst.Continue, cst.Break)):
        # The handler goes on with (or out of) its loop: re-raising skips what follows the loop.
        loop = next((a for a in ctx.ancestors(handler) if isinstance(a, (cst.For, cst.While))), None)
        after = "the loop's caller" if loop is None or function is None else _cleanup_after(ctx, loop, function)
        if after:
            keyword = "continue" if isinstance(leaves, cst.Continue) else "break"
            return Withheld(
                f"the handler ends with `{keyword}` and a re-raise would skip cleanup after the loop "
                f"(`{after}`); move it into a `finally` and re-raise by hand"
            )
    elif isinstance(leaves, cst.Return) and leaves.value is not None:
        return Withheld(
            "the handler returns a value; re-raising instead changes what the caller gets, "
            "so decide by hand (cleanup in `finally`, then `raise`)"
        )
    elif leaves is None and function is not None:
        after = _cleanup_after(ctx, owner, function)
        if after:
            return Withheld(
                f"cleanup after the `try` (`{after}`) runs once the cancellation is swallowed; re-raising "
                "would skip it, so move it into a `finally` and re-raise by hand"
            )
    if function is not None:
        waiter = _awaited_after_cancel(ctx, function)
        if waiter:
            return Withheld(
                f"`{waiter}` awaits the task running `{function.name.value}` without catching "
                "`CancelledError`: it relies on the task swallowing its cancellation, and a re-raise "
                "would make that `await` raise; catch it there first"
            )
    if exact:
        return _end_with_raise(handler, leaves)
    frame = ctx.analysis.frame_for(function) if function is not None else None
    builder = TaskGroupBuilder(ctx, frame)

    def build() -> Edit:
        local = builder.local_for("asyncio.exceptions.CancelledError")
        if local:
            caught, imports = cst.Name(local), ()
        else:
            caught, imports = builder.asyncio_member("CancelledError")
        clause = cst.ExceptHandler(body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Raise()])]), type=caught)
        index = next(i for i, h in enumerate(owner.handlers) if h is handler)
        handlers = [*owner.handlers[:index], clause, *owner.handlers[index:]]
        return Edit({owner: owner.with_changes(handlers=handlers)}, imports)

    return Plan(
        Applicability.UNSAFE,
        "insert `except asyncio.CancelledError: raise` before this handler (cancellation then propagates)",
        build,
    )


#: Calls that release or settle something: skipping them on cancellation leaks it.
_CLEANUP_CALLS = frozenset(
    {
        "close", "aclose", "cancel", "release", "shutdown", "cleanup", "disconnect", "stop", "terminate",
        "kill", "unlink", "remove", "discard", "clear", "set", "set_result", "set_exception", "notify",
        "notify_all", "put", "put_nowait", "task_done", "wait_closed", "flush", "commit", "rollback",
        "unregister", "unsubscribe", "finish", "done", "reset",
    }
)


def _cleanup_after(ctx: FixContext, statement: cst.CSTNode, function: cst.FunctionDef) -> str | None:
    """The first statement of ``function`` that runs after ``statement`` and looks like
    cleanup (releases, settles or resets something), as source; None if there is none.

    Counters, sleeps, logging, ``return`` and the next steps of the work are
    not cleanup: skipping them on cancellation is what cancellation is for.
    """
    child = statement
    for parent in ctx.ancestors(statement):
        if parent is function:
            return None
        if isinstance(parent, cst.IndentedBlock):
            at = next(i for i, s in enumerate(parent.body) if s is child)
            for later in parent.body[at + 1 :]:
                if _is_cleanup(later):
                    code = [line.strip() for line in ctx.source(later).splitlines()]
                    return next(line for line in code if line and not line.startswith("#"))
        if isinstance(parent, (cst.Try, cst.TryStar)) and child is parent.body and parent.orelse is not None:
            if _is_cleanup(parent.orelse):
                return "else: ..."
        child = parent
    return None


def _is_cleanup(node: cst.CSTNode) -> bool:
    for n in own_nodes(node):
        if isinstance(n, (cst.Del, cst.With)):
            return True
        if isinstance(n, cst.Call):
            func = n.func
            name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
            if name in _CLEANUP_CALLS:
                return True
        if isinstance(n, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            targets = [t.target for t in n.targets] if isinstance(n, cst.Assign) else [n.target]
            if any(isinstance(t, (cst.Attribute, cst.Subscript)) for t in targets):
                return True  # state on an object: resetting it is cleanup
    return False


def _awaited_after_cancel(ctx: FixContext, function: cst.FunctionDef) -> str | None:
    """An ``await <task>`` elsewhere in the module, not guarded against ``CancelledError``,
    of a task that runs ``function`` (``self._task = create_task(self.function())``)."""
    name = function.name.value
    # A method's task is held and awaited by its own class.
    scope = next((a for a in ctx.ancestors(function) if isinstance(a, cst.ClassDef)), ctx.module)
    holders: set[str] = set()
    # Any `holder = spawner(name(...))`: projects wrap create_task in helpers of their own.
    for node in iter_nodes(scope):
        if not (isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.value, cst.Call)):
            continue
        args = [a.value for a in node.value.args if a.keyword is None]
        coro = args[0] if args else None
        func = coro.func if isinstance(coro, cst.Call) else None
        called = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        if called == name:
            holders.add(ctx.source(node.targets[0].target))
    if not holders:
        return None
    for node in iter_nodes(scope):
        if isinstance(node, cst.Await) and ctx.source(node.expression) in holders:
            if not _guarded(ctx, node):
                return ctx.source(node)
    return None


def _guarded(ctx: FixContext, node: cst.CSTNode) -> bool:
    """Inside a ``try`` body with a handler that catches ``CancelledError``, or a
    ``suppress(CancelledError)`` block."""
    child = node
    for parent in ctx.ancestors(node):
        if isinstance(parent, (cst.Try, cst.TryStar)) and child is parent.body:
            for handler in parent.handlers:
                if handler.type is None:
                    return True
                caught = [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
                for expr in caught:
                    qualified = ctx.analysis.qualify(expr) or ctx.source(expr)
                    if qualified in CANCELLED_ERRORS or qualified.rsplit(".", 1)[-1] in ("CancelledError", "BaseException"):
                        return True
        if isinstance(parent, cst.With):
            for item in parent.items:
                call = item.item
                if isinstance(call, cst.Call) and ctx.analysis.qualify(call.func) in SUPPRESS:
                    if any(ctx.analysis.qualify(a.value) in CANCELLED_ERRORS for a in call.args):
                        return True
        if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
            return False
        child = parent
    return False


def _leaving_statement(handler: cst.ExceptHandler) -> cst.CSTNode | None:
    """The ``return``/``break``/``continue`` the handler ends with, if any."""
    body = handler.body
    last = body.body[-1] if body.body else None
    smalls = list(last.body) if isinstance(last, cst.SimpleStatementLine) else (
        list(body.body) if isinstance(body, cst.SimpleStatementSuite) else []
    )
    if smalls and isinstance(smalls[-1], tuple(_LEAVES)):
        return smalls[-1]
    return None


def _end_with_raise(handler: cst.ExceptHandler, leaves: cst.CSTNode | None) -> Outcome:
    body = handler.body
    statements = list(body.body)
    last = statements[-1] if statements else None
    if leaves is not None:
        keyword = _LEAVES[type(leaves)]
        return Plan(
            Applicability.UNSAFE,
            f"replace the `{keyword}` that ends the handler with `raise` (cancellation then propagates)",
            lambda: Edit({leaves: cst.Raise()}),
        )

    def build() -> Edit:
        if isinstance(body, cst.SimpleStatementSuite):
            smalls = list(body.body)
            if len(smalls) == 1 and isinstance(smalls[0], cst.Pass):
                new_body = body.with_changes(body=[cst.Raise()])
            else:
                new_body = body.with_changes(body=[*smalls[:-1], smalls[-1].with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))), cst.Raise()])
            return Edit({body: new_body})
        if len(statements) == 1 and isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1 and isinstance(last.body[0], cst.Pass):
            return Edit({last.body[0]: cst.Raise()})
        return Edit({body: body.with_changes(body=[*statements, cst.SimpleStatementLine([cst.Raise()])])})

    return Plan(Applicability.UNSAFE, "end the handler with `raise` (cancellation then propagates)", build)
