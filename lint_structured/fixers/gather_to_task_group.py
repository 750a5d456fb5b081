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

import dataclasses
import re
from typing import Iterator, Sequence

import libcst as cst

from lint_structured.fixers.base import CstReport, Edit, FixContext, Outcome, Plan, Withheld, iter_nodes
from lint_structured.fixers.builders import (
    TaskGroupBuilder,
    awaited_statement,
    block_of,
    detach_leading_lines,
    own_nodes,
    reraise_first,
    rewrite,
    spawn_through,
    unwraps_groups,
    with_block,
)
from lint_structured.fixers.twins import CstSpawn
from lint_structured.model import Applicability

_GROUPS = frozenset({"ExceptionGroup", "BaseExceptionGroup", "builtins.ExceptionGroup", "builtins.BaseExceptionGroup"})
_COMPREHENSIONS = (cst.ListComp, cst.GeneratorExp)


#: What the code does with the gather's result.
_SHAPES = ("discard", "unpack", "bind", "return")
@dataclasses.dataclass
class _Gather:
    """An awaited gather the fix can rewrite, and what the rewrite needs to know."""

    ctx: FixContext
    call: cst.Call
    function: cst.FunctionDef
    statement: cst.SimpleStatementLine
    small: cst.BaseSmallStatement
    shape: str  # one of _SHAPES
    positional: list[cst.Arg]
    starred: bool
    awaitables: list[Bound | cst.Call | CstSpawn]
    bindings: dict[str, Bound]
    builder: TaskGroupBuilder
    #: The `try` whose body opens with the gather, when the gathered tasks are made before it.
    opened: cst.Try | None
    #: The `try` whose handlers become `except*`, if any.
    handlers: cst.Try | None


def plan(ctx: FixContext, report: CstReport) -> Outcome:
    call = report.node
    assert isinstance(call, cst.Call)
    site = awaited_statement(ctx, call, "gather")
    if isinstance(site, Withheld):
        return site
    awaited, function, statement = site
    if not isinstance(statement, cst.SimpleStatementLine):
        return Withheld("the gather's result is used inside a larger expression")
    small = statement.body[0]
    shape = _shape(small, awaited)
    if shape is None:
        return Withheld("the gather's result is used inside a larger expression")
    for arg in call.args:
        if arg.keyword is not None and not (arg.keyword.value == "return_exceptions" and _is_false(arg.value)):
            return Withheld(f"`gather` is called with `{arg.keyword.value}=`")
    positional = [a for a in call.args if a.keyword is None]
    builder = TaskGroupBuilder(ctx, ctx.analysis.frame_for(function))
    if builder.withheld is not None:
        return builder.withheld
    if builder.library != "asyncio":
        return Withheld(f"{builder.library}'s `start_soon` returns no task to take the results from")
    gathered = _gathered(ctx, positional, statement)
    if isinstance(gathered, Withheld):
        return gathered
    awaitables, bindings = gathered
    places = {id(b.before_try) for b in bindings.values()}
    if len(places) > 1:
        return Withheld("the gathered tasks are made in different blocks")
    opened = next(iter(bindings.values())).before_try if bindings else None
    handlers = _enclosing_try(ctx, statement, function)
    if isinstance(handlers, Withheld):
        if not unwraps_groups(ctx):
            return handlers
        # The handlers cannot be `except*`: the group re-raises its first failure
        # as itself instead, and the `try` keeps working as it is.
        handlers = None
    if opened is not None and handlers not in (None, opened):
        return Withheld("the tasks are made before a `try` without `except` clauses; move them by hand")
    gather = _Gather(
        ctx, call, function, statement, small, shape, positional, any(a.star for a in positional),
        awaitables, bindings, builder, opened, handlers,
    )  # fmt: skip
    what = "" if shape == "discard" else ", results from `task.result()`"
    if handlers is not None:
        also = "; the enclosing `except` becomes `except*`"
    elif unwraps_groups(ctx):
        also = "; the first failure is re-raised as itself, as `gather` did"
    else:
        also = ""
    return Plan(
        Applicability.UNSAFE,
        f"rewrite into an `async with asyncio.TaskGroup()` block{what}{also} "
        "(the other awaitables are cancelled when one fails"
        + (")" if handlers is None and unwraps_groups(ctx) else ", and failures arrive as an ExceptionGroup)"),
        lambda: _build(gather),
    )


def _shape(small: cst.BaseSmallStatement, awaited: cst.Await) -> str | None:
    """What the statement does with the awaited gather (see ``_SHAPES``); None: something else."""
    if isinstance(small, cst.Expr) and small.value is awaited:
        return "discard"
    if isinstance(small, cst.Assign) and small.value is awaited and len(small.targets) == 1:
        target = small.targets[0].target
        unpack = isinstance(target, (cst.Tuple, cst.List)) and not any(isinstance(e, cst.StarredElement) for e in target.elements)
        return "unpack" if unpack else "bind"
    if isinstance(small, cst.Return) and small.value is awaited:
        return "return"
    return None


def _gathered(
    ctx: FixContext, positional: list[cst.Arg], statement: cst.SimpleStatementLine
) -> tuple[list[Bound | cst.Call | CstSpawn], dict[str, Bound]] | Withheld:
    """What the group will make of each gathered awaitable, and the names bound to tasks
    made earlier (their bindings move into the group); or why the fix cannot tell."""
    awaitables: list[Bound | cst.Call | CstSpawn] = []
    bindings: dict[str, Bound] = {}
    starred = [a for a in positional if a.star]
    if starred:
        if len(positional) != 1 or starred[0].star != "*":
            return Withheld("`gather` mixes a starred iterable with other arguments")
        comprehension = starred[0].value
        if isinstance(comprehension, cst.Name):
            found = _bound(ctx, comprehension.value, statement, many=True)
            if isinstance(found, Withheld):
                return found
            bindings[comprehension.value] = found
            return [found], bindings
        if not isinstance(comprehension, _COMPREHENSIONS):
            return Withheld(
                f"cannot tell that the items of `{ctx.source(comprehension)}` are coroutines "
                "(`TaskGroup.create_task` needs coroutines, not tasks or futures)"
            )
        element = _coroutine(ctx, comprehension.elt)
        if isinstance(element, Withheld):
            return element
        return [element], bindings
    for arg in positional:
        if isinstance(arg.value, cst.Name):
            if arg.value.value in bindings:
                return Withheld(f"`{arg.value.value}` is gathered twice")
            binding = _bound(ctx, arg.value.value, statement, many=False)
            if isinstance(binding, Withheld):
                return binding
            bindings[arg.value.value] = binding
            awaitables.append(binding)
            continue
        element = _coroutine(ctx, arg.value)
        if isinstance(element, Withheld):
            return element
        awaitables.append(element)
    return awaitables, bindings


def _build(g: _Gather) -> Edit:
    """The rewrite: the group block (with the bindings it takes over), the results taken
    from the tasks after it, and the enclosing `try` turned to `except*` if needed."""
    ctx, statement, function, opened, handlers = g.ctx, g.statement, g.function, g.opened, g.handlers
    tg = ctx.group_name(function, statement)
    factory, imports = g.builder.factory()
    block, index = block_of(ctx, statement)
    moved: dict[cst.BaseStatement, cst.BaseStatement] = {b.statement: _rebind(b, tg, ctx) for b in g.bindings.values()}
    outer, at, start = block, index, index
    if opened is None:
        first = min((b.index for b in g.bindings.values()), default=index)
        prelude = [moved.get(s, s) for s in block.body[first:index]]
    else:
        # Made before the `try` that opens with the gather: the making moves into the try.
        outer, at = block_of(ctx, opened)
        first = 0
        start = min(b.index for b in g.bindings.values())
        prelude = [moved.get(s, s) for s in outer.body[start:at]]
    inside, results = _made_in_group(g, tg)
    lead_comments = [cst.EmptyLine(comment=c) for c in _head_comments(g.call)]
    if lead_comments and inside:
        inside[0] = inside[0].with_changes(leading_lines=lead_comments)  # comments after `gather(`
    body = [*prelude, *inside]
    if prelude:
        body[0], lead = detach_leading_lines(body[0])
    else:
        _, lead = detach_leading_lines(statement)
    header = statement.trailing_whitespace if g.shape == "discard" and not prelude else None
    group = with_block(factory, tg, body, leading_lines=lead, header_comment=header)
    replacement: list[cst.BaseStatement] = [group]
    if g.shape != "discard":
        assert results is not None
        taken = g.small.with_changes(value=results)
        replacement.append(cst.SimpleStatementLine([taken], trailing_whitespace=statement.trailing_whitespace))
    elif prelude and _comments(statement.trailing_whitespace):
        # The discarded gather leaves no line behind: its comment goes to the group's header.
        group = group.with_changes(body=group.body.with_changes(header=statement.trailing_whitespace))
        replacement[0] = group
    if handlers is None and unwraps_groups(ctx):
        replacement[0] = reraise_first(ctx, group, function)
    new_block = block.with_changes(body=[*block.body[:first], *replacement, *block.body[index + 1:]])
    try_node = opened if opened is not None else handlers
    if try_node is None:
        return Edit({block: new_block}, imports)
    new_try = rewrite(try_node, {block: new_block})
    assert isinstance(new_try, cst.Try)  # only its body changed
    if handlers is not None:
        new_try = _to_try_star(ctx, new_try, function)
    if opened is None:
        return Edit({try_node: new_try}, imports)
    # The tasks made before the `try` that opens with the gather are made in it now.
    first_made = outer.body[start]
    assert isinstance(first_made, cst.SimpleStatementLine)  # a `Bound` statement
    kept = opened.leading_lines if start == at else first_made.leading_lines
    new_try = new_try.with_changes(leading_lines=kept)
    return Edit({outer: outer.with_changes(body=[*outer.body[:start], new_try, *outer.body[at + 1:]])}, imports)


def _made_in_group(g: _Gather, tg: str) -> tuple[list[cst.BaseStatement], cst.BaseExpression | None]:
    """The statements that make the tasks in the group, and the expression that takes
    their results afterwards (None when the result was discarded)."""
    ctx, function, awaitables = g.ctx, g.function, g.awaitables
    inside: list[cst.BaseStatement] = []
    results: cst.BaseExpression | None = None
    if g.starred and isinstance(awaitables[0], Bound):
        if g.shape != "discard":
            each = ctx.fresh_name("task", function)
            results = cst.ListComp(
                elt=_result(each),
                for_in=cst.CompFor(target=cst.Name(each), iter=cst.Name(awaitables[0].name)),
            )
    elif g.starred:
        comp = g.positional[0].value
        assert isinstance(comp, _COMPREHENSIONS)  # checked when the plan was made
        made = _spawn(awaitables[0], tg, ctx)
        if g.shape == "discard":
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
        names: list[str | None] = [*_task_names(ctx, awaitables, function)] if g.shape != "discard" else [None] * len(awaitables)
        for position, (awaitable, name) in enumerate(zip(awaitables, names)):
            if isinstance(awaitable, Bound):
                names[position] = awaitable.name
                continue
            made = _spawn(awaitable, tg, ctx)
            small_stmt = cst.Expr(made) if name is None else cst.Assign([cst.AssignTarget(cst.Name(name))], made)
            comment = _arg_comment(g.positional[position])
            line = cst.SimpleStatementLine([small_stmt])
            if comment is not None:
                line = line.with_changes(trailing_whitespace=cst.TrailingWhitespace(cst.SimpleWhitespace("  "), comment))
            inside.append(line)
        if g.shape != "discard":
            elements = [cst.Element(_result(n)) for n in names if n is not None]
            results = cst.Tuple(elements, lpar=[], rpar=[]) if g.shape == "unpack" else cst.List(elements)
    return inside, results


@dataclasses.dataclass
class Bound:
    """A gathered name bound earlier in the same block: ``t = asyncio.create_task(...)``
    or ``tasks = [asyncio.create_task(...) for ...]``; its binding moves into the group."""

    name: str
    statement: cst.SimpleStatementLine
    index: int
    value: cst.BaseExpression
    #: Bound before the ``try`` whose body starts with the gather (None: in the gather's own block).
    before_try: cst.Try | None = None


def _try_opened_by(ctx: FixContext, statement: cst.CSTNode) -> cst.Try | None:
    """The ``try`` whose body starts with ``statement``."""
    block = ctx.parent(statement)
    owner = ctx.parent(block) if block is not None else None
    if isinstance(owner, cst.Try) and owner.body is block and block.body[0] is statement:
        return owner
    return None


def _bound(ctx: FixContext, name: str, statement: cst.CSTNode, many: bool) -> Bound | Withheld:
    found = _bound_in(ctx, name, statement, many)
    if isinstance(found, Withheld) and found is _NOT_HERE:
        opened = _try_opened_by(ctx, statement)
        if opened is not None:
            found = _bound_in(ctx, name, opened, many)
            if isinstance(found, Bound):
                found.before_try = opened
    if found is _NOT_HERE:
        return _unknown(name, many)
    return found


def _unknown(name: str, many: bool) -> Withheld:
    return Withheld(
        f"cannot tell that `{name}` holds {'coroutines' if many else 'a coroutine'} made for this gather "
        "(`TaskGroup.create_task` needs coroutines, not tasks or futures)"
    )


_NOT_HERE = Withheld("not bound in this block")


def _bound_in(ctx: FixContext, name: str, statement: cst.CSTNode, many: bool) -> Bound | Withheld:
    unknown = _unknown(name, many)
    block, index = block_of(ctx, statement)
    for position in range(index - 1, -1, -1):
        earlier = block.body[position]
        if not any(isinstance(n, cst.Name) and n.value == name for n in own_nodes(earlier)):
            continue
        if not (isinstance(earlier, cst.SimpleStatementLine) and len(earlier.body) == 1):
            return unknown
        small = earlier.body[0]
        if not (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.targets[0].target.value == name
        ):
            return unknown
        if any(_rebinds(s, name) for s in block.body[position + 1 : index]):
            return Withheld(f"`{name}` changes between where it is made and the gather")
        value = small.value
        if many:
            items = [value.elt] if isinstance(value, _COMPREHENSIONS) else (
                [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else None
            )
            if not items or any(isinstance(e, cst.StarredElement) for e in getattr(value, "elements", [])):
                return unknown
        else:
            items = [value]
        for item in items:
            if isinstance(_coroutine(ctx, item), Withheld):
                return unknown
        return Bound(name, earlier, position, value)
    return _NOT_HERE


def _rebinds(statement: cst.CSTNode, name: str) -> bool:
    """Whether ``statement`` assigns ``name`` or changes the collection it names."""
    for node in own_nodes(statement):
        targets: list[cst.BaseExpression] = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor)):
            targets = [node.target]
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            if node.func.value.value == name and node.func.attr.value in _MUTATORS:
                return True
        elif isinstance(node, cst.Del):
            targets = [node.target]
        for target in targets:
            if any(isinstance(n, cst.Name) and n.value == name for n in iter_nodes(target)):
                return True
    return False


_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "remove", "discard", "pop", "clear"})


def _rebind(bound: Bound, tg: str, ctx: FixContext) -> cst.SimpleStatementLine:
    """The binding with each spawn or coroutine call made through the group instead."""
    value = bound.value
    new_value: cst.BaseExpression
    if isinstance(value, _COMPREHENSIONS):
        new_value = cst.ListComp(elt=_spawn(_coroutine(ctx, value.elt), tg, ctx), for_in=value.for_in,
                                 lbracket=cst.LeftSquareBracket(), rbracket=cst.RightSquareBracket())
        if isinstance(value, cst.ListComp):
            new_value = value.with_changes(elt=_spawn(_coroutine(ctx, value.elt), tg, ctx))
    elif isinstance(value, (cst.List, cst.Tuple)):
        new_value = value.with_changes(
            elements=[e.with_changes(value=_spawn(_coroutine(ctx, e.value), tg, ctx)) for e in value.elements]
        )
    else:
        new_value = _spawn(_coroutine(ctx, value), tg, ctx)
    small = bound.statement.body[0]
    return bound.statement.with_changes(body=[small.with_changes(value=new_value)])


def _is_false(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "False"


def _coroutine(ctx: FixContext, expr: cst.BaseExpression) -> cst.Call | CstSpawn | Withheld:
    """What ``tg.create_task`` should receive for a gathered awaitable, or why not."""
    info = ctx.analysis.spawn_info(expr) if isinstance(expr, cst.Call) else None
    if info is not None:
        if info.kind not in ("asyncio.create_task", "asyncio.ensure_future", "loop.create_task"):
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


def _spawn(awaitable: cst.Call | CstSpawn | Bound | Withheld, tg: str, ctx: FixContext) -> cst.Call:
    if isinstance(awaitable, cst.Call):
        return cst.Call(cst.Attribute(cst.Name(tg), cst.Name("create_task")), args=[cst.Arg(awaitable)])
    assert isinstance(awaitable, CstSpawn)  # a Bound is rebound by `_rebind`; a Withheld never gets here
    made = spawn_through(awaitable, tg, "asyncio", ctx)
    assert not isinstance(made, Withheld)  # `_coroutine` accepted this spawn
    if not _comments(awaitable.call):
        # The spawn's own line breaks made sense inside the gather's parentheses, not here.
        made = made.with_changes(
            whitespace_before_args=cst.SimpleWhitespace(""),
            args=[_flat_arg(a, last=i == len(made.args) - 1) for i, a in enumerate(made.args)],
        )
    return made


def _flat_arg(arg: cst.Arg, last: bool) -> cst.Arg:
    comma = cst.MaybeSentinel.DEFAULT if last else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return arg.with_changes(comma=comma, whitespace_after_arg=cst.SimpleWhitespace(""))


def _result(name: str) -> cst.Call:
    return cst.Call(cst.Attribute(cst.Name(name), cst.Name("result")))


def _task_names(ctx: FixContext, awaitables: Sequence[Bound | cst.Call | CstSpawn], scope: cst.CSTNode) -> list[str | None]:
    """A task name for each awaitable made in the group (None for one bound before it)."""
    bases: list[str | None] = []
    for awaitable in awaitables:
        if isinstance(awaitable, Bound):
            bases.append(None)
            continue
        call: cst.Call | None
        if isinstance(awaitable, cst.Call):
            call = awaitable
        else:
            positional = [a.value for a in awaitable.call.args if a.keyword is None]
            call = positional[0] if positional and isinstance(positional[0], cst.Call) else None
        func = call.func if call is not None else None
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else "job"
        name = re.sub(r"^_+", "", name) or "job"
        bases.append(f"{name}_task")
    names: list[str | None] = []
    for base in bases:
        if base is None:
            names.append(None)
            continue
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
    comma = arg.comma if isinstance(arg.comma, cst.Comma) else None
    found = _comments(comma) + _comments(arg.whitespace_after_arg)
    if not found:
        return None
    return cst.Comment("  ".join(c.value for c in found)) if len(found) > 1 else found[0]


def _head_comments(call: cst.Call) -> list[cst.Comment]:
    return _comments(call.whitespace_before_args) + [c for lpar in call.lpar for c in _comments(lpar)]


def _one_line(comp_for: cst.CompFor) -> cst.CompFor:
    """The comprehension's clauses on one line, unless a comment lives in their line breaks."""
    if _comments(comp_for):
        return comp_for

    def flat(clause: cst.CompFor) -> cst.CompFor:
        changes: dict[str, object] = {"whitespace_before": cst.SimpleWhitespace(" ")}
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
    """The innermost ``try`` with handlers whose body holds ``statement`` (they become
    ``except*``), or why they cannot."""
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
    types = [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
    for value in types:
        qualified = ctx.analysis.qualify(value) or ctx.source(value)
        if qualified in _GROUPS:
            return f"a handler catches `{ctx.source(value)}`"
    for node in _jumps(handler.body, in_loop=False):
        keyword = "return" if isinstance(node, cst.Return) else "break" if isinstance(node, cst.Break) else "continue"
        return f"a handler leaves with `{keyword}`, which `except*` does not allow"
    return None


def _jumps(node: cst.CSTNode, in_loop: bool) -> Iterator[cst.CSTNode]:
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


def _bare_raises(body: cst.CSTNode) -> list[cst.Raise]:
    """``raise`` statements without an exception that re-raise this handler's exception
    (not those inside a nested ``except``, which re-raise that one)."""
    nested = [n for n in own_nodes(body) if isinstance(n, (cst.ExceptHandler, cst.ExceptStarHandler)) and n is not body]
    inner = {id(r) for h in nested for r in own_nodes(h.body) if isinstance(r, cst.Raise)}
    return [n for n in own_nodes(body) if isinstance(n, cst.Raise) and n.exc is None and id(n) not in inner]


def _to_try_star(ctx: FixContext, node: cst.Try, scope: cst.CSTNode) -> cst.TryStar:
    handlers = []
    for handler in node.handlers:
        body: cst.BaseSuite = handler.body
        name = handler.name
        bound = name.name.value if name is not None and isinstance(name.name, cst.Name) else None
        raises = _bare_raises(body)
        if raises:
            # A bare `raise` in an `except*` clause re-raises the group: raise the exception itself.
            if bound is None:
                bound = ctx.fresh_name("exc", scope)
                name = cst.AsName(name=cst.Name(bound))
            again = cst.Raise(exc=cst.Name(bound))
            rewritten = rewrite(body, {r: again for r in raises})
            assert isinstance(rewritten, cst.BaseSuite)  # a suite stays one
            body = rewritten
        if bound is not None and any(isinstance(n, cst.Name) and n.value == bound for n in own_nodes(body)):
            group = ctx.fresh_name(f"{bound}_group", scope)
            unwrap = cst.parse_statement(f"{bound} = {group}.exceptions[0]{ctx.module.default_newline}", ctx.module.config_for_parsing)
            if isinstance(body, cst.IndentedBlock):
                body = body.with_changes(body=[unwrap, *body.body])
            else:
                assert isinstance(body, cst.SimpleStatementSuite)  # the other kind of suite
                body = cst.IndentedBlock([unwrap, *[cst.SimpleStatementLine([s]) for s in body.body]])
            assert name is not None  # made above when the handler bound nothing
            name = name.with_changes(name=cst.Name(group))
        assert handler.type is not None  # a bare `except:` was refused when planning
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
