"""Every fixture yields exactly the findings its markers name, and none under noqa."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, ROOT, expected_findings, fixture_codes, fixture_files, with_noqa
from lint_structured.engine import lint_source
from lint_structured.rules import ALL_RULES
from lint_structured.settings import Settings

FILES = fixture_files()
IDS = [str(p.relative_to(FIXTURES)) for p in FILES]


def rule_dir(path):
    return path.relative_to(FIXTURES).parts[0]


def own_rule(path):
    """A fixture documents the rule of its directory (and any its markers name); the
    snapshot test runs them all."""
    return Settings(select=fixture_codes(path))


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fixture_findings(path):
    source = path.read_text(encoding="utf-8")
    found = {(f.line, f.code) for f in lint_source(source, str(path), own_rule(path))}
    assert found == expected_findings(source)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fixture_noqa_leg(path):
    source = with_noqa(path.read_text(encoding="utf-8"))
    assert lint_source(source, str(path), own_rule(path)) == []


def test_each_fixture_directory_is_a_rule():
    codes = {rule.code for rule in ALL_RULES}
    assert {rule_dir(p) for p in FILES} <= codes


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_has_findings_and_lookalikes(rule):
    files = [p for p in FILES if rule_dir(p) == rule.code]
    expected = [code for p in files for _, code in expected_findings(p.read_text(encoding="utf-8"))]
    assert rule.code in expected, f"{rule.code} has no fixture with a finding"
    clean = [p for p in files if not expected_findings(p.read_text(encoding="utf-8"))]
    assert clean, f"{rule.code} has no fixture of look-alikes it must stay silent on"


def test_fixtures_are_valid_python():
    for path in FILES:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
