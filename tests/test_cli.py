"""The check / rules / explain commands: exit codes, formats, selection, config."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, ROOT
from lint_structured.cli import main
from lint_structured.rules import ALL_RULES

RUNAWAY = "import asyncio\n\n\nasync def f(coro):\n    asyncio.create_task(coro)\n"
CLEAN = "import asyncio\n\n\nasync def f(coro):\n    await asyncio.create_task(coro)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(RUNAWAY)
    (tmp_path / "pkg" / "good.py").write_text(CLEAN)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_exit_codes(project):
    assert run("check", "pkg/good.py").exit_code == 0
    assert run("check", "pkg").exit_code == 1
    assert run("check", "--exit-zero", "pkg").exit_code == 0
    assert run("check", "--select", "LSC9").exit_code == 2  # unknown selector
    assert run("check", "--format", "xml").exit_code == 2


def test_default_path_is_current_directory(project):
    result = run("check", "--format", "json")
    assert [f["path"] for f in json.loads(result.output)] == [os.path.join("pkg", "bad.py")]


def test_json_shape(project):
    plain = json.loads(run("check", "--format", "json", "pkg").output)
    assert [sorted(f) for f in plain] == [["code", "column", "end_column", "end_line", "line", "message", "name", "path"]]
    result = run("check", "--format", "json", "--show-fixes", "pkg")
    data = json.loads(result.output)
    assert data == [
        {
            "code": "LSC101",
            "name": "dropped-task",
            "message": data[0]["message"],
            "path": os.path.join("pkg", "bad.py"),
            "line": 5,
            "column": 5,
            "end_line": 5,
            "end_column": 30,
            "fix": {
                "applicability": "safe",
                "message": "keep a reference until the task is done and log its failure (it still runs in the background)",
            },
        }
    ]
    assert "create_task()" in data[0]["message"]


def test_text_output_has_excerpt_caret_and_fix_status(project):
    result = run("check", "--show-fixes", "pkg/bad.py")
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{os.path.join('pkg', 'bad.py')}:5:5: LSC101 [dropped-task] ")
    assert lines[1] == " 5 |     asyncio.create_task(coro)"
    assert lines[2] == "   |     " + "^" * len("asyncio.create_task(coro)")
    assert lines[3] == "   = fix (safe): keep a reference until the task is done and log its failure (it still runs in the background)"
    assert lines[-1].startswith("Found 1 finding (LSC101: 1); 1 file checked.")


def test_text_output_without_show_fixes_points_to_it(project):
    lines = run("check", "pkg/bad.py").output.splitlines()
    assert lines[2] == "   |     " + "^" * len("asyncio.create_task(coro)")
    assert lines[3].startswith("Found 1 finding (LSC101: 1); 1 file checked.")
    assert "--show-fixes" in lines[4]


def test_select_and_ignore_prefixes(project):
    (project / "pkg" / "bound.py").write_text(
        "import asyncio\n\nasync def f(c):\n    t = asyncio.create_task(c)\n    asyncio.create_task(c)\n"
    )
    codes = lambda *a: sorted(f["code"] for f in json.loads(run("check", "--format", "json", *a, "pkg/bound.py").output))
    assert codes() == ["LSC101", "LSC102"]
    assert codes("--select", "LSC102") == ["LSC102"]
    assert codes("--ignore", "LSC1") == []
    assert codes("--select", "LSC1", "--ignore", "LSC101") == ["LSC102"]
    assert codes("--select", "LSC101,LSC102", "--ignore", "LSC1") == ["LSC101", "LSC102"]  # more specific wins


def test_config_from_pyproject(project):
    (project / "pyproject.toml").write_text(
        '[tool.lint-structured]\nignore = ["LSC102"]\nexclude = ["generated"]\n'
        '[tool.lint-structured.per-file-ignores]\n"pkg/legacy_*.py" = ["LSC1"]\n'
    )
    (project / "pkg" / "legacy_x.py").write_text(RUNAWAY)
    (project / "generated").mkdir()
    (project / "generated" / "out.py").write_text(RUNAWAY)
    (project / "pkg" / "both.py").write_text("import asyncio\n\nasync def f(c):\n    t = asyncio.create_task(c)\n")
    data = json.loads(run("check", "--format", "json").output)
    assert [(f["path"], f["code"]) for f in data] == [(os.path.join("pkg", "bad.py"), "LSC101")]


def test_config_errors_name_file_and_key(project):
    (project / "pyproject.toml").write_text('[tool.lint-structured]\nselekt = ["LSC1"]\n')
    result = CliRunner().invoke(main, ["check", "pkg"])
    assert result.exit_code == 2
    assert "pyproject.toml" in result.output and "'selekt'" in result.output
    (project / "pyproject.toml").write_text("[tool.lint-structured\n")
    result = CliRunner().invoke(main, ["check", "pkg"])
    assert result.exit_code == 2 and "invalid TOML" in result.output


def test_extra_and_owning_spawners(project):
    (project / "pyproject.toml").write_text(
        '[tool.lint-structured]\nextra-spawners = ["app.tasks.spawn"]\nowning-spawners = ["self._loop.create_task"]\n'
    )
    (project / "pkg" / "spawns.py").write_text(
        "from app.tasks import spawn\n\n\nclass S:\n    def go(self, c):\n"
        "        spawn(c)\n        self._loop.create_task(c)\n"
    )
    data = json.loads(run("check", "--format", "json", "pkg/spawns.py").output)
    assert [(f["line"], f["code"]) for f in data] == [(6, "LSC101")]


def test_discovery_skips_stubs_default_excludes_and_reports_missing(project):
    (project / "pkg" / "types.pyi").write_text(RUNAWAY)
    for skipped in (".venv", "build", "__pycache__", "node_modules"):
        (project / skipped).mkdir()
        (project / skipped / "x.py").write_text(RUNAWAY)
    (project / "dir.py").mkdir()  # a directory named like a module
    data = json.loads(run("check", "--format", "json").output)
    assert {f["path"] for f in data} == {os.path.join("pkg", "bad.py")}
    result = CliRunner().invoke(main, ["check", "missing.py"])
    assert result.exit_code == 2 and "missing.py: error: no such file or directory" in result.output


def test_unparsable_file_is_named_and_the_run_goes_on(project):
    (project / "pkg" / "broken.py").write_text("def f(:\n")
    result = CliRunner().invoke(main, ["check", "--format", "json", "pkg"])
    assert result.exit_code == 1
    assert "broken.py: error: syntax error" in result.stderr
    assert [f["path"] for f in json.loads(result.stdout)] == [os.path.join("pkg", "bad.py")]


def test_rules_and_explain():
    listing = run("rules").output
    for rule in ALL_RULES:
        assert rule.code in listing and rule.name in listing
    assert [r["code"] for r in json.loads(run("rules", "--format", "json").output)] == [r.code for r in ALL_RULES]
    for key in ("LSC101", "dropped-task", "lsc101"):
        doc = run("explain", key).output
        markdown = run("explain", key, "--format", "markdown").output
        for section in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"):
            assert f"\n{section}\n{'-' * len(section)}\n" in doc
            assert f"### {section}" in markdown
    assert CliRunner().invoke(main, ["explain", "LSC999"]).exit_code == 2


def test_python_dash_m(project):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "lint_structured", "check", "pkg"], capture_output=True, text=True)
    assert out.returncode == 1 and "LSC101" in out.stdout


def test_snapshot_of_text_output(snapshot, monkeypatch):
    monkeypatch.chdir(ROOT)
    snapshot.snapshot_dir = Path(__file__).parent / "snapshots"
    result = run("check", "--no-cache", "--select", "LSC", "--show-fixes", "fixtures")
    snapshot.assert_match(result.output, "check_fixtures.txt")


def test_cache_gives_the_same_findings_and_a_warm_run_skips_libcst(project):
    cold = run("check", "--format", "json", "pkg").output
    assert (project / ".lint-structured-cache" / ".gitignore").is_file()
    assert run("check", "--format", "json", "pkg").output == cold
    assert run("check", "--format", "json", "--no-cache", "pkg").output == cold
    warm, loaded = _check_in_a_fresh_process()
    assert not loaded
    assert warm == json.loads(cold)


def _check_in_a_fresh_process(*options: str) -> tuple[list, bool]:
    """``check --format json pkg`` in a new interpreter: its findings, and whether any
    LibCST module was loaded."""
    import subprocess
    import sys

    probe = (
        "import sys\nfrom lint_structured.cli import main\n"
        "try:\n    main(['check', '--exit-zero', '--format', 'json'] + sys.argv[1:] + ['pkg'])\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write('LIBCST=%s' % any(m.split('.')[0] == 'libcst' for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *options], capture_output=True, text=True)
    assert "LIBCST=" in done.stderr, done.stderr
    return json.loads(done.stdout), "LIBCST=True" in done.stderr


def test_a_cold_check_loads_libcst_only_to_show_fixes(project):
    cold, loaded = _check_in_a_fresh_process("--no-cache")
    assert not loaded
    assert [f["code"] for f in cold] == ["LSC101"]
    shown, loaded = _check_in_a_fresh_process("--no-cache", "--show-fixes")
    assert loaded
    assert [f["fix"]["applicability"] for f in shown] == ["safe"]


def test_cache_follows_the_modules_a_finding_depends_on(project):
    (project / "pkg" / "__init__.py").write_text("")
    (project / "pkg" / "store.py").write_text("def save(x):\n    return x\n")
    (project / "pkg" / "use.py").write_text("import asyncio\nfrom pkg.store import save\n\nasync def f():\n    save(1)\n")
    codes = lambda: [f["code"] for f in json.loads(run("check", "--format", "json", "pkg/use.py").output)]
    assert codes() == []
    (project / "pkg" / "store.py").write_text("async def save(x):\n    return x\n")
    assert codes() == ["LSC301"]


def test_jobs_give_the_same_findings(project):
    for i in range(12):
        (project / "pkg" / f"m{i}.py").write_text(RUNAWAY)
    one = run("check", "--no-cache", "--format", "json", "--jobs", "1", "pkg").output
    two = run("check", "--no-cache", "--format", "json", "--jobs", "2", "pkg").output
    assert one == two and len(json.loads(one)) == 13


def test_warnings_of_the_checked_code_are_not_printed(tmp_path, monkeypatch):
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.py").write_text('import asyncio, re\nPATTERN = re.compile("\\d+")\n\nasync def f(c):\n    asyncio.create_task(c)\n')
    env = {**__import__("os").environ, "PYTHONWARNINGS": "default"}
    out = subprocess.run([sys.executable, "-m", "lint_structured", "check", "--no-cache", "w.py"], capture_output=True, text=True, env=env)
    assert "Warning" not in out.stderr and "LSC101" in out.stdout
