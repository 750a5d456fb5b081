"""Fuzzing: the engine never raises on generated programs; fixed code always compiles.

Bounded for the suite; for a longer run locally:
``LSC_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import os
from unittest import mock

import pytest

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from lint_structured import prefilter  # noqa: E402
from lint_structured.engine import lint_source  # noqa: E402
from lint_structured.model import SourceError  # noqa: E402
from lint_structured.settings import Settings  # noqa: E402

EXAMPLES = int(os.environ.get("LSC_FUZZ_EXAMPLES", "40"))
EVERYTHING = Settings(select=("LSC",))
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


# hypothesmith compiles what it generates: its SyntaxWarnings are about the samples.
@pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(source=hypothesmith.from_grammar())
def test_engine_never_raises_on_generated_programs(source):
    # Generated code rarely mentions asyncio: open both prefilter stages so
    # that every rule's analysis runs over it.
    with mock.patch.object(prefilter, "text_passes", return_value=True), mock.patch.object(
        prefilter, "syntax_passes", return_value=True
    ):
        try:
            findings = lint_source(source, "fuzz.py", EVERYTHING)
        except SourceError:
            return  # a clear, named error for input LibCST rejects is the contract
    for finding in findings:
        assert finding.line >= 1 and finding.column >= 1


@pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(source=hypothesmith.from_node())
def test_engine_never_raises_on_generated_syntax_trees(source):
    with mock.patch.object(prefilter, "text_passes", return_value=True), mock.patch.object(
        prefilter, "syntax_passes", return_value=True
    ):
        try:
            lint_source(source, "fuzz.py", EVERYTHING)
        except SourceError:
            pass


# ---------------------------------------------------------------------- fix
# Generated programs seldom hold a runaway, so the fixers are fuzzed on
# programs assembled from runaway statements inside random compound statements.
from hypothesis import strategies as st  # noqa: E402

from lint_structured.fixers.apply import fix_source  # noqa: E402

LEAVES = [
    "asyncio.create_task(work({n}))",
    "t{n} = asyncio.create_task(work({n}))",
    "await asyncio.gather(work(1), work({n}))",
    "a{n}, b{n} = await asyncio.gather(work(1), work({n}))  # pair",
    "r{n} = await asyncio.gather(*[work(i) for i in range({n})])",
    "done{n}, pending{n} = await asyncio.wait([asyncio.create_task(work({n}))], timeout=0.1)",
    "work({n})",
    "print({n})  # note {n}",
    "x{n} = [asyncio.ensure_future(work(i)) for i in range({n})]",
]
WRAPPERS = [
    "if cond:",
    "for i{n} in range(2):",
    "while flag:",
    "with ctx:",
    "async with asyncio.TaskGroup() as g{n}:",
]


def _block(draw, depth: int, indent: str, counter: list[int]) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        counter[0] += 1
        n = counter[0]
        kind = draw(st.integers(0, 3 if depth < 3 else 0))
        if kind == 0:
            lines.append(indent + draw(st.sampled_from(LEAVES)).format(n=n))
        elif kind == 1:
            lines.append(indent + draw(st.sampled_from(WRAPPERS)).format(n=n))
            lines.extend(_block(draw, depth + 1, indent + "    ", counter))
        elif kind == 2:
            lines.append(indent + "try:")
            lines.extend(_block(draw, depth + 1, indent + "    ", counter))
            handler = draw(st.sampled_from(["except ValueError as e:", "except asyncio.CancelledError:", "except BaseException:", "finally:"]))
            lines.append(indent + handler)
            lines.extend(_block(draw, depth + 1, indent + "    ", counter))
        else:
            lines.append(indent + "# a comment that must survive")
    if all(line.strip().startswith("#") for line in lines):
        lines.append(indent + "pass")
    return lines


@st.composite
def runaway_programs(draw) -> str:
    body = _block(draw, 0, "    ", [0])
    return (
        "import asyncio\n\n\nasync def work(n):\n    await asyncio.sleep(0)\n    return n\n\n\n"
        "async def main(cond, flag, ctx):\n" + "\n".join(body) + "\n"
    )


# Each example runs the fix loop (several analyses): fewer of them by default.
FIX_EXAMPLES = int(os.environ.get("LSC_FUZZ_EXAMPLES", "12"))


@settings(max_examples=FIX_EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(source=runaway_programs())
def test_fix_output_always_compiles_and_is_stable(source):
    settings_311 = Settings(select=("LSC",), target_version=(3, 11))
    result = fix_source(source.encode(), "fuzz.py", settings_311, unsafe=True)
    fixed = result.fixed if result.fixed is not None else source.encode()
    compile(fixed, "fuzz.py", "exec", dont_inherit=True)
    assert fixed.count(b"# a comment that must survive") == source.count("# a comment that must survive")
    assert fix_source(fixed, "fuzz.py", settings_311, unsafe=True).fixed is None
    left = lint_source(fixed.decode(), "fuzz.py", settings_311)
    assert len(left) == len(result.remaining)


@pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
@settings(max_examples=FIX_EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(source=hypothesmith.from_grammar())
def test_fix_of_any_generated_program_parses(source):
    with mock.patch.object(prefilter, "text_passes", return_value=True), mock.patch.object(
        prefilter, "syntax_passes", return_value=True
    ):
        try:
            result = fix_source(source.encode("utf-8", "surrogatepass"), "fuzz.py", EVERYTHING, unsafe=True)
        except SourceError:
            return
    if result.fixed is not None:
        compile(result.fixed, "fuzz.py", "exec", dont_inherit=True)
