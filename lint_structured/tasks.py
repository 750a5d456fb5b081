"""What starts tasks in a module, and the task-group blocks around them.

``TaskFacts`` runs in the same batched walk as ``ModuleAnalysis``, right after it
(its scopes and names are current when a node is met): it records the ``async
with`` task-group blocks each scope is inside, classifies each call that starts a
task (``SpawnInfo``: which spawner, the group it escapes, whether it is awaited at
once), and leaves out spawns a test expects to raise. ``ModuleAnalysis.spawn_info``
and ``spawner_kind`` answer from here.
"""

from __future__ import annotations

import fnmatch

from lint_structured import nodes as cst
from lint_structured.analysis import (
    ASYNCIO_SPAWNERS,
    GROUP_PREFIX,
    LOOSE_KINDS,
    TASKFN,
    GroupBlock,
    ModuleAnalysis,
    SpawnInfo,
)
from lint_structured.settings import is_glob, matches_any
from lint_structured.syntax import dotted_name
from lint_structured.walk import CachedVisitors

#: The last name of every spawner: a cheap test before resolving a callee.
_SPAWNER_ATTRS = frozenset({"create_task", "ensure_future", "run_coroutine_threadsafe"})

class TaskFacts(CachedVisitors):
    """The spawns of a module and the task-group blocks around them."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        super().__init__()
        self.analysis = analysis
        self.spawns: dict[cst.Call, SpawnInfo] = {}
        self._awaited: set[cst.CSTNode] = set()
        self._group_pushes: dict[cst.With, int] = {}
        self._raise_blocks: set[cst.With] = set()
        # Last name parts a spawning callee can have: a cheap test before resolving it.
        self._spawner_tails = set(_SPAWNER_ATTRS)
        self._tail_globs: list[str] = []
        for entry in analysis.settings.extra_spawners:
            tail = entry.rsplit(".", 1)[-1]
            if is_glob(tail):
                self._tail_globs.append(tail)
            else:
                self._spawner_tails.add(tail)

    def spawner_kind(self, func: cst.BaseExpression) -> str | None:
        """What kind of spawner ``func`` (a callee, called or passed as a callback) is."""
        if isinstance(func, cst.Attribute):
            tail = func.attr.value
        elif isinstance(func, cst.Name):
            tail = func.value
        else:
            return None
        analysis = self.analysis
        helper = False
        if tail not in self._spawner_tails and tail not in analysis.spawner_aliases:
            if not any(fnmatch.fnmatchcase(tail, glob) for glob in self._tail_globs):
                helper = self._returns_task(func)
                if not helper:
                    return None
        qualified = analysis.qualify(func)
        written = dotted_name(func)
        names = [n for n in (qualified, written) if n]
        settings = analysis.settings
        if settings.owning_spawners and matches_any(names, settings.owning_spawners):
            return None
        if helper:
            return "helper"
        if qualified in ASYNCIO_SPAWNERS:
            return ASYNCIO_SPAWNERS[qualified]
        if isinstance(func, cst.Attribute) and func.attr.value == "create_task" and analysis.is_loop(func.value):
            return "loop.create_task"
        if settings.extra_spawners and matches_any(names, settings.extra_spawners):
            return "extra"
        return None

    def _returns_task(self, func: cst.Name | cst.Attribute) -> bool:
        """A function of the project (or a library) that starts a task and returns it to
        its caller (``ProjectFacts.returns_task``); known only with the module's outline."""
        analysis = self.analysis
        if analysis.summary is None:
            return False
        if isinstance(func, cst.Name):
            found = analysis.lookup(func.value)
            if found == ("local", TASKFN):
                return True
            return found is not None and found[0] == "import" and analysis.project.qualified_returns_task(found[1])
        base = func.value
        if isinstance(base, cst.Name) and base.value in ("self", "cls"):
            owner = analysis.callees.enclosing_class()
            method = analysis.project.method(owner[0], owner[1], func.attr.value) if owner else None
            return method is not None and analysis.project.returns_task(*method)
        qualified = analysis.qualify(func)
        return qualified is not None and analysis.project.qualified_returns_task(qualified)

    # ------------------------------------------------------------ the visitor
    def visit_With(self, node: cst.With) -> None:
        frame = self.analysis.frame
        if any(self._expects_raise(item.item) for item in node.items):
            frame.expect_raise += 1
            self._raise_blocks.add(node)
        if node.asynchronous is None:
            return
        pushed = 0
        for item in node.items:
            library = self.analysis.group_factory(item.item)
            if library is None and isinstance(item.item, cst.Name):
                # `tg = asyncio.TaskGroup()` earlier, then `async with tg:`.
                found = self.analysis.lookup(item.item.value)
                if found and found[0] == "local" and found[1].startswith(GROUP_PREFIX):
                    library = found[1][len(GROUP_PREFIX):]
            if library is None:
                continue
            name = None
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                name = item.asname.name.value
            elif isinstance(item.item, cst.Name):
                name = item.item.value
            frame.groups.append(GroupBlock(node, library, name))
            pushed += 1
        if pushed:
            self._group_pushes[node] = pushed

    def leave_With(self, original_node: cst.With) -> None:
        frame = self.analysis.frame
        for _ in range(self._group_pushes.pop(original_node, 0)):
            frame.groups.pop()
        if original_node in self._raise_blocks:
            frame.expect_raise -= 1

    def _expects_raise(self, expr: cst.BaseExpression) -> bool:
        """``self.assertRaises(E)``, ``assertRaisesRegex``, ``pytest.raises(E)``: the body should raise."""
        if not isinstance(expr, cst.Call):
            return False
        written = dotted_name(expr.func) or ""
        tail = written.rsplit(".", 1)[-1]
        if tail in ("assertRaises", "assertRaisesRegex"):
            return True
        return tail == "raises" and "pytest.raises" in (written, self.analysis.qualify(expr.func))

    def visit_Await(self, node: cst.Await) -> None:
        self._awaited.add(node.expression)

    def visit_Call(self, node: cst.Call) -> None:
        kind = self.spawner_kind(node.func)
        if kind is None:
            return
        frame = self.analysis.frame
        if frame.expect_raise:
            return  # a test asserting that the spawn raises: no task is created
        group = frame.groups[-1] if kind in LOOSE_KINDS and frame.groups else None
        info = SpawnInfo(node, kind, self.analysis.source(node.func), group, node in self._awaited, frame)
        self.spawns[node] = info
        frame.spawns.append(info)
