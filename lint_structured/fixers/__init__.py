"""The fixers: one module per fix, each a pure ``plan(ctx, report)``.

``plan_fixes`` is what the engine calls for every finding (so ``check``
shows whether a fix exists); ``apply.fix_source`` applies the plans.
"""

from __future__ import annotations

import importlib
from typing import Callable, Sequence

import libcst as cst

from lint_structured import nodes
from lint_structured.analysis import ModuleAnalysis
from lint_structured.fixers.base import FixContext, Outcome, Plan, Withheld
from lint_structured.model import Applicability, FixInfo
from lint_structured.rules import ALL_RULES, Report
from lint_structured.settings import Settings, blank_line_between_import_types, line_length_for, target_for

nodes.enable_libcst()  # fixers read LibCST's trees with the rules' helpers

#: code -> planner: the ``plan`` of the module each rule names (``Rule.fixer``). Codes
#: without an entry have no automatic fix.
FIXERS: dict[str, Callable[[FixContext, Report], Outcome]] = {
    rule.code: importlib.import_module(f"lint_structured.fixers.{rule.fixer}").plan
    for rule in ALL_RULES
    if rule.fixer is not None
}

#: Advice shown for rules whose fix is display-only by nature.
DISPLAY_ONLY: dict[str, str] = {}


def context(module: cst.Module, analysis: ModuleAnalysis, settings: Settings, path: str, reports: Sequence[Report]) -> FixContext:
    ctx = FixContext(module, analysis, settings, target_for(settings, path), {r.node: r for r in reports})
    configured = line_length_for(path)
    if configured is not None:
        ctx.line_length, ctx.line_length_configured = configured[0], True
    ctx.blank_between_import_types = blank_line_between_import_types(path)
    return ctx


def plan(ctx: FixContext, report: Report) -> Outcome | None:
    """The fix for ``report``: a Plan, a Withheld reason, or None (no fixer for the rule)."""
    planner = FIXERS.get(report.code)
    if planner is None:
        return None
    return planner(ctx, report)


def fix_info(outcome: Outcome | None, code: str) -> FixInfo | None:
    if isinstance(outcome, Plan):
        return FixInfo(outcome.applicability, outcome.message)
    if isinstance(outcome, Withheld):
        return FixInfo(Applicability.DISPLAY_ONLY, f"no automatic fix: {outcome.reason}")
    if code in DISPLAY_ONLY:
        return FixInfo(Applicability.DISPLAY_ONLY, f"suggestion: {DISPLAY_ONLY[code]}")
    return None


def plan_fixes(ctx: FixContext, reports: Sequence[Report]) -> list[FixInfo | None]:
    """The fix information of each report, in order."""
    return [fix_info(plan(ctx, report), report.code) for report in reports]
