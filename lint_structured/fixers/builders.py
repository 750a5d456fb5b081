"""Shared pieces of the rewrites: statements and blocks, task-group blocks, spawns.

``TaskGroupBuilder`` knows how to write a task group for the file's target
(``asyncio.TaskGroup`` through the module's own name for asyncio, the
``taskgroup`` backport, or anyio) and how to spawn into one.
"""

from __future__ import annotations

from typing import Iterator, Mapping, Sequence

import libcst as cst

from lint_structured.analysis import Frame
from lint_structured.fixers.base import FixContext, Import, Replacement, Withheld, iter_nodes
from lint_structured.fixers.twins import CstSpawn

Block = cst.IndentedBlock | cst.Module
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


# ------------------------------------------------------------------ statements
def enclosing_statement(ctx: FixContext, node: cst.CSTNode) -> cst.BaseStatement | Withheld:
    """The statement holding ``node`` directly in an indented block.

    Withheld for a statement in a one-line suite (``if x: spawn()``) or one
    that shares its line with others (``a = 1; spawn()``): the rewrite
    needs a statement of its own.
    """
    child: cst.CSTNode = node
    for parent in ctx.ancestors(node):
        if isinstance(parent, (cst.IndentedBlock, cst.Module)):
            if isinstance(child, cst.SimpleStatementLine) and len(child.body) != 1:
                return Withheld("the statement shares its line with others (`;`)")
            return child  # type: ignore[return-value]  # a child of a block is a statement
        if isinstance(parent, cst.SimpleStatementSuite):
            return Withheld("the statement is on the same line as its block's header")
        child = parent
    return Withheld("no enclosing statement")


def enclosing_function(ctx: FixContext, node: cst.CSTNode) -> cst.FunctionDef | None:
    """The innermost ``def`` around ``node``; None inside a lambda or class body first."""
    for parent in ctx.ancestors(node):
        if isinstance(parent, cst.FunctionDef):
            return parent
        if isinstance(parent, (cst.Lambda, cst.ClassDef)):
            return None
    return None



def awaited_statement(
    ctx: FixContext, call: cst.Call, what: str
) -> tuple[cst.Await, cst.FunctionDef, cst.BaseStatement] | Withheld:
    """(the ``await`` of ``call``, its ``async def``, its statement) for a call awaited
    where it is made, as ``gather`` and ``wait`` fixes need; else why not."""
    awaited = ctx.parent(call)
    if not isinstance(awaited, cst.Await):
        return Withheld(f"the {what} is not awaited where it is made")
    function = enclosing_function(ctx, call)
    if function is None or function.asynchronous is None:
        return Withheld("outside an `async def`")
    statement = enclosing_statement(ctx, call)
    if isinstance(statement, Withheld):
        return statement
    return awaited, function, statement


def block_of(ctx: FixContext, statement: cst.CSTNode) -> tuple[Block, int]:
    block = ctx.parent(statement)
    assert isinstance(block, (cst.IndentedBlock, cst.Module))
    index = next(i for i, s in enumerate(block.body) if s is statement)
    return block, index


def outermost_loop(ctx: FixContext, statement: cst.CSTNode, function: cst.FunctionDef) -> cst.For | cst.While | None:
    """The outermost ``for``/``while`` of ``function`` around ``statement``."""
    found = None
    for parent in ctx.ancestors(statement):
        if parent is function:
            break
        if isinstance(parent, (cst.For, cst.While)):
            found = parent
    return found


def own_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Nodes of ``node`` outside nested functions, lambdas and classes."""
    return iter_nodes(node, prune=_SCOPES)


def nodes_in_order(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """``node`` and its descendants in source order (pre-order), outside nested scopes."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current, _SCOPES) or current is node:
            stack.extend(reversed(current.children))  # source order



def rewrite(node: cst.CSTNode, mapping: Mapping[cst.CSTNode, Replacement]) -> cst.CSTNode:
    """``node`` with the (disjoint) replacements of ``mapping`` applied inside it."""
    if not mapping:
        return node
    if node in mapping:
        replaced = mapping[node]
        assert isinstance(replaced, cst.CSTNode), "a node is replaced by statements only in its block"
        return replaced
    return node.visit(_Replace(mapping))  # type: ignore[return-value]  # the root is replaced by one node


class _Replace(cst.CSTTransformer):
    """Replaces the nodes of ``mapping``; with ``above`` (every node with a replaced node
    below it) it enters only those, and leaves the rest of a large module unvisited."""

    def __init__(self, mapping: Mapping[cst.CSTNode, Replacement], above: set[int] | None = None) -> None:
        super().__init__()
        self.mapping = mapping
        self.above = above

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node in self.mapping:
            return False
        return self.above is None or id(node) in self.above

    def on_leave(  # type: ignore[override]  # LibCST's is generic in the node's type; a replacement may change it
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Replacement | cst.RemovalSentinel:
        return self.mapping.get(original_node, updated_node)


def with_block(
    header: cst.BaseExpression,
    asname: str,
    body: Sequence[cst.BaseStatement],
    leading_lines: Sequence[cst.EmptyLine] = (),
    header_comment: cst.TrailingWhitespace | None = None,
) -> cst.With:
    """``async with <header> as <asname>:`` around ``body``."""
    return cst.With(
        items=[cst.WithItem(item=header, asname=cst.AsName(name=cst.Name(asname)))],
        body=cst.IndentedBlock(body=list(body), header=header_comment or cst.TrailingWhitespace()),
        asynchronous=cst.Asynchronous(),
        leading_lines=list(leading_lines),
    )


def detach_leading_lines(statement: cst.BaseStatement) -> tuple[cst.BaseStatement, Sequence[cst.EmptyLine]]:
    """The statement without its leading blank lines and comments, and those lines."""
    assert isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement))  # every statement is one
    return statement.with_changes(leading_lines=[]), statement.leading_lines


# ------------------------------------------------------------------ task groups
class TaskGroupBuilder:
    """Writes a task group for the file's target version and ``fix-backend``."""

    def __init__(self, ctx: FixContext, frame: Frame | None) -> None:
        self.ctx = ctx
        self.frame = frame
        backend = ctx.settings.fix_backend
        self.library = "anyio" if backend == "anyio" else "asyncio"
        self.withheld: Withheld | None = None
        if backend == "asyncio" and ctx.target < (3, 11):
            self.withheld = Withheld(
                f"asyncio.TaskGroup needs Python 3.11 and the target is {ctx.target[0]}.{ctx.target[1]}; "
                'set fix-backend = "taskgroup" (the backport) or "anyio"'
            )

    def local_for(self, qualified: str) -> str | None:
        frame = self.frame
        while frame is not None:
            for local, full in frame.imports.items():
                if full == qualified:
                    return local
            frame = frame.parent
        return None

    def factory(self) -> tuple[cst.BaseExpression, tuple[Import, ...]]:
        """The expression that makes a group, and the import it needs."""
        backend = self.ctx.settings.fix_backend
        if backend == "anyio":
            local = self.local_for("anyio.create_task_group")
            if local:
                return cst.Call(cst.Name(local)), ()
            module = self.local_for("anyio") or "anyio"
            return cst.Call(cst.Attribute(cst.Name(module), cst.Name("create_task_group"))), (
                () if self.local_for("anyio") else (Import("anyio"),)
            )
        if backend == "taskgroup":
            local = self.local_for("taskgroup.TaskGroup")
            return cst.Call(cst.Name(local or "TaskGroup")), (() if local else (Import("taskgroup", "TaskGroup"),))
        made, imports = self.asyncio_member("TaskGroup")
        return cst.Call(made), imports

    def asyncio_member(self, member: str) -> tuple[cst.BaseExpression, tuple[Import, ...]]:
        """``asyncio.<member>`` as this module spells asyncio names.

        An existing binding is reused (``import asyncio as aio`` gives
        ``aio.TaskGroup``; ``from asyncio import TaskGroup``, ``TaskGroup``). A
        module that only imports names from asyncio gets ``member`` added to
        those imports when the name is free; otherwise ``import asyncio``.
        """
        local = self.local_for(f"asyncio.{member}")
        if local:
            return cst.Name(local), ()
        module = self.local_for("asyncio")
        if module:
            return cst.Attribute(cst.Name(module), cst.Name(member)), ()
        top = self.ctx.analysis.frames[self.ctx.module].imports.values()
        if any(q.startswith("asyncio.") for q in top) and not self.ctx.name_used(member):
            return cst.Name(member), (Import("asyncio", member),)
        return cst.Attribute(cst.Name("asyncio"), cst.Name(member)), (Import("asyncio"),)



def spawn_through(info: CstSpawn, group: str, library: str, ctx: FixContext) -> cst.Call | Withheld:
    """``asyncio.create_task(coro(...), name=n)`` as ``group.create_task(...)`` or ``group.start_soon(...)``."""
    call = info.call
    if info.kind not in ("asyncio.create_task", "asyncio.ensure_future", "loop.create_task"):
        return Withheld(f"`{info.spawner}(...)` is not a spawn a task group can take over")
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
    if len(positional) != 1 or any(a.star for a in call.args):
        return Withheld(f"`{info.spawner}(...)` has unusual arguments")
    coro = positional[0].value
    if info.kind == "asyncio.ensure_future":
        if keywords:
            return Withheld("`ensure_future` is called with a `loop`")
        if not (isinstance(coro, cst.Call) and coro in ctx.analysis.coroutine_calls):
            return Withheld(
                f"cannot tell that `{ctx.source(coro)}` is a coroutine (`ensure_future` also takes futures)"
            )
    if set(keywords) - {"name", "context"}:
        return Withheld(f"`{info.spawner}(...)` has arguments a task group does not take")
    if library == "asyncio":
        return call.with_changes(func=cst.Attribute(cst.Name(group), cst.Name("create_task")))
    # anyio and trio take the coroutine function and its positional arguments.
    if "context" in keywords:
        return Withheld(f"{library}'s `start_soon` takes no `context`")
    if not isinstance(coro, cst.Call) or any(a.keyword is not None or a.star == "**" for a in coro.args):
        return Withheld(f"{library}'s `start_soon` takes a function and positional arguments; `{ctx.source(coro)}` does not fit")
    args = [cst.Arg(coro.func)] + [cst.Arg(a.value, star=a.star) for a in coro.args]
    if "name" in keywords:
        args.append(keywords["name"].with_changes(comma=cst.MaybeSentinel.DEFAULT))
    return cst.Call(cst.Attribute(cst.Name(group), cst.Name("start_soon")), args=_commas(args))


def _commas(args: list[cst.Arg]) -> list[cst.Arg]:
    return [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args]


def unwraps_groups(ctx: FixContext) -> bool:
    """Whether rewritten blocks re-raise their first exception as itself (needs ``except*``)."""
    return ctx.target >= (3, 11) and ctx.settings.fix_exception_groups == "unwrap"


def reraise_first(ctx: FixContext, group_block: cst.With, scope: cst.CSTNode) -> cst.TryStar:
    """The group block inside ``try: ... except* BaseException as g: raise g.exceptions[0]``.

    A task group raises an ``ExceptionGroup``, even for an exception of the
    block's own code; the code it replaces raised plain exceptions (``gather``
    its first failure, a function its own errors). Re-raising the group's
    first exception keeps that contract for callers that catch them; the
    group still cancels and waits for its tasks, which is what the rewrite
    is for. Needs Python 3.11 (``except*``).
    """
    group = ctx.fresh_name("exc_group", scope)
    nl = ctx.module.default_newline
    handler = cst.ensure_type(
        cst.parse_statement(f"try:{nl}    pass{nl}except* BaseException as {group}:{nl}    raise {group}.exceptions[0]{nl}", ctx.module.config_for_parsing),
        cst.TryStar,
    ).handlers[0]
    return cst.TryStar(
        body=cst.IndentedBlock([group_block.with_changes(leading_lines=[])]),
        handlers=[handler],
        leading_lines=group_block.leading_lines,
    )

