"""flake8 --select LSC and lint-structured check agree on every fixture (one engine)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_flake8_and_cli_report_the_same_findings(jobs):
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--jobs", jobs, "--select", "LSC", "--format", "%(path)s|%(row)d|%(col)d|%(code)s", "fixtures"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert flake8.returncode in (0, 1), flake8.stderr
    from_flake8 = {tuple(line.split("|")) for line in flake8.stdout.splitlines()}
    cli = subprocess.run(
        [sys.executable, "-m", "lint_structured", "check", "--select", "LSC", "--format", "json", "fixtures"],
        cwd=ROOT, capture_output=True, text=True,
    )
    from_cli = {(f["path"], str(f["line"]), str(f["column"]), f["code"]) for f in json.loads(cli.stdout)}
    assert from_cli, "the fixtures must produce findings"
    assert from_flake8 == from_cli


def test_flake8_noqa_and_extend_ignore(tmp_path):
    src = "import asyncio\n\nasync def f(c):\n    asyncio.create_task(c)\n    asyncio.create_task(c)  # noqa: LSC101\n"
    (tmp_path / "m.py").write_text(src)
    run = lambda *a: subprocess.run([sys.executable, "-m", "flake8", "--isolated", *a, "m.py"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert run("--select", "LSC").splitlines() == [run("--select", "LSC").splitlines()[0]]
    assert ":4:5: LSC101 " in run("--select", "LSC")
    assert run("--select", "LSC", "--extend-ignore", "LSC101") == ""
    assert run("--select", "LSC", "--per-file-ignores", "m.py:LSC1") == ""


def test_flake8_spawner_options(tmp_path):
    (tmp_path / "m.py").write_text("from app import spawn\n\ndef f(c):\n    spawn(c)\n")
    out = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "LSC", "--lsc-extra-spawners", "app.spawn", "m.py"],
        cwd=tmp_path, capture_output=True, text=True,
    ).stdout
    assert ":4:5: LSC101 " in out


def test_flake8_reads_spawners_from_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lint-structured]\nextra-spawners = ["app.spawn"]\n')
    (tmp_path / "m.py").write_text("from app import spawn\n\ndef f(c):\n    spawn(c)\n")
    out = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "LSC", "m.py"],
        cwd=tmp_path, capture_output=True, text=True,
    ).stdout
    assert ":4:5: LSC101 " in out


def test_off_by_default_rules_agree(tmp_path):
    (tmp_path / "m.py").write_text(
        "import asyncio\n\nasync def f(r):\n"
        "    a = await asyncio.wait_for(r.read(), 5)\n    b = await asyncio.wait_for(r.read(), 5)\n"
    )
    flake8 = lambda *a: subprocess.run([sys.executable, "-m", "flake8", "--isolated", *a, "m.py"], cwd=tmp_path, capture_output=True, text=True).stdout.count("LSC501")
    cli = lambda *a: subprocess.run([sys.executable, "-m", "lint_structured", "check", *a, "m.py"], cwd=tmp_path, capture_output=True, text=True).stdout.count(": LSC501 ")
    assert flake8() == cli() == 0
    assert flake8("--select", "LSC") == cli("--select", "LSC") == 2
    assert flake8("--select", "LSC501") == cli("--select", "LSC501") == 2
