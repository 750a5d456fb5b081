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
from lint_structured.fixers.builders import TaskGroupBuilder, enclosing_function
from lint_structured.model import Applicability
from lint_structured.rules import Report
from lint_structured.rules.gather_wait import CANCELLED_ERRORS

_LEAVES = {cst.Return: "return", cst.Break: "break", cst.Continue: "continue"}


def plan(ctx: FixContext, report: Report) -> Outcome:
    handler = report.node
    if not isinstance(handler, cst.ExceptHandler):
        return Withheld("take `CancelledError` out of `suppress(...)` by hand")
    owner = ctx.parent(handler)
    if not isinstance(owner, cst.Try):
        return Withheld("the handler is not part of a plain `try`")
    function = enclosing_function(ctx, handler)
    if function is not None and _code_after(ctx, owner, function):
        return Withheld(
            "code after the `try` runs once the cancellation is swallowed (cleanup?); re-raising would "
            "skip it, so move it into a `finally` and re-raise by hand"
        )
    if handler.type is not None and ctx.analysis.qualify(handler.type) in CANCELLED_ERRORS:
        return _end_with_raise(handler)
    frame = ctx.analysis.frame_for(function) if function is not None else None
    builder = TaskGroupBuilder(ctx, frame)

    def build() -> Edit:
        local = builder.local_for("asyncio.CancelledError") or builder.local_for("asyncio.exceptions.CancelledError")
        if local:
            caught, imports = cst.Name(local), ()
        else:
            module, imports = builder.asyncio_name()
            caught = cst.Attribute(cst.Name(module), cst.Name("CancelledError"))
        clause = cst.ExceptHandler(body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Raise()])]), type=caught)
        index = next(i for i, h in enumerate(owner.handlers) if h is handler)
        handlers = [*owner.handlers[:index], clause, *owner.handlers[index:]]
        return Edit({owner: owner.with_changes(handlers=handlers)}, imports)

    return Plan(
        Applicability.UNSAFE,
        "insert `except asyncio.CancelledError: raise` before this handler (cancellation then propagates)",
        build,
    )


def _code_after(ctx: FixContext, statement: cst.CSTNode, function: cst.FunctionDef) -> bool:
    """Whether some statement of ``function`` runs after ``statement`` completes normally."""
    child = statement
    for parent in ctx.ancestors(statement):
        if parent is function:
            return False
        if isinstance(parent, cst.IndentedBlock) and parent.body[-1] is not child:
            return True
        if isinstance(parent, (cst.Try, cst.TryStar)) and child is parent.body and parent.orelse is not None:
            return True
        child = parent
    return False


def _end_with_raise(handler: cst.ExceptHandler) -> Outcome:
    body = handler.body
    statements = list(body.body)
    last = statements[-1] if statements else None
    smalls = list(last.body) if isinstance(last, cst.SimpleStatementLine) else (
        list(body.body) if isinstance(body, cst.SimpleStatementSuite) else []
    )
    if smalls and type(smalls[-1]) in _LEAVES:
        keyword = _LEAVES[type(smalls[-1])]
        return Withheld(
            f"the handler ends with `{keyword}`; re-raising instead would skip what follows it, "
            "so restructure it by hand (cleanup in `finally`, then `raise`)"
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
