"""What each scope has cancelled so far (``Frame.cancelled``), in source order.

Run in the same batched walk as ``ModuleAnalysis``, right after it (so its
scopes are current): ``t.cancel()`` records ``t``; ``for t in tasks:
t.cancel()`` records ``tasks``; ``done, pending = await asyncio.wait(tasks)``
after ``tasks`` were cancelled records ``done`` and ``pending`` (they hold the
cancelled tasks). The rules read the set as it stands when they meet a node:
the cancel-then-await and cancel-then-gather idioms.
"""

from __future__ import annotations

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis
from lint_structured.syntax import dotted_name, dotted_names_in, iterated_collection
from lint_structured.walk import CachedVisitors

_WAITS = ("asyncio.wait", "asyncio.tasks.wait")


class Cancellations(CachedVisitors):
    """Records into the scopes of ``analysis`` what is cancelled, as the walk goes."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        super().__init__()
        self.analysis = analysis

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "cancel":
            receiver = dotted_name(func.value)
            if receiver is not None:
                self.analysis.frame.cancelled.add(receiver)

    def visit_Assign(self, node: cst.Assign) -> None:
        """``done, pending = await asyncio.wait(tasks)`` after ``tasks`` were cancelled: the
        sets hold cancelled tasks too (gathering ``done`` then is the cancel-then-gather idiom)."""
        frame = self.analysis.frame
        cancelled = frame.cancelled
        if frame.kind == "module" or not cancelled:
            return
        value = node.value.expression if isinstance(node.value, cst.Await) else node.value
        if not isinstance(value, cst.Call) or not value.args:
            return
        if self.analysis.qualify(value.func) not in _WAITS:
            return
        if not dotted_names_in(value.args[0].value) & cancelled:
            return
        for target in node.targets:
            elements = [e.value for e in target.target.elements] if isinstance(target.target, (cst.Tuple, cst.List)) else [target.target]
            cancelled.update(name for name in (dotted_name(e) for e in elements) if name)

    def leave_For(self, original_node: cst.For) -> None:
        # `for t in tasks: t.cancel()` cancels `tasks`.
        target = original_node.target
        cancelled = self.analysis.frame.cancelled
        if isinstance(target, cst.Name) and target.value in cancelled:
            collection = iterated_collection(original_node.iter)
            if collection is not None:
                cancelled.add(collection)
