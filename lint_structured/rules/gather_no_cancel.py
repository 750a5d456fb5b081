"""LSC201 gather-no-cancel and LSC204 gather-to-task-group.

When a child of ``gather`` fails, the others keep running. That matters where
something outlives the failure: LSC201 reports those gathers (the caller
catches the error and goes on, a resource the children use is closed as the
error propagates, a child is endless, the children are tasks made earlier).
LSC204, off by default, reports the other gathers, for a one-shot migration
of every ``gather`` to a TaskGroup.
"""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis
from lint_structured.model import Applicability
from lint_structured.rules.base import CLOSE_CALLS, Rule, short_call
from lint_structured.rules.gather_wait import (
    CANCELLED_ERRORS,
    GATHER,
    TIMEOUTS,
    WAIT_FOR,
    call_tail,
    calls,
    children_cancelled_before,
    ends_with_raise,
    enclosing_try_cancels,
    gathers_several,
    module_functions,
    return_exceptions,
)
from lint_structured.syntax import dotted_name, dotted_names_in, is_forever_test, iter_nodes

#: Context managers whose exit closes nothing the children could use.
_NOT_RESOURCES = frozenset(
    {"asyncio.timeout", "asyncio.timeout_at", "asyncio.TaskGroup", "anyio.create_task_group", "trio.open_nursery"}
)
#: Calls that do not return while the program runs: a child that makes one is long-lived.
_ENDLESS_CALLS = frozenset({"serve_forever", "sleep_forever", "run_forever"})
#: Calls that open something the caller must close: a child that returns one leaks it
#: when a sibling fails, since gather drops the results of the children that succeeded.
_OPENERS = frozenset(
    {
        "open_connection",
        "open_unix_connection",
        "create_connection",
        "create_unix_connection",
        "connect",
        "create_pool",
        "create_subprocess_exec",
        "create_subprocess_shell",
    }
)
#: What a handler catches when only a timeout around the gather fired (and cancelled it).
_TIMEOUT_ERRORS = frozenset({"TimeoutError", "builtins.TimeoutError", "asyncio.TimeoutError", "asyncio.exceptions.TimeoutError"})
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def child_kind(function: cst.FunctionDef) -> str | None:
    """What a child running ``function`` is: "endless" (it loops ``while True`` with no
    ``break`` or ``return``, or serves forever), "opening" (it awaits an opener such as
    ``open_connection`` and returns a value: what it opened is lost if a sibling fails),
    "guarded" (its whole body is a ``try`` whose ``except Exception`` does not re-raise:
    it cannot fail), or None."""
    if _guarded(function):
        return "guarded"
    opens = returns = False
    for inner in iter_nodes(function.body, prune=_SCOPES):
        if isinstance(inner, cst.While) and _is_forever(inner):
            return "endless"
        if isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute) and inner.func.attr.value in _ENDLESS_CALLS:
            return "endless"
        if isinstance(inner, cst.Await) and isinstance(inner.expression, cst.Call) and call_tail(inner.expression.func) in _OPENERS:
            opens = True
        elif isinstance(inner, cst.Return) and inner.value is not None:
            returns = True
    return "opening" if opens and returns else None


def _guarded(function: cst.FunctionDef) -> bool:
    body = list(getattr(function.body, "body", ()))
    if body and isinstance(body[0], cst.SimpleStatementLine) and isinstance(body[0].body[0], cst.Expr):
        if type(body[0].body[0].value).__name__ in ("SimpleString", "ConcatenatedString"):
            body = body[1:]  # the docstring
    while body and isinstance(body[0], cst.If) and _only_returns(body[0]):
        body = body[1:]  # `if self._queue is None: return`: a guard before the work
    if len(body) != 1 or not isinstance(body[0], cst.Try):
        return False
    for handler in body[0].handlers:
        broad = handler.type is None or (isinstance(handler.type, cst.Name) and handler.type.value in ("Exception", "BaseException"))
        if broad and not ends_with_raise(handler.body):
            return True
    return False


def _only_returns(statement: cst.If) -> bool:
    inner = list(getattr(statement.body, "body", ()))
    return (
        statement.orelse is None
        and len(inner) == 1
        and isinstance(inner[0], cst.SimpleStatementLine)
        and all(isinstance(s, cst.Return) and s.value is None for s in inner[0].body)
    )


def _is_forever(loop: cst.While) -> bool:
    if not is_forever_test(loop.test):
        return False
    inner_loops = (cst.For, cst.While)
    return not any(isinstance(n, (cst.Break, cst.Return)) for n in iter_nodes(loop.body, prune=_SCOPES + inner_loops))


class GatherNoCancel(Rule):
    code = "LSC201"
    name = "gather-no-cancel"
    summary = "asyncio.gather leaves the other children running where that can do harm"
    fix_applicability = Applicability.UNSAFE
    fixer = "gather_to_task_group"
    prefilter = ("gather",)
    prefilter_names = ("gather",)
    fix_needs_coroutines = True
    #: LSC201 reports the gathers whose leftover children can do harm; LSC204 the others.
    reports_harm = True
    what_it_does = """
        Finds `asyncio.gather(...)` (any import form or alias) of two or more
        awaitables, or of a starred iterable, without `return_exceptions=True`,
        where the children left running when one fails can do harm:

        - the caller catches the error and goes on: a `try` around the
          gather with a handler that does not re-raise (a retry, a server
          loop, a fallback value);
        - a resource the children use is closed as the error propagates:
          the gather inside `async with session:` (or `with`) that the
          children use, or a `try` whose `finally` or handler closes it;
        - a child is long-lived: a function of the module that loops
          `while True` or serves forever;
        - a child opens something and returns it (`open_connection`,
          `connect`...): when a sibling fails, `gather` drops the results of
          the children that succeeded, and what they opened stays open;
        - the children are tasks made earlier or kept elsewhere (names bound
          to `create_task(...)`, attributes such as `self._tasks`).

        Silent where a failure simply ends the operation and nothing outlives
        it; for a single awaitable; when an `except` or `finally` around the
        gather cancels the gathered tasks; and for the cleanup step of the
        cancel-then-gather idiom. To migrate every `gather` to a TaskGroup,
        select LSC204 too (off by default).
    """
    why_bad = """
        When one child of `gather` raises, `gather` raises that exception at
        once, but it does not cancel the other children: they keep running,
        unsupervised. Where the failure ends the operation, that is mostly
        harmless. Where something goes on, it is not: a caller that catches
        the error and retries starts a second set of children beside the
        first; children that use a session closed by the error fail at
        random later; an endless child runs forever with nobody watching;
        and tasks kept elsewhere are left running with their failures unseen.
    """
    example = """
        import asyncio

        async def fetch_all(session, urls):
            try:
                return await asyncio.gather(*(fetch(session, u) for u in urls))
            except ConnectionError:
                return []
    """
    use_instead = """
        import asyncio

        async def fetch_all(session, urls):
            try:
                async with asyncio.TaskGroup() as tg:
                    tasks = [tg.create_task(fetch(session, u)) for u in urls]
            except* ConnectionError:
                tasks = []  # the other fetches were cancelled
            return [t.result() for t in tasks]
    """
    fix_safety = """
        Unsafe (`--unsafe-fixes`). The gather becomes an
        `async with asyncio.TaskGroup() as tg:` block with one
        `tg.create_task(...)` per awaitable, and the results are rebuilt from
        `task.result()`: a tuple for tuple unpacking, the list `gather` returned
        for a single target or a `return`, a list of tasks for a starred
        comprehension, nothing for a discarded result. Tasks made earlier in the
        block (`tasks = [asyncio.create_task(...) ...]`, or just before a `try`
        that opens with the gather) are made in the group instead. Exceptions:
        the innermost `try` around the gather gets `except*` clauses (a handler
        that reads the exception gets it back with
        `exc = exc_group.exceptions[0]`, and a bare `raise` re-raises it);
        where there is no such `try`, or its handlers cannot be `except*` (a
        bare `except:`, a `return`/`break`/`continue`), the group is wrapped in
        `try: ... except* BaseException as exc_group: raise exc_group.exceptions[0]`
        so that the first failure reaches callers and handlers as itself, as
        it did from `gather` (with `fix-exception-groups = "keep"`, the
        `ExceptionGroup` propagates instead, and a `try` whose handlers cannot
        be `except*` withholds the fix). It is unsafe because the other awaitables are now
        cancelled when one fails, and an `except*` handler runs once per
        matching group of failures. Withheld, with the reason, when an
        awaitable is not known to be a coroutine (`create_task` needs one: a
        task, future or `session.get(...)` would fail), when the result is used
        inside a larger expression, and below Python 3.11.
    """

    def __init__(self, analysis: ModuleAnalysis) -> None:
        super().__init__(analysis)
        self._kinds: dict[str, str | None] = {}  # function name -> child kind, on demand
        self._module_functions: list[cst.FunctionDef] | None = None
        #: Gathers that are the awaitable of a `wait_for`: its timeout cancels them.
        self._timed: set[cst.CSTNode] = set()
        # The `with` blocks around the node being visited; None marks a function boundary.
        self._withs: list[cst.With | None] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._withs.append(None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._withs.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._withs.append(None)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._withs.pop()

    def visit_With(self, node: cst.With) -> None:
        self._withs.append(node)

    def leave_With(self, original_node: cst.With) -> None:
        self._withs.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if node.args and calls(node, self.analysis, WAIT_FOR):
            self._timed.add(node.args[0].value)  # the parent is visited before its arguments
            return
        if not calls(node, self.analysis, GATHER) or return_exceptions(node) is not False:
            return
        if not gathers_several(node):
            return
        if children_cancelled_before(node, self.analysis) or enclosing_try_cancels(node, self.analysis):
            return
        harm = self._harm(node)
        if (harm is not None) != self.reports_harm:
            return
        gather = short_call(self.analysis.source(node.func))
        self.report(node, harm.format(gather) if harm else f"{gather} could be a TaskGroup, which cancels the rest on failure")

    # ------------------------------------------------------------------ harm
    def _harm(self, call: cst.Call) -> str | None:
        """What the children left running after a failure of ``call`` can harm, as a
        message template, or None when a failure just ends the operation."""
        children = [arg.value for arg in call.args if arg.keyword is None]
        calls_made = [_child_call(child) for child in children]
        kinds = [self._child_kind(call_tail(c.func)) if c is not None else None for c in calls_made]
        if kinds and all(kind == "guarded" for kind in kinds):
            return None  # no child can fail: the siblings are never left behind
        timed = call in self._timed or any(
            block is not None and self._is_timeout_block(block) for block in self._withs[self._last_boundary() :]
        )
        names: set[str] = set()
        for child in children:
            names |= dotted_names_in(child)
        used = names | {name.split(".")[0] for name in names}
        for try_node in reversed(self.analysis.frame.try_bodies):
            handlers = list(getattr(try_node, "handlers", ()))
            if any(not ends_with_raise(h.body) and self._catches_a_child_failure(h, timed) for h in handlers):
                return "{} fails, is caught here, and the others run on; use a TaskGroup"
            final = getattr(try_node, "finalbody", None)
            cleanup = [h.body for h in handlers] + ([final] if final is not None else [])
            if any(_closed_in(block) & used for block in cleanup):
                return "{} failing closes what the others still use; use a TaskGroup"
        for block in reversed(self._withs):
            if block is None:
                break
            if self._resources(block) & used:
                return "{} failing leaves the others using a closed resource; use a TaskGroup"
        for child, made, kind in zip(children, calls_made, kinds):
            if made is not None:
                if kind == "endless":
                    return "{} has an endless child that runs on when one fails; use a TaskGroup"
                if kind == "opening":
                    return "{} failing drops what the others opened, still open; close it or use a TaskGroup"
            elif self._made_earlier(child.value if isinstance(child, cst.StarredElement) else child):
                return "{} of tasks made earlier leaves them running on failure; cancel them"
        return None

    def _catches_a_child_failure(self, handler: cst.CSTNode, timed: bool) -> bool:
        """Whether ``handler`` can catch a child's failure: not when it catches only
        ``CancelledError`` (the gather itself was cancelled, and cancelled its children)
        or, under a timeout, only ``TimeoutError`` (the timeout cancelled the gather)."""
        kind = getattr(handler, "type", None)
        if kind is None:
            return True
        elements = [e.value for e in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
        names = {self.analysis.qualify(e) or "" for e in elements}
        if names <= CANCELLED_ERRORS:
            return False
        return not (timed and names <= _TIMEOUT_ERRORS | CANCELLED_ERRORS)

    def _is_timeout_block(self, block: cst.With) -> bool:
        return any(isinstance(i.item, cst.Call) and self.analysis.qualify(i.item.func) in TIMEOUTS for i in block.items)

    def _last_boundary(self) -> int:
        for index in range(len(self._withs) - 1, -1, -1):
            if self._withs[index] is None:
                return index + 1
        return 0

    def _child_kind(self, name: str) -> str | None:
        """``child_kind`` of the module's functions and methods called ``name``; for a
        name the module does not define, what the name says (``serve_forever``,
        ``open_connection``). Worked out on demand: most gathers never get this far."""
        if name not in self._kinds:
            defined = [f for f in self._functions() if f.name.value == name]
            if defined:
                kinds = {child_kind(f) for f in defined}
                found = [k for k in ("endless", "opening", "guarded") if k in kinds]
                self._kinds[name] = found[0] if found and (found[0] != "guarded" or kinds == {"guarded"}) else None
            else:
                self._kinds[name] = "endless" if name in _ENDLESS_CALLS else "opening" if name in _OPENERS else None
        return self._kinds[name]

    def _functions(self) -> list[cst.FunctionDef]:
        if self._module_functions is None:
            self._module_functions = module_functions(self.analysis.module)
        return self._module_functions

    def _resources(self, block: cst.With) -> set[str]:
        """What a ``with`` block closes at its end: its ``as`` names and managers."""
        found = set()
        for item in block.items:
            target = item.item.func if isinstance(item.item, cst.Call) else item.item
            if self.analysis.qualify(target) in _NOT_RESOURCES:
                continue
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                found.add(item.asname.name.value)
            name = dotted_name(item.item)
            if name:
                found.add(name)
        return found

    def _made_earlier(self, child: cst.BaseExpression) -> bool:
        """A task made before the gather and held elsewhere: a name bound to a spawn (or to
        a list of spawns), or an attribute (``self._reader``, ``*self._tasks``)."""
        if isinstance(child, cst.Attribute):
            return dotted_name(child) is not None
        if not isinstance(child, cst.Name):
            return False
        for node in iter_nodes(self.analysis.frame.node, prune=(cst.Lambda, cst.ClassDef)):
            if not isinstance(node, cst.Assign):
                continue
            if not any(isinstance(t.target, cst.Name) and t.target.value == child.value for t in node.targets):
                continue
            value = node.value
            if isinstance(value, (cst.ListComp, cst.GeneratorExp)):
                elements = [value.elt]
            elif isinstance(value, (cst.List, cst.Tuple)):
                elements = [e.value for e in value.elements]
            else:
                elements = [value]
            if any(isinstance(e, cst.Call) and self.analysis.spawn_info(e) is not None for e in elements):
                return True
        return False


def _child_call(child: cst.BaseExpression) -> cst.Call | None:
    """The call that makes a child: ``fetch(u)``, also in ``*(fetch(u) for u in urls)``."""
    inner = child.value if isinstance(child, cst.StarredElement) else child
    if isinstance(inner, (cst.GeneratorExp, cst.ListComp)):
        inner = inner.elt
    return inner if isinstance(inner, cst.Call) else None


def _closed_in(block: cst.CSTNode) -> set[str]:
    """Names ``block`` closes: ``session.close()`` gives "session"."""
    found = set()
    for node in iter_nodes(block):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in CLOSE_CALLS:
            name = dotted_name(node.func.value)
            if name:
                found |= {name, name.split(".")[0]}
    return found


class GatherToTaskGroup(GatherNoCancel):
    """The other gathers, each of which could be a TaskGroup: a migration aid."""

    code = "LSC204"
    name = "gather-to-task-group"
    summary = "asyncio.gather that could be a TaskGroup (a migration aid)"
    default_enabled = False
    prefilter = ("gather",)
    prefilter_names = ("gather",)
    reports_harm = False
    what_it_does = """
        Finds every `asyncio.gather(...)` of several awaitables without
        `return_exceptions=True` that LSC201 does not report: the gathers
        whose failure just ends the operation, where no child left running
        can do harm. Off by default, like ruff's `UP` rules: it is for a
        one-shot migration of a codebase to structured concurrency, together
        with LSC201 (`lint-structured fix --unsafe-fixes --select LSC201,LSC204`,
        or `--select LSC` for every rule).
    """
    why_bad = """
        Usually nothing: when one child fails the error ends the operation,
        and what is left is cancelled when the request or the program ends.
        A `TaskGroup` says so in the code: it cancels the rest at once,
        waits for them, and reports every failure.
    """
    example = """
        import asyncio

        async def profile(user_id):
            user, posts = await asyncio.gather(get_user(user_id), get_posts(user_id))
            return user, posts
    """
    use_instead = """
        import asyncio

        async def profile(user_id):
            async with asyncio.TaskGroup() as tg:
                user = tg.create_task(get_user(user_id))
                posts = tg.create_task(get_posts(user_id))
            return user.result(), posts.result()
    """
