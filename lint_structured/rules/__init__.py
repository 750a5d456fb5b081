"""The rule registry: a rule is its module plus one line here.

Importing a rule module defines its rules, and ``Rule`` registers every
subclass that declares a ``code``; ``ALL_RULES`` lists them in code order.
What must be known without importing the rules (the codes, which are off by
default, the prefilters' words) is generated from them into ``codes.py`` by
``python -m lint_structured.docs``, and a test keeps the two equal.
"""

from __future__ import annotations

from lint_structured.rules import (  # noqa: F401 - each import registers the module's rules
    coroutine_never_awaited,
    dropped_task,
    gather_no_cancel,
    gather_swallows_errors,
    sequential_wait_for,
    swallowed_cancel,
    task_escapes_group,
    unawaited_coroutine,
    unused_task,
    wait_leaves_pending,
)
from lint_structured.rules.base import Report, Rule

ALL_RULES: tuple[type[Rule], ...] = Rule.registered()

RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
RULES_BY_NAME = {rule.name: rule for rule in ALL_RULES}
ALL_CODES = tuple(RULES_BY_CODE)


def lookup(code_or_name: str) -> type[Rule] | None:
    """A rule by its code (``LSC101``) or its name (``dropped-task``)."""
    return RULES_BY_CODE.get(code_or_name.upper()) or RULES_BY_NAME.get(code_or_name.lower())


__all__ = ["ALL_CODES", "ALL_RULES", "RULES_BY_CODE", "RULES_BY_NAME", "Report", "Rule", "lookup"]
