"""LSC302 fix: a coroutine bound to a name and not awaited on every path.

Two clear shapes, in an ``async def``:

* the name is used nowhere else: ``job = fetch()`` becomes
  ``job = await fetch()`` (unsafe: the coroutine now runs there);
* the name is used once, in ``await job`` later in the same block: the call
  moves to that ``await`` and the binding goes (safe: making a coroutine runs
  none of its code, and the call's arguments are plain names that nothing
  rebinds, so they evaluate to the same values there).

Anything else (awaited on one path and passed on another, collected in a
list, overwritten) is the author's to restructure.
"""

from __future__ import annotations

import libcst as cst

from lint_structured.fixers.base import CstReport, Edit, FixContext, Outcome, Plan, Withheld, iter_nodes
from lint_structured.fixers.builders import (
    block_of,
    enclosing_function,
    enclosing_statement,
    nodes_in_order,
    own_nodes,
    rewrite,
)
from lint_structured.model import Applicability

_LITERALS = (cst.Integer, cst.Float, cst.SimpleString, cst.Imaginary)


def plan(ctx: FixContext, report: CstReport) -> Outcome:
    call = report.node
    if not isinstance(call, cst.Call):
        return Withheld("the reported code is not a call")
    binding = ctx.parent(call)
    if not (
        isinstance(binding, cst.Assign)
        and binding.value is call
        and len(binding.targets) == 1
        and isinstance(binding.targets[0].target, cst.Name)
    ):
        return Withheld("the coroutine is not bound by a plain `name = call(...)`; where it should run is the author's decision")
    target = binding.targets[0].target
    name = target.value
    function = enclosing_function(ctx, call)
    if function is None or function.asynchronous is None:
        return Withheld("outside an `async def` the coroutine cannot be awaited")
    # Every use, nested functions included: a closure may hold the coroutine.
    uses = [n for n in iter_nodes(function.body) if isinstance(n, cst.Name) and n.value == name and n is not target]
    if not uses:
        return Plan(
            Applicability.UNSAFE,
            f"await it where it is made: `{name} = await ...` (the coroutine then runs there)",
            lambda: Edit({call: cst.Await(expression=call)}),
        )
    return _move_to_await(ctx, call, binding, name, uses, function)


def _move_to_await(
    ctx: FixContext, call: cst.Call, binding: cst.Assign, name: str, uses: list[cst.Name], function: cst.FunctionDef
) -> Outcome:
    withheld = Withheld(
        f"`{name}` is used elsewhere in the function; await it, or hand it to a TaskGroup, where it should run"
    )
    if len(uses) != 1:
        return withheld
    use = uses[0]
    awaited = ctx.parent(use)
    if not isinstance(awaited, cst.Await) or awaited.expression is not use:
        return withheld
    statement = enclosing_statement(ctx, call)
    if isinstance(statement, Withheld) or not isinstance(statement, cst.SimpleStatementLine):
        return withheld
    block, index = block_of(ctx, statement)
    later = block.body[index + 1 :]
    if not any(use is n for s in later for n in nodes_in_order(s)):
        return withheld  # the await is not after the binding in the same block
    if any(isinstance(a, (cst.For, cst.While, cst.FunctionDef, cst.Lambda)) for a in ctx.ancestors(use, until=block)):
        return withheld
    names = _plain_names(call)
    if names is None:
        return Withheld(
            f"the arguments of `{ctx.source(call.func)}(...)` are not plain names or literals, so they could "
            f"change before `await {name}`; move the call there by hand"
        )
    rebound = names & _assigned_names(function)
    if rebound:
        return Withheld(f"`{sorted(rebound)[0]}` is assigned in the function, so the call cannot move to `await {name}`")

    def build() -> Edit:
        body = list(block.body)
        following = body[index + 1] if index + 1 < len(body) else None
        replacements: dict[cst.CSTNode, cst.CSTNode] = {use: call.with_changes(lpar=[], rpar=[])}
        new_later = [rewrite(s, replacements) for s in later]
        kept = list(statement.leading_lines)
        if statement.trailing_whitespace.comment is not None:
            # The binding's own comment stays where the binding was, on a line of its own.
            kept.append(cst.EmptyLine(comment=statement.trailing_whitespace.comment))
        if following is not None and kept:
            first = new_later[0]
            assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))  # a statement of the block
            new_later[0] = first.with_changes(leading_lines=[*kept, *first.leading_lines])
        return Edit({block: block.with_changes(body=[*body[:index], *new_later])})

    return Plan(
        Applicability.SAFE,
        f"make the coroutine at `await {name}`, its only use (nothing runs earlier, so nothing changes)",
        build,
    )


def _plain_names(call: cst.Call) -> set[str] | None:
    """The names the call reads, when it reads only names, attributes of names (as the
    callee) and literals; None otherwise."""
    names: set[str] = set()
    func = call.func
    while isinstance(func, cst.Attribute):
        func = func.value
    if not isinstance(func, cst.Name):
        return None
    names.add(func.value)
    for arg in call.args:
        if isinstance(arg.value, cst.Name):
            names.add(arg.value.value)
        elif not isinstance(arg.value, _LITERALS):
            return None
    return names


def _assigned_names(function: cst.FunctionDef) -> set[str]:
    found: set[str] = set()
    for node in own_nodes(function.body):
        targets: list[cst.CSTNode] = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor)):
            targets = [node.target]
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            targets = [node.asname.name]
        elif isinstance(node, (cst.Del, cst.Global, cst.Nonlocal)):
            targets = [node] if isinstance(node, cst.Del) else []
            if not isinstance(node, cst.Del):
                found.update(n.name.value for n in node.names)
        for target in targets:
            found.update(_bound(target))
    return found


def _bound(target: cst.CSTNode) -> set[str]:
    """Names a target binds: ``a``, ``a, *b``; not the ones read in ``d[k]`` or ``o.x``."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {n for e in target.elements for n in _bound(e.value)}
    if isinstance(target, cst.StarredElement):
        return _bound(target.value)
    if isinstance(target, cst.Del):
        return _bound(target.target)
    return set()
