"""The fixers on every fixture: snapshots of the fixed code and the diff, and the fix invariants.

For each fixture (with its own rule selected and unsafe fixes on): the fixed
code compiles; it re-lints with exactly the findings reported as left, so
every applied fix removed its finding; a second fix changes nothing; and a
file of look-alikes is left byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from libcst.codemod import diff_code

from conftest import FIXTURES, expected_findings, fixture_codes, fixture_files
from lint_structured.engine import lint_source
from lint_structured.fixers.apply import fix_source
from lint_structured.settings import Settings

FILES = fixture_files()
IDS = [str(p.relative_to(FIXTURES)) for p in FILES]
SNAPSHOTS = Path(__file__).parent / "snapshots" / "fixes"


def settings_for(path: Path) -> Settings:
    return Settings(select=fixture_codes(path), target_version=(3, 11))


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fix_fixture(path, snapshot):
    settings = settings_for(path)
    data = path.read_bytes()
    result = fix_source(data, str(path), settings, unsafe=True)
    name = str(path.relative_to(FIXTURES)).replace("/", "__")
    snapshot.snapshot_dir = SNAPSHOTS
    if not expected_findings(data.decode("utf-8")):
        assert result.fixed is None, "a file of look-alikes must not change"
        return
    fixed = result.fixed if result.fixed is not None else data
    text = fixed.decode("utf-8")
    compile(text, str(path), "exec", dont_inherit=True)
    left = lint_source(text, str(path), settings)
    assert [(f.line, f.code) for f in left] == [(f.line, f.code) for f, _ in result.remaining]
    assert len(left) + len(result.applied) >= len(expected_findings(data.decode("utf-8")))
    again = fix_source(fixed, str(path), settings, unsafe=True)
    assert again.fixed is None, "a second fix must change nothing"
    snapshot.assert_match(text, name.replace(".py", ".fixed.txt"))
    snapshot.assert_match(diff_code(data.decode("utf-8"), text, 3, filename=name), name.replace(".py", ".diff"))


def test_every_fixable_rule_fixes_something():
    from lint_structured.fixers import FIXERS

    fixed_codes = set()
    for path in FILES:
        result = fix_source(path.read_bytes(), str(path), settings_for(path), unsafe=True)
        fixed_codes.update(f.code for f in result.applied)
    assert fixed_codes == set(FIXERS)


def test_safe_mode_applies_only_safe_fixes():
    safe_applied = 0
    for path in FILES:
        result = fix_source(path.read_bytes(), str(path), settings_for(path), unsafe=False)
        for finding in result.applied:
            assert finding.fix is not None and finding.fix.applicability.value == "safe", finding
        safe_applied += len(result.applied)
        for finding, why in result.remaining:
            if finding.fix is not None and finding.fix.applicability.value == "unsafe":
                assert why == "an unsafe fix is available: run with --unsafe-fixes"
            elif finding.fix is not None and finding.fix.applicability.value == "display-only":
                assert why == finding.fix.message.removeprefix("no automatic fix: ")
    assert safe_applied, "the fixtures exercise at least one safe fix"


def test_rule_fix_classes_match_the_fixers():
    from lint_structured.fixers import DISPLAY_ONLY, FIXERS
    from lint_structured.model import Applicability
    from lint_structured.rules import ALL_RULES

    for rule in ALL_RULES:
        if rule.code in FIXERS:
            assert rule.fix_applicability in (Applicability.SAFE, Applicability.UNSAFE), rule.code
        elif rule.code in DISPLAY_ONLY:
            assert rule.fix_applicability is Applicability.DISPLAY_ONLY, rule.code
        else:
            assert rule.fix_applicability is None, rule.code
