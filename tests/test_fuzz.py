"""Fuzzing: the engine never raises on generated programs.

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
