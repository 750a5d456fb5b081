"""LSC401 fix: let ``CancelledError`` propagate out of the handler, after its cleanup.

A handler of ``CancelledError`` alone gets a ``raise`` at its end, after
whatever it does (a lone ``pass`` becomes the ``raise``). A broader handler (a
bare ``except:``, ``except BaseException``, a tuple with other types) keeps its
body for the other exceptions: when that body cleans up (closes, aborts,
settles something), the re-raise goes at its end
(``if isinstance(exc, asyncio.CancelledError): raise``), so the cleanup still
runs; otherwise an ``except asyncio.CancelledError: raise`` clause is inserted
before it, and ``CancelledError`` leaves the tuple so that no name in it is
dead.

When the ``try`` awaits a task or future that already exists (``await
self._task``, ``await fut``), the ``CancelledError`` may be that task's, not
this one's: on Python 3.11+ the re-raise is then
``if asyncio.current_task().cancelling(): raise``, so only this task's own
cancellation propagates. Unsafe: code that relied on swallowing the
cancellation (going on after a timeout or a cancel) now stops there.
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers.base import CstReport, Edit, FixContext, Import, Outcome, Plan, Withheld, iter_nodes
from lint_structured.fixers.builders import TaskGroupBuilder, enclosing_function, own_nodes
from lint_structured.model import Applicability
from lint_structured.rules.base import CLOSE_CALLS
from lint_structured.rules.gather_wait import CANCELLED_ERRORS
from lint_structured.rules.swallowed_cancel import SUPPRESS

_LEAVES = {cst.Return: "return", cst.Break: "break", cst.Continue: "continue"}


def plan(ctx: FixContext, report: CstReport) -> Outcome:
    handler = report.node
    if not isinstance(handler, cst.ExceptHandler):
        return Withheld("take `CancelledError` out of `suppress(...)` by hand")
    owner = ctx.parent(handler)
    if not isinstance(owner, cst.Try):
        return Withheld("the handler is not part of a plain `try`")
    function = enclosing_function(ctx, handler)
    exact = handler.type is not None and ctx.analysis.qualify(handler.type) in CANCELLED_ERRORS
    leaves = _leaving_statement(handler) if exact else None
    foreign = _awaits_existing(ctx, owner)
    why_not = _withheld(ctx, handler, owner, function, leaves, foreign)
    if why_not is not None:
        return why_not
    frame = ctx.analysis.frame_for(function) if function is not None else None
    builder = TaskGroupBuilder(ctx, frame)
    if foreign and ctx.target < (3, 11):
        return Withheld(
            f"the `try` awaits `{foreign}`, so the `CancelledError` may be its own, not this task's; "
            f"only Python 3.11's `current_task().cancelling()` tells them apart and the target is "
            f"{ctx.target[0]}.{ctx.target[1]}"
        )
    if exact:
        return _end_with_raise(ctx, builder, handler, leaves, foreign)
    if _is_cleanup(handler.body) or foreign:
        # (With a foreign `CancelledError`, a clause of its own above this handler would
        # swallow it without running this handler's body: the check goes at its end.)
        return _reraise_at_end(ctx, builder, handler, foreign)

    def build() -> Edit:
        caught, imports = _cancelled_error(builder)
        raise_line, more = _raise_lines(ctx, builder, foreign, function)
        clause = cst.ExceptHandler(body=cst.IndentedBlock(raise_line), type=caught)
        index = next(i for i, h in enumerate(owner.handlers) if h is handler)
        handlers = [*owner.handlers[:index], clause, _without_cancelled(ctx, handler), *owner.handlers[index + 1 :]]
        return Edit({owner: owner.with_changes(handlers=handlers)}, (*imports, *more))

    when = _when(foreign)
    return Plan(
        Applicability.UNSAFE,
        f"insert `except asyncio.CancelledError: raise` before this handler{when} (cancellation then propagates)",
        build,
    )


def _withheld(
    ctx: FixContext,
    handler: cst.ExceptHandler,
    owner: cst.Try,
    function: cst.FunctionDef | None,
    leaves: cst.CSTNode | None,
    foreign: str | None,
) -> Withheld | None:
    """Why re-raising would change what the code does after the handler: cleanup it would
    skip, a value it would not return, a caller relying on the swallow."""
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
    elif isinstance(leaves, cst.Return) and leaves.value is not None and not (foreign and ctx.target >= (3, 11)):
        # (Re-raising only this task's own cancellation keeps the value for every other caller.)
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
    return None


def _when(foreign: str | None) -> str:
    return f", re-raising only this task's own cancellation (the `try` awaits `{foreign}`)" if foreign else ""


def _cancelled_error(builder: TaskGroupBuilder) -> tuple[cst.BaseExpression, tuple[Import, ...]]:
    local = builder.local_for("asyncio.exceptions.CancelledError") or builder.local_for("asyncio.CancelledError")
    if local:
        return cst.Name(local), ()
    return builder.asyncio_member("CancelledError")


def _raise_lines(
    ctx: FixContext, builder: TaskGroupBuilder, foreign: str | None, function: cst.CSTNode | None = None
) -> tuple[list[cst.BaseStatement], tuple[Import, ...]]:
    """``raise``, or (the try awaits another task) a re-raise of this task's own cancellation::

        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise

    (``current_task()`` is typed ``Task | None``: the test keeps strict type checkers quiet).
    """
    if not foreign:
        return [cst.SimpleStatementLine([cst.Raise()])], ()
    made, imports = builder.asyncio_member("current_task")
    nl = ctx.module.default_newline
    ind = ctx.module.default_indent
    current = ctx.fresh_name("current", function)
    config = ctx.module.config_for_parsing
    lines: list[cst.BaseStatement] = [
        cst.parse_statement(f"{current} = {ctx.module.code_for_node(made)}(){nl}", config),
        cst.parse_statement(f"if {current} is not None and {current}.cancelling():{nl}{ind}raise{nl}", config),
    ]
    return lines, imports


def _awaits_existing(ctx: FixContext, owner: cst.Try) -> str | None:
    """What the ``try`` body awaits whose ``CancelledError`` may not be this task's own:
    a task or future made elsewhere (a name or an attribute, also through
    ``shield``/``wait_for``), or a call of a callable passed in (a wrapper around
    someone else's coroutine, which may end with a ``CancelledError`` of its own)."""
    parameters = {
        p.name.value
        for f in ctx.ancestors(owner)
        if isinstance(f, cst.FunctionDef)
        for p in (*f.params.posonly_params, *f.params.params, *f.params.kwonly_params)
        if p.name.value not in ("self", "cls")
    }
    for node in own_nodes(owner.body):
        if not isinstance(node, cst.Await):
            continue
        target = node.expression
        if isinstance(target, cst.Call) and ctx.analysis.qualify(target.func) in ("asyncio.shield", "asyncio.wait_for", "asyncio.tasks.shield", "asyncio.tasks.wait_for") and target.args:
            target = target.args[0].value
        if isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)):
            return ctx.source(target)
        if isinstance(target, cst.Call) and isinstance(target.func, cst.Name) and target.func.value in parameters:
            return f"{target.func.value}(...)"
    return None


def _without_cancelled(ctx: FixContext, handler: cst.ExceptHandler) -> cst.ExceptHandler:
    """``handler`` with ``CancelledError`` taken out of its tuple (the new clause above catches it)."""
    if not isinstance(handler.type, cst.Tuple):
        return handler
    kept = [e for e in handler.type.elements if ctx.analysis.qualify(e.value) not in CANCELLED_ERRORS]
    if len(kept) == len(handler.type.elements) or not kept:
        return handler
    if len(kept) == 1:
        return handler.with_changes(type=kept[0].value)
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return handler.with_changes(type=handler.type.with_changes(elements=kept))


def _reraise_at_end(ctx: FixContext, builder: TaskGroupBuilder, handler: cst.ExceptHandler, foreign: str | None) -> Outcome:
    """A broad handler that cleans up: re-raise a cancellation at its end, after the cleanup."""
    body = handler.body
    if not isinstance(body, cst.IndentedBlock):
        return Withheld("the handler cleans up on one line; re-raise after its cleanup by hand")
    if _leaving_statement(handler) is not None or any(isinstance(n, (cst.Return, cst.Raise)) for n in own_nodes(body)):
        return Withheld("the handler cleans up and then leaves (`return`/`raise`/`break`); re-raise a cancellation by hand")
    if handler.name is not None and not isinstance(handler.name.name, cst.Name):
        return Withheld("the handler binds the exception to something other than a name")
    function = enclosing_function(ctx, handler)

    def build() -> Edit:
        caught, imports = _cancelled_error(builder)
        bound = handler.name.name if handler.name is not None else None
        name = bound.value if isinstance(bound, cst.Name) else ctx.fresh_name("exc", function)
        nl = ctx.module.default_newline
        ind = ctx.module.default_indent
        condition = f"isinstance({name}, {ctx.module.code_for_node(caught)})"
        more: tuple[Import, ...] = ()
        if foreign:
            lines, more = _raise_lines(ctx, builder, foreign, function)
            inner = "".join(ctx.module.code_for_node(line) for line in lines).replace(nl, nl + ind)
            line = cst.parse_statement(f"if {condition}:{nl}{ind}{inner.rstrip(ind)}", ctx.module.config_for_parsing)
        else:
            line = cst.parse_statement(f"if {condition}:{nl}{ind}raise{nl}", ctx.module.config_for_parsing)
        new = handler.with_changes(body=body.with_changes(body=[*body.body, line]))
        if handler.name is None:
            base = cst.Name("BaseException") if handler.type is None else handler.type
            new = new.with_changes(
                type=base,
                name=cst.AsName(name=cst.Name(name)),
                whitespace_after_except=cst.SimpleWhitespace(" "),
            )
        return Edit({handler: new}, (*imports, *more))

    return Plan(
        Applicability.UNSAFE,
        f"re-raise a cancellation at the end of this handler, after its cleanup{_when(foreign)}",
        build,
    )


#: Calls that release or settle something: skipping them on cancellation leaks it.
_CLEANUP_CALLS = CLOSE_CALLS | frozenset(
    {
        "cancel", "kill", "unlink", "remove", "discard", "clear", "set", "set_result", "set_exception", "notify",
        "notify_all", "put", "put_nowait", "task_done", "wait_closed", "flush", "commit", "rollback",
        "unregister", "unsubscribe", "finish", "done", "reset", "abort", "join", "unlock", "close_connection",
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


def _end_with_raise(ctx: FixContext, builder: TaskGroupBuilder, handler: cst.ExceptHandler, leaves: cst.CSTNode | None, foreign: str | None) -> Outcome:
    body = handler.body
    statements = list(body.body)
    last = statements[-1] if statements else None
    when = _when(foreign)
    if leaves is not None:
        keyword = _LEAVES[type(leaves)]
        if foreign:
            alone = isinstance(body, cst.IndentedBlock) and isinstance(last, cst.SimpleStatementLine) and list(last.body) == [leaves]
            if not alone:
                return Withheld(
                    f"the `try` awaits `{foreign}`, whose `CancelledError` may not be this task's, and the handler "
                    f"ends with `{keyword}` on a shared line: re-raise only this task's cancellation by hand"
                )

            def before_leaving() -> Edit:
                lines, imports = _raise_lines(ctx, builder, foreign, enclosing_function(ctx, handler))
                assert isinstance(last, cst.SimpleStatementLine)  # checked above (`alone`)
                moved = last.with_changes(leading_lines=[])
                first = lines[0].with_changes(leading_lines=last.leading_lines)
                return Edit({body: body.with_changes(body=[*statements[:-1], first, *lines[1:], moved])}, imports)

            return Plan(
                Applicability.UNSAFE,
                f"re-raise this task's own cancellation before the `{keyword}` that ends the handler{when}",
                before_leaving,
            )
        return Plan(
            Applicability.UNSAFE,
            f"replace the `{keyword}` that ends the handler with `raise` (cancellation then propagates)",
            lambda: Edit({leaves: cst.Raise()}),
        )
    if foreign and isinstance(body, cst.SimpleStatementSuite):
        return Withheld(f"the `try` awaits `{foreign}` and the handler is on one line; re-raise only this task's cancellation by hand")

    def build() -> Edit:
        if foreign:
            lines, imports = _raise_lines(ctx, builder, foreign, enclosing_function(ctx, handler))
            if len(statements) == 1 and isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1 and isinstance(last.body[0], cst.Pass):
                return Edit({body: body.with_changes(body=[lines[0].with_changes(leading_lines=last.leading_lines), *lines[1:]])}, imports)
            return Edit({body: body.with_changes(body=[*statements, *lines])}, imports)
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

    return Plan(Applicability.UNSAFE, f"end the handler with `raise`{when} (cancellation then propagates)", build)
