"""Every check that ``fixers/apply.py`` makes before it keeps a rewrite, driven by a
deliberately broken fix: the file is left byte for byte as it was, and the report
names the reason."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import libcst as cst
from lint_structured.cli import main
from lint_structured.fixers import apply
from lint_structured.fixers.base import Edit, Plan
from lint_structured.model import Applicability, SourceError

SOURCE = """import asyncio


async def serve(coro, other):
    asyncio.create_task(  # keep this comment
        coro
    )
    asyncio.create_task(other)
"""


def _expression(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def _first_only(make, line: int = 5):
    """A broken planner for the LSC101 on ``line``: ``make(node, ctx)`` gives the replacements of an Edit."""

    def planner(ctx, report):
        if report.code != "LSC101" or _both_calls(ctx).index(report.node) != (line == 8):
            return None
        return Plan(Applicability.SAFE, "a deliberately broken fix", lambda: Edit(make(report.node, ctx)))

    return planner


def _not_python(node, ctx):
    name = cst.Name("x")
    object.__setattr__(name, "value", "(((")  # past LibCST's validation: it prints what it holds
    return {node: name}


def _raise(node, ctx):
    raise RuntimeError("the builder broke")


def _both_calls(ctx):
    """The two ``create_task`` calls of LibCST's tree, in source order."""
    found = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "create_task":
                found.append(node)

    ctx.module.visit(Calls())
    return found


#: reason -> (the line of the finding the broken fix is for, what it replaces)
BROKEN = {
    "the rewrite failed (RuntimeError: the builder broke)": (8, _raise),
    "the rewritten code would not compile ('(' was never closed": (8, _not_python),
    # Parses, but the compiler refuses it.
    "the rewritten code would not compile ('await' outside async function": (8, lambda node, ctx: {
        node: _expression("(lambda: await g())()")
    }),
    "the rewrite would lose a comment": (5, lambda node, ctx: {node: _expression("asyncio.create_task(coro)")}),
    "the rewrite would not remove the finding": (8, lambda node, ctx: {node: _expression("asyncio.create_task(coro)")}),
    # Both LSC101 go, an unawaited coroutine (LSC301) comes: fewer findings, but a new kind.
    "the rewrite would add a LSC301 finding": (8, lambda node, ctx: {
        call: _expression("asyncio.sleep(1)") if i else call.with_changes(func=cst.Name("print"))
        for i, call in enumerate(_both_calls(ctx))
    }),
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(SOURCE)
    return tmp_path


@pytest.mark.parametrize("reason", BROKEN, ids=lambda r: r.split(" (")[0])
def test_a_broken_fix_is_rejected_and_the_file_untouched(project, monkeypatch, reason):
    line, make = BROKEN[reason]
    monkeypatch.setattr(apply, "plan", _first_only(make, line))
    before = (project / "app.py").read_bytes()
    result = CliRunner().invoke(main, ["fix", "--no-cache", "--unsafe-fixes", "app.py"], catch_exceptions=False)
    assert (project / "app.py").read_bytes() == before
    assert result.exit_code == 1
    assert f"app.py:{line}:5: LSC101 [dropped-task] not fixed: " + reason in result.output, result.output
    assert "No fix applied." in result.output


def test_a_rewrite_that_cannot_be_analysed_again_is_rejected(project, monkeypatch):
    analyse = apply.analyse
    calls = []

    def second_fails(text, *args, **kwargs):
        calls.append(text)
        if len(calls) > 1:
            raise SourceError("too deeply nested to parse")
        return analyse(text, *args, **kwargs)

    monkeypatch.setattr(apply, "analyse", second_fails)
    monkeypatch.setattr(apply, "plan", _first_only(lambda node, ctx: {node: _expression("print(other)")}, 8))
    before = (project / "app.py").read_bytes()
    result = CliRunner().invoke(main, ["fix", "--no-cache", "--unsafe-fixes", "app.py"], catch_exceptions=False)
    assert (project / "app.py").read_bytes() == before
    assert "not fixed: the rewritten code could not be analysed (too deeply nested to parse)" in result.output


def test_the_same_broken_fix_never_reaches_the_file_with_diff_either(project, monkeypatch):
    monkeypatch.setattr(apply, "plan", _first_only(_not_python, 8))
    result = CliRunner().invoke(main, ["fix", "--no-cache", "--diff", "app.py"], catch_exceptions=False)
    assert "(((" not in result.output
    assert "not fixed: the rewritten code would not compile" in result.stderr


def test_a_good_fix_through_the_same_door_is_kept_and_stable(project, monkeypatch):
    """The harness is not what rejects: a correct edit made the same way is applied,
    and a second run finds nothing more to do."""
    monkeypatch.setattr(apply, "plan", _first_only(lambda node, ctx: {node: _expression("print(other)")}, 8))
    result = CliRunner().invoke(main, ["fix", "--no-cache", "app.py"], catch_exceptions=False)
    text = (project / "app.py").read_text()
    assert text == SOURCE.replace("asyncio.create_task(other)", "print(other)")
    assert "Fixed 1 finding" in result.output
    again = CliRunner().invoke(main, ["fix", "--no-cache", "app.py"], catch_exceptions=False)
    assert "Fixed" not in again.output and (project / "app.py").read_text() == text
