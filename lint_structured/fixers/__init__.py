"""The fixers: one module per fix, each a pure ``plan(ctx, report)``.

``analyse`` runs the engine's detection, pairs the light tree with LibCST's
(``twins.py``) and plans the fix of every finding (so ``check --show-fixes``
shows whether a fix exists); ``apply.fix_source`` applies the plans.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any, Callable, Sequence

import libcst as cst

from lint_structured import engine, lighttree
from lint_structured.engine import Analysed
from lint_structured.fixers.base import CstReport, FixContext, Outcome, Plan, Withheld
from lint_structured.fixers.twins import AnalysisView, Twins
from lint_structured.model import Applicability, Finding, FixInfo
from lint_structured.rules import ALL_RULES, Report
from lint_structured.settings import Settings, blank_line_between_import_types, line_length_for, target_for

#: code -> planner: the ``plan`` of the module each rule names (``Rule.fixer``). Codes
#: without an entry have no automatic fix.
FIXERS: dict[str, Callable[[FixContext, CstReport], Outcome]] = {
    rule.code: importlib.import_module(f"lint_structured.fixers.{rule.fixer}").plan
    for rule in ALL_RULES
    if rule.fixer is not None
}

#: Advice shown for rules whose fix is display-only by nature.
DISPLAY_ONLY: dict[str, str] = {}


def context(module: cst.Module, analysis: AnalysisView, settings: Settings, path: str, reports: Sequence[CstReport]) -> FixContext:
    ctx = FixContext(module, analysis, settings, target_for(settings, path), {r.node: r for r in reports})
    configured = line_length_for(path)
    if configured is not None:
        ctx.line_length, ctx.line_length_configured = configured[0], True
    ctx.blank_between_import_types = blank_line_between_import_types(path)
    return ctx


def plan(ctx: FixContext, report: Report[Any]) -> Outcome | None:
    """The fix for ``report``: a Plan, a Withheld reason, or None (no fixer for the rule).
    A report whose node has no LibCST twin (``analyse``) keeps its light node: no fix."""
    planner = FIXERS.get(report.code)
    if planner is None:
        return None
    if not isinstance(report.node, cst.CSTNode):
        return Withheld("the reported code has no counterpart in LibCST's tree")
    return planner(ctx, report)


def fix_info(outcome: Outcome | None, code: str) -> FixInfo | None:
    if isinstance(outcome, Plan):
        return FixInfo(outcome.applicability, outcome.message)
    if isinstance(outcome, Withheld):
        return FixInfo(Applicability.DISPLAY_ONLY, f"no automatic fix: {outcome.reason}")
    if code in DISPLAY_ONLY:
        return FixInfo(Applicability.DISPLAY_ONLY, f"suggestion: {DISPLAY_ONLY[code]}")
    return None


def plan_fixes(ctx: FixContext, reports: Sequence[Report[Any]]) -> list[FixInfo | None]:
    """The fix information of each report, in order."""
    return [fix_info(plan(ctx, report), report.code) for report in reports]


def analyse(source: str | bytes, path: str, settings: Settings | None = None, **options: Any) -> Analysed:
    """``engine.analyse_source`` (same ``options``), with each finding's fix planned.

    The reports then name nodes of LibCST's tree, the twins of the light tree's
    (``twins.py``), and ``fix_context`` is the fixers' view of the same analysis.
    """
    found = engine.analyse_source(source, path, settings, for_fixes=True, **options)
    if not found.pairs or found.analysis is None or found.light is None:
        return found
    settings = settings or Settings()
    light = found.light
    module = light.tree if isinstance(light, lighttree.FromLibCST) else engine.parse(source)
    twins = Twins(found.module, module)
    pairs = []
    for finding, report in found.pairs:
        twin = twins.cst_of(report.node)
        pairs.append((finding, dataclasses.replace(report, node=twin) if twin is not None else report))
    reports = [report for _, report in pairs]
    ctx = context(module, AnalysisView(found.analysis, twins), settings, path, reports)
    try:
        with engine.recursion_limit():
            infos = plan_fixes(ctx, reports)
    except RecursionError:
        infos = [None] * len(reports)  # too deep to plan a rewrite: the findings stand
    planned = [(dataclasses.replace(finding, fix=info), report) for (finding, report), info in zip(pairs, infos)]
    return Analysed(module, found.analysis, planned, ctx, light=light)


def lint(source: str | bytes, path: str, settings: Settings | None = None, **options: Any) -> list[Finding]:
    """``engine.lint_source`` with each finding's fix (``check --show-fixes``)."""
    return analyse(source, path, settings, **options).findings
