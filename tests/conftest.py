"""Shared helpers: fixture discovery and expected-finding markers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# An expected finding is a trailing comment naming its code(s): `# LSC101` or `# LSC101, LSC103`.
MARKER = re.compile(r"#\s*(?P<codes>LSC\d{3}(?:[,\s]+LSC\d{3})*)\s*$")


def fixture_files() -> list[Path]:
    # Recursive: a fixture may be a package whose modules import each other.
    return sorted(FIXTURES.glob("LSC*/**/*.py"))


def expected_findings(source: str) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(source.splitlines(), start=1):
        match = MARKER.search(line)
        if match:
            for code in re.split(r"[,\s]+", match.group("codes")):
                expected.add((number, code))
    return expected


def fixture_codes(path: Path) -> tuple[str, ...]:
    """The codes a fixture is checked with: its directory's rule, and any other rule its
    markers name (a file of gathers names both LSC201 and its migration twin LSC204)."""
    own = path.relative_to(FIXTURES).parts[0]
    named = {code for _, code in expected_findings(path.read_text(encoding="utf-8"))}
    return (own, *sorted(named - {own}))


def with_noqa(source: str) -> str:
    """Every marker turned into a ``# noqa`` for the codes it names."""
    return "\n".join(
        MARKER.sub(lambda m: "# noqa: " + ",".join(re.split(r"[,\s]+", m.group("codes"))), line)
        for line in source.splitlines()
    ) + "\n"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
