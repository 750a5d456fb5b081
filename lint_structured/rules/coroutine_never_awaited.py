"""LSC302 coroutine-never-awaited: a coroutine bound to a name is not used on some path."""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.flow import OVERWRITTEN, HandleFlow
from lint_structured.model import Applicability
from lint_structured.rules.base import COROUTINE_WORDS, Rule, short_call
from lint_structured.rules.task_handles import first_call


class CoroutineNeverAwaited(Rule):
    code = "LSC302"
    name = "coroutine-never-awaited"
    summary = "A coroutine is bound to a name but not awaited on every path"
    fix_applicability = Applicability.UNSAFE
    fixer = "await_bound_coroutine"
    prefilter = COROUTINE_WORDS
    prefilter_syntax = "async"
    prefilter_setting = "extra_coroutine_functions"
    needs_coroutines = True
    what_it_does = """
        Finds a coroutine (a call of a known coroutine function, see LSC301)
        bound to a local name, or collected in a list, set or tuple, that on
        some path to the end of the function is never awaited, passed to a
        call (`create_task`, `gather`, `asyncio.run`, any function), returned,
        yielded or stored, or that is overwritten before that happens. Paths
        that end by raising are not reported.
    """
    why_bad = """
        A coroutine object does nothing until it is awaited or scheduled. One
        that is created, kept in a variable and then forgotten on some branch
        is work the program believes it did but never started.
    """
    example = """
        async def fetch_profile(user): ...

        async def sync_user(user, full):
            job = fetch_profile(user)
            if full:
                await job
    """
    use_instead = """
        async def fetch_profile(user): ...

        async def sync_user(user, full):
            if full:
                await fetch_profile(user)
    """
    fix_safety = """
        Two clear shapes in an `async def` are fixed. When the name is used
        once more, in `await name` later in the same block, the call moves to
        that `await` and the binding goes: safe, since making a coroutine runs
        none of its code and the call's arguments must be plain names that
        nothing rebinds (or literals). When the name is used nowhere else,
        `name = call(...)` becomes `name = await call(...)`: unsafe
        (`--unsafe-fixes`), since the coroutine now runs there. Everywhere else
        (awaited on one path and passed on another, collected in a list,
        overwritten) where it should run is the author's decision, and the
        finding is display-only with that reason.
    """

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        coroutines = self.analysis.coroutine_calls
        if not coroutines:
            return
        frame = self.analysis.frame_for(original_node)
        if frame is not None and not frame.makes_coroutines:
            return  # no coroutine is made in here: nothing to track
        flow = HandleFlow(
            lambda expr: first_call(expr, coroutines.__contains__),
            walruses=frame is None or frame.has_walrus,
            inert_calls=frozenset(name for name in _INERT if self.analysis.lookup(name) is None),
            source=self.analysis.source,
        )
        for found in flow.analyse(original_node):
            origin = found.origin
            callee = short_call(coroutines.get(origin, "coroutine") if isinstance(origin, cst.Call) else "coroutine")
            if found.reason == OVERWRITTEN:
                message = f"Coroutine `{found.name}` from {callee} is overwritten unawaited, so it never runs"
            elif found.container:
                message = f"Coroutines from {callee} in `{found.name}` are not awaited on some path, so they never run"
            else:
                message = f"Coroutine `{found.name}` from {callee} is not awaited on some path, so it never runs"
            self.report(found.origin, message)


#: Builtins that only look at a coroutine: passing it to them does not run it.
_INERT = ("type", "id", "repr", "isinstance")
