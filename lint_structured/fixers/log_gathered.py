"""LSC202 fix: log every exception a ``gather(..., return_exceptions=True)`` returns.

``await asyncio.gather(*aws, return_exceptions=True)`` used as a statement
(or assigned to ``_``) becomes::

    for result in await asyncio.gather(*aws, return_exceptions=True):
        if isinstance(result, Exception):
            logger.error("Gathered awaitable failed", exc_info=result)

and a result bound to names the function never reads
(``results = await ...``, ``a, b = await ...``) is followed by the same loop
over those names. Safe: nothing waits, raises or is cancelled differently;
the errors that were thrown away are logged (through the module's ``logging``
logger, else ``logging.getLogger(__name__)``). A cancelled awaitable's
``CancelledError`` is not an ``Exception`` and is not logged. What a failure
should *do* (retry, re-raise) stays the author's decision.
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers.base import CstReport, Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.builders import enclosing_function, enclosing_statement
from lint_structured.fixers.keep_reference import module_logger
from lint_structured.model import Applicability


def plan(ctx: FixContext, report: CstReport) -> Outcome:
    call = report.node
    awaited = ctx.parent(call)
    if not isinstance(awaited, cst.Await):
        function = enclosing_function(ctx, call)
        if function is None or function.asynchronous is None:
            return Withheld(
                "the gather is not awaited, and cannot be outside an `async def`: keep the future it "
                "returns and log the exceptions among its results from a done-callback"
            )
        return Withheld("the gather is not awaited: await it, then inspect the results")
    statement = enclosing_statement(ctx, call)
    if isinstance(statement, Withheld):
        return statement
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    function = enclosing_function(ctx, call)
    if function is None:
        return Withheld("the gather is not inside a function")
    if isinstance(small, cst.Expr) and small.value is awaited:
        over, keep_statement = ctx.source(awaited), False
    elif isinstance(small, cst.Assign) and small.value is awaited:
        names: list[str] = []
        for target in small.targets:
            node = target.target
            elements = [e.value for e in node.elements] if isinstance(node, (cst.Tuple, cst.List)) else [node]
            names.extend(e.value for e in elements if isinstance(e, cst.Name))
        if all(n == "_" for n in names):
            over, keep_statement = ctx.source(awaited), False
        else:
            over, keep_statement = (names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"), True
    else:
        return Withheld("the gather's result is used in a way the fix does not rewrite")

    def build() -> Edit:
        logger, imports = module_logger(ctx)
        name = ctx.fresh_name("result", function)
        nl = ctx.module.default_newline
        ind = ctx.module.default_indent
        loop = cst.parse_statement(
            f"for {name} in {over}:{nl}"
            f"{ind}if isinstance({name}, Exception):{nl}"
            + ctx.call_lines(ind * 2, f"{logger}.error", f"{ctx.string('Gathered awaitable failed')}, exc_info={name}"),
            ctx.module.config_for_parsing,
        )
        block = ctx.parent(statement)
        assert isinstance(block, (cst.IndentedBlock, cst.Module))
        body = list(block.body)
        at = next(i for i, s in enumerate(body) if s is statement)
        comment = statement.trailing_whitespace if isinstance(statement, cst.SimpleStatementLine) else None
        if keep_statement:
            new = [statement, loop]
        else:
            # The loop takes the statement's place, its leading lines and its comment.
            header = comment if comment is not None else cst.TrailingWhitespace()
            assert isinstance(loop, cst.For) and isinstance(loop.body, cst.IndentedBlock)  # parsed just above
            leading = statement.leading_lines if isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)) else ()
            new = [loop.with_changes(leading_lines=leading, body=loop.body.with_changes(header=header))]
        return Edit({block: block.with_changes(body=[*body[:at], *new, *body[at + 1 :]])}, imports)

    return Plan(Applicability.SAFE, "log every exception among the results (a cancelled one is not logged)", build)
