"""The package type-checks with ``mypy --strict`` (configured in pyproject.toml),
with no module exempt."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the CI runs 3.11
    tomllib = pytest.importorskip("tomli")

mypy_api = pytest.importorskip("mypy.api")


def test_the_package_passes_mypy_strict():
    out, err, status = mypy_api.run(["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental"])
    assert status == 0, out + err


def test_the_check_is_strict_and_exempts_no_module():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    exempt = [entry["module"] for entry in config.get("overrides", []) if entry.get("ignore_errors")]
    assert exempt == []
    # Only third-party packages without type information may be imported untyped.
    untyped = {m for entry in config.get("overrides", []) if entry.get("ignore_missing_imports") for m in entry["module"]}
    assert untyped <= {"flake8", "flake8.*"}
