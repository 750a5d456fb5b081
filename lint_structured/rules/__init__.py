"""The rule registry: one explicit tuple, in code order."""

from __future__ import annotations

from lint_structured.rules.base import Report, Rule
from lint_structured.rules.coroutine_never_awaited import CoroutineNeverAwaited
from lint_structured.rules.dropped_task import DroppedTask
from lint_structured.rules.gather_no_cancel import GatherNoCancel, GatherToTaskGroup
from lint_structured.rules.gather_swallows_errors import GatherSwallowsErrors
from lint_structured.rules.sequential_wait_for import SequentialWaitFor
from lint_structured.rules.swallowed_cancel import SwallowedCancel, SwallowedCancelAtExit
from lint_structured.rules.task_escapes_group import TaskEscapesGroup
from lint_structured.rules.unawaited_coroutine import UnawaitedCoroutine
from lint_structured.rules.unused_task import UnusedTask
from lint_structured.rules.wait_leaves_pending import WaitLeavesPending

ALL_RULES: tuple[type[Rule], ...] = (
    DroppedTask,
    UnusedTask,
    TaskEscapesGroup,
    GatherNoCancel,
    GatherSwallowsErrors,
    WaitLeavesPending,
    GatherToTaskGroup,
    UnawaitedCoroutine,
    CoroutineNeverAwaited,
    SwallowedCancel,
    SwallowedCancelAtExit,
    SequentialWaitFor,
)

RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
RULES_BY_NAME = {rule.name: rule for rule in ALL_RULES}
ALL_CODES = tuple(RULES_BY_CODE)


def lookup(code_or_name: str) -> type[Rule] | None:
    """A rule by its code (``LSC101``) or its name (``dropped-task``)."""
    return RULES_BY_CODE.get(code_or_name.upper()) or RULES_BY_NAME.get(code_or_name.lower())


__all__ = ["ALL_CODES", "ALL_RULES", "RULES_BY_CODE", "RULES_BY_NAME", "Report", "Rule", "lookup"]
