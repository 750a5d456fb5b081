"""LSC201 fix: rewrite ``await asyncio.gather(...)`` into a task-group block.

::

    a, b = await asyncio.gather(fetch(1), fetch(2))

becomes::

    async with asyncio.TaskGroup() as tg:
        fetch_task1 = tg.create_task(fetch(1))
        fetch_task2 = tg.create_task(fetch(2))
    a, b = fetch_task1.result(), fetch_task2.result()

A single target gets the list ``gather`` returned, a starred comprehension
becomes a list of tasks, and a discarded result needs no tasks at all. The
innermost ``try`` whose body holds the gather has its ``except E`` clauses
turned into ``except* E`` (a handler that reads the exception gets it back
with ``e = e_group.exceptions[0]``). Withheld when an awaitable is not known
to be a coroutine (``create_task`` needs one), when the result is used inside
a larger expression, or when a handler cannot become ``except*``. Unsafe:
failures now arrive as an ``ExceptionGroup`` and the siblings are cancelled.
"""

from __future__ import annotations

import re
from typing import Sequence

import libcst as cst

from lint_structured.analysis import iter_nodes
from lint_structured.fixers.base import Edit, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.builders import (
    TaskGroupBuilder,
    block_of,
    detach_leading_lines,
    enclosing_function,
    enclosing_statement,
    own_nodes,
    rewrite,
    spawn_through,
    with_block,
)
from lint_structured.model import Applicability
from lint_structured.rules import Report

_GROUPS = frozenset({"ExceptionGroup", "BaseExceptionGroup", "builtins.ExceptionGroup", "builtins.BaseExceptionGroup"})
_COMPREHENSIONS = (cst.ListComp, cst.GeneratorExp)


def plan(ctx: FixContext, report: Report) -> Outcome:
    call = report.node
    assert isinstance(call, cst.Call)
    awaited = ctx.parent(call)
    if not isinstance(awaited, cst.Await):
        return Withheld("the gather is not awaited where it is made")
    function = enclosing_function(ctx, call)
    if function is None or function.asynchronous is None:
        return Withheld("outside an `async def`")
    statement = enclosing_statement(ctx, call)
    if isinstance(statement, Withheld):
        return statement
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if isinstance(small, cst.Expr) and small.value is awaited:
        shape = "discard"
    elif isinstance(small, cst.Assign) and small.value is awaited and len(small.targets) == 1:
        target = small.targets[0].target
        unpack = isinstance(target, (cst.Tuple, cst.List)) and not any(isinstance(e, cst.StarredElement) for e in target.elements)
        shape = "unpack" if unpack else "bind"
    elif isinstance(small, cst.Return) and small.value is awaited:
        shape = "return"
    else:
        return Withheld("the gather's result is used inside a larger expression")
    for arg in call.args:
        if arg.keyword is not None and not (arg.keyword.value == "return_exceptions" and _is_false(arg.value)):
            return Withheld(f"`gather` is called with `{arg.keyword.value}=`")
    positional = [a for a in call.args if a.keyword is None]
    frame = ctx.analysis.frame_for(function)
    builder = TaskGroupBuilder(ctx, frame)
    if builder.withheld is not None:
        return builder.withheld
    if builder.library != "asyncio":
        return Withheld(f"{builder.library}'s `start_soon` returns no task to take the results from")
    starred = [a for a in positional if a.star]
    if starred:
        if len(positional) != 1 or starred[0].star != "*":
            return Withheld("`gather` mixes a starred iterable with other arguments")
        comprehension = starred[0].value
        if not isinstance(comprehension, _COMPREHENSIONS):
            return Withheld(
                f"cannot tell that the items of `{ctx.source(comprehension)}` are coroutines "
                "(`TaskGroup.create_task` needs coroutines, not tasks or futures)"
            )
        element = _coroutine(ctx, comprehension.elt)
        if isinstance(element, Withheld):
            return element
        awaitables: list = [element]
    else:
        awaitables = []
        for arg in positional:
            element = _coroutine(ctx, arg.value)
            if isinstance(element, Withheld):
                return element
            awaitables.append(element)
    handlers = _enclosing_try(ctx, statement, function)
    if isinstance(handlers, Withheld):
        return handlers

    def build() -> Edit:
        tg = ctx.fresh_name("tg", function)
        factory, imports = builder.factory()
        inside: list[cst.BaseStatement] = []
        results: cst.BaseExpression | None = None
        if starred:
            comp = starred[0].value
            made = _spawn(awaitables[0], tg, ctx)
            if shape == "discard":
                inside.append(_loops(comp.for_in, made))
            else:
                tasks = ctx.fresh_name("tasks", function)
                each = ctx.fresh_name("task", function)
                listed = cst.ListComp(elt=made, for_in=_one_line(comp.for_in))
                inside.append(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(tasks))], listed)]))
                results = cst.ListComp(
                    elt=_result(each),
                    for_in=cst.CompFor(target=cst.Name(each), iter=cst.Name(tasks)),
                )
        else:
            names = _task_names(ctx, awaitables, function) if shape != "discard" else [None] * len(awaitables)
            for index, (awaitable, name) in enumerate(zip(awaitables, names)):
                made = _spawn(awaitable, tg, ctx)
                small_stmt = cst.Expr(made) if name is None else cst.Assign([cst.AssignTarget(cst.Name(name))], made)
                comment = _arg_comment(positional[index])
                line = cst.SimpleStatementLine([small_stmt])
                if comment is not None:
                    line = line.with_changes(trailing_whitespace=cst.TrailingWhitespace(cst.SimpleWhitespace("  "), comment))
                inside.append(line)
            if shape != "discard":
                elements = [cst.Element(_result(n)) for n in names]  # type: ignore[arg-type]
                results = cst.Tuple(elements, lpar=[], rpar=[]) if shape == "unpack" else cst.List(elements)
        lead_comments = [cst.EmptyLine(comment=c) for c in _head_comments(call)]
        if lead_comments:
            inside[0] = inside[0].with_changes(leading_lines=lead_comments)
        _, lead = detach_leading_lines(statement)
        header = statement.trailing_whitespace if shape == "discard" else None
        replacement: list[cst.BaseStatement] = [with_block(factory, tg, inside, leading_lines=lead, header_comment=header)]
        if shape != "discard":
            assert results is not None and small is not None
            replacement.append(cst.SimpleStatementLine([small.with_changes(value=results)], trailing_whitespace=statement.trailing_whitespace))
        block, index = block_of(ctx, statement)
        new_block = block.with_changes(body=[*block.body[:index], *replacement, *block.body[index + 1:]])
        if handlers is None:
            return Edit({block: new_block}, imports)
        try_node = handlers
        new_try = rewrite(try_node, {block: new_block})
        return Edit({try_node: _to_try_star(ctx, new_try, function)}, imports)

    what = {"discard": "", "unpack": ", results from `task.result()`", "bind": ", results from `task.result()`", "return": ", results from `task.result()`"}[shape]
    also = "; the enclosing `except` becomes `except*`" if handlers is not None else ""
    return Plan(
        Applicability.UNSAFE,
        f"rewrite into an `async with asyncio.TaskGroup()` block{what}{also} "
        "(failures then arrive as an ExceptionGroup and the other awaitables are cancelled)",
        build,
    )


def _is_false(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "False"


def _coroutine(ctx: FixContext, expr: cst.BaseExpression):
    """What ``tg.create_task`` should receive for a gathered awaitable, or why not."""
    info = ctx.analysis.spawn_info(expr) if isinstance(expr, cst.Call) else None
    if info is not None:
        if info.kind not in ("asyncio.create_task", "loop.create_task"):
            return Withheld(f"`{info.spawner}(...)` is gathered; move its coroutine into the group by hand")
        converted = spawn_through(info, "tg", "asyncio", ctx)
        if isinstance(converted, Withheld):
            return converted
        return info  # the spawn itself is re-pointed at the group
    if isinstance(expr, cst.Call) and expr in ctx.analysis.coroutine_calls:
        return expr
    return Withheld(
        f"cannot tell that `{ctx.source(expr)}` is a coroutine "
        "(`TaskGroup.create_task` needs one; a task, future or other awaitable would fail)"
    )


def _spawn(awaitable, tg: str, ctx: FixContext) -> cst.Call:
    if isinstance(awaitable, cst.Call):
        return cst.Call(cst.Attribute(cst.Name(tg), cst.Name("create_task")), args=[cst.Arg(awaitable)])
    return spawn_through(awaitable, tg, "asyncio", ctx)  # type: ignore[return-value]


def _result(name: str) -> cst.Call:
    return cst.Call(cst.Attribute(cst.Name(name), cst.Name("result")))


def _task_names(ctx: FixContext, awaitables: Sequence, scope: cst.CSTNode) -> list[str]:
    bases = []
    for awaitable in awaitables:
        call = awaitable if isinstance(awaitable, cst.Call) else None
        if call is None:
            positional = [a.value for a in awaitable.call.args if a.keyword is None]
            call = positional[0] if positional and isinstance(positional[0], cst.Call) else None
        func = call.func if call is not None else None
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else "job"
        name = re.sub(r"^_+", "", name) or "job"
        bases.append(f"{name}_task")
    names = []
    for base in bases:
        numbered = bases.count(base) > 1
        if numbered:
            n = sum(1 for b in bases[: len(names)] if b == base) + 1
            names.append(ctx.fresh_name(f"{base}{n}", scope))
        else:
            names.append(ctx.fresh_name(base, scope))
    return names


def _comments(node: cst.CSTNode | None) -> list[cst.Comment]:
    if node is None or isinstance(node, cst.MaybeSentinel):
        return []
    return [n for n in iter_nodes(node) if isinstance(n, cst.Comment)]


def _arg_comment(arg: cst.Arg) -> cst.Comment | None:
    found = _comments(arg.comma) + _comments(arg.whitespace_after_arg)
    if not found:
        return None
    return cst.Comment("  ".join(c.value for c in found)) if len(found) > 1 else found[0]


def _head_comments(call: cst.Call) -> list[cst.Comment]:
    return _comments(call.whitespace_before_args) + [c for lpar in call.lpar for c in _comments(lpar)]


def _one_line(comp_for: cst.CompFor) -> cst.CompFor:
    """The comprehension's clauses on one line, unless a comment lives in their line breaks."""
    if _comments(comp_for):
        return comp_for

    def flat(clause):
        changes = {"whitespace_before": cst.SimpleWhitespace(" ")}
        if clause.inner_for_in is not None:
            changes["inner_for_in"] = flat(clause.inner_for_in)
        changes["ifs"] = [c.with_changes(whitespace_before=cst.SimpleWhitespace(" ")) for c in clause.ifs]
        return clause.with_changes(**changes)

    return flat(comp_for)


def _loops(comp_for: cst.CompFor, spawn: cst.Call) -> cst.BaseStatement:
    """``for x in xs: if c: tg.create_task(f(x))`` for a comprehension whose result was discarded."""
    body: cst.BaseStatement = cst.SimpleStatementLine([cst.Expr(spawn)])
    clauses = []
    current: cst.CompFor | None = comp_for
    while current is not None:
        clauses.append(current)
        current = current.inner_for_in
    for clause in reversed(clauses):
        for condition in reversed(clause.ifs):
            body = cst.If(test=condition.test, body=cst.IndentedBlock([body]))
        body = cst.For(
            target=clause.target,
            iter=clause.iter,
            body=cst.IndentedBlock([body]),
            asynchronous=cst.Asynchronous() if clause.asynchronous is not None else None,
        )
    return body


def _enclosing_try(ctx: FixContext, statement: cst.CSTNode, function: cst.FunctionDef) -> cst.Try | None | Withheld:
    """The innermost ``try`` whose body holds ``statement``, if its handlers need ``except*``."""
    child: cst.CSTNode = statement
    for parent in ctx.ancestors(statement):
        if parent is function:
            return None
        if isinstance(parent, cst.TryStar) and child is parent.body:
            return None  # already except*
        if isinstance(parent, cst.Try) and child is parent.body:
            if not parent.handlers:
                child = parent
                continue
            if ctx.target < (3, 11):
                return Withheld("the enclosing `except` would have to become `except*`, which needs Python 3.11")
            for handler in parent.handlers:
                problem = _star_problem(ctx, handler)
                if problem:
                    return Withheld(f"the enclosing `try` cannot use `except*`: {problem}")
            return parent
        child = parent
    return None


def _star_problem(ctx: FixContext, handler: cst.ExceptHandler) -> str | None:
    if handler.type is None:
        return "it has a bare `except:`"
    types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    for t in types:
        value = t.value if isinstance(t, cst.Element) else t
        qualified = ctx.analysis.qualify(value) or ctx.source(value)
        if qualified in _GROUPS:
            return f"a handler catches `{ctx.source(value)}`"
    for node in _jumps(handler.body, in_loop=False):
        keyword = "return" if isinstance(node, cst.Return) else "break" if isinstance(node, cst.Break) else "continue"
        return f"a handler leaves with `{keyword}`, which `except*` does not allow"
    return None


def _jumps(node: cst.CSTNode, in_loop: bool):
    """``return`` anywhere, and ``break``/``continue`` outside a loop of the handler itself."""
    for child in own_nodes(node):
        if isinstance(child, cst.Return):
            yield child
        elif isinstance(child, (cst.Break, cst.Continue)) and not _inside_loop(node, child):
            yield child


def _inside_loop(root: cst.CSTNode, target: cst.CSTNode) -> bool:
    for loop in own_nodes(root):
        if isinstance(loop, (cst.For, cst.While)):
            if any(n is target for n in own_nodes(loop.body)):
                return True
    return False


def _to_try_star(ctx: FixContext, node: cst.Try, scope: cst.CSTNode) -> cst.TryStar:
    handlers = []
    for handler in node.handlers:
        body = handler.body
        name = handler.name
        bound = name.name.value if name is not None and isinstance(name.name, cst.Name) else None
        if bound is not None and any(isinstance(n, cst.Name) and n.value == bound for n in own_nodes(body)):
            group = ctx.fresh_name(f"{bound}_group", scope)
            unwrap = cst.parse_statement(f"{bound} = {group}.exceptions[0]{ctx.module.default_newline}", ctx.module.config_for_parsing)
            if isinstance(body, cst.IndentedBlock):
                body = body.with_changes(body=[unwrap, *body.body])
            else:
                body = cst.IndentedBlock([unwrap, *[cst.SimpleStatementLine([s]) for s in body.body]])
            name = name.with_changes(name=cst.Name(group))
        handlers.append(
            cst.ExceptStarHandler(
                body=body,
                type=handler.type,
                name=name,
                leading_lines=handler.leading_lines,
                whitespace_after_except=cst.SimpleWhitespace(""),
                whitespace_after_star=handler.whitespace_after_except,
                whitespace_before_colon=handler.whitespace_before_colon,
            )
        )
    return cst.TryStar(
        body=node.body,
        handlers=handlers,
        orelse=node.orelse,
        finalbody=node.finalbody,
        leading_lines=node.leading_lines,
        whitespace_before_colon=node.whitespace_before_colon,
    )
