"""Runtime-verified fixtures: programs that leak asyncio work, run before and after ``fix``.

Each program in ``tests/runtime/programs/`` is run under
``tests/runtime/harness.py``, which reports the tasks still pending when
``main()`` returns that nothing in the program refers to (a task kept in a
set or on an object is owned, not leaked), "coroutine ... was never awaited"
warnings and reports that reach the loop's exception handler. A leaking program must leak; after
``lint-structured fix --unsafe-fixes`` it must leak nothing and print the same
stdout with the same exit code, and a second ``fix`` must change nothing.
The ``clean_*`` programs leak nothing and ``fix`` must leave them byte-identical.

Every step is a subprocess, with a timeout so that a fix that makes a program
hang fails instead of stalling the run. The fix pipelines (a second or two of
subprocesses per program) run a few at a time in threads; the assertions stay
in the per-program tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

RUNTIME = ROOT / "tests" / "runtime"
HARNESS = RUNTIME / "harness.py"
PROGRAMS = sorted((RUNTIME / "programs").glob("*.py"))
TIMEOUT = 60  # seconds per subprocess; every program runs in well under one
NO_LEAKS = {"pending_tasks": [], "never_awaited": [], "loop_errors": []}

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="the programs and the fixes use asyncio.TaskGroup")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **extra)
    # `python -m lint_structured` from tmp_path must import this checkout even if it is not installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@dataclass
class Run:
    stdout: str
    stderr: str
    returncode: int
    report: dict

    @property
    def leaks(self) -> bool:
        return any(self.report[key] for key in NO_LEAKS)

    def __str__(self) -> str:
        return f"exit {self.returncode}, report {self.report}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def run_harness(program: Path, report: Path) -> Run:
    report.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, str(HARNESS), str(program)],
        cwd=program.parent, env=_env(LSC_HARNESS_REPORT=str(report)),
        capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert report.exists(), f"the harness wrote no report for {program.name}:\n{proc.stderr}"
    return Run(proc.stdout, proc.stderr, proc.returncode, json.loads(report.read_text(encoding="utf-8")))


def run_fix(path: Path) -> subprocess.CompletedProcess:
    # cwd is the file's own directory, so no pyproject.toml of this project is read.
    # A program about a rule that is off by default (a migration aid such as LSC204)
    # is fixed as a user migrating would: with every rule selected.
    from lint_structured.codes import DEFAULT_OFF

    first_line = path.read_text(encoding="utf-8").lstrip('"').split("\n", 1)[0]
    select = ["--select", "LSC"] if any(code in first_line for code in DEFAULT_OFF) else []
    return subprocess.run(
        [sys.executable, "-m", "lint_structured", "fix", "--unsafe-fixes", "--no-cache", *select, str(path)],
        cwd=path.parent, env=_env(), capture_output=True, text=True, timeout=TIMEOUT,
    )


def is_clean(program: Path) -> bool:
    return program.name.startswith("clean_")


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_program_shape_and_leak(program, tmp_path):
    """Holds without the fixer: the program is well-formed and leaks (or, clean_*, does not)."""
    source = program.read_text(encoding="utf-8")
    assert len(source.splitlines()) < 40
    assert "\nasync def main():\n" in source
    assert source.endswith('\nif __name__ == "__main__":\n    asyncio.run(main())\n')

    measured = run_harness(program, tmp_path / "report.json")
    if is_clean(program):
        assert not measured.leaks, f"{program.name} should leak nothing:\n{measured}"
    else:
        assert measured.leaks, f"{program.name} should leak:\n{measured}"

    # Run on its own, the program prints the same and exits the same way (and does not hang).
    alone = subprocess.run(
        [sys.executable, str(program)], cwd=tmp_path, env=_env(),
        capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert (alone.stdout, alone.returncode) == (measured.stdout, measured.returncode), alone.stderr


@dataclass
class FixRun:
    before: Run  # the original program
    original: bytes
    fix: subprocess.CompletedProcess
    fixed: bytes
    after: Run | None = None  # the fixed program, if fix succeeded and its output compiles
    refix: subprocess.CompletedProcess | None = None
    refixed: bytes | None = None


def fix_and_rerun(program: Path, workdir: Path) -> FixRun:
    """Measure a copy of the program, fix it, measure it again, fix it again; decide nothing."""
    workdir.mkdir()
    copy = workdir / program.name
    shutil.copyfile(program, copy)
    before = run_harness(copy, workdir / "before.json")
    result = FixRun(before, copy.read_bytes(), run_fix(copy), copy.read_bytes())
    if result.fix.returncode in (0, 1):
        try:
            compile(result.fixed, str(copy), "exec")
        except SyntaxError:
            return result
        result.after = run_harness(copy, workdir / "after.json")
        if result.fixed != result.original:  # else the second run would see the same input again
            result.refix = run_fix(copy)
            result.refixed = copy.read_bytes()
    return result


@pytest.fixture(scope="module")
def fix_runs(request, tmp_path_factory):
    """Start the fix pipelines of all the selected programs at once, a few in parallel.

    Each pipeline is four subprocesses (a second or two); the tests wait for their own.
    """
    wanted = [
        item.callspec.params["program"] for item in request.session.items
        if getattr(item, "originalname", None) == "test_fix_removes_the_leak_and_keeps_behaviour"
    ]
    base = tmp_path_factory.mktemp("runtime-fixes")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        yield {program: pool.submit(fix_and_rerun, program, base / program.stem) for program in wanted}


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_fix_removes_the_leak_and_keeps_behaviour(program, fix_runs):
    run = fix_runs[program].result(timeout=5 * TIMEOUT)
    if is_clean(program):
        assert not run.before.leaks, f"{program.name} should leak nothing:\n{run.before}"
    else:
        assert run.before.leaks, f"{program.name} should leak:\n{run.before}"

    # 0 or 1 (findings left); 2 is a usage or internal error.
    assert run.fix.returncode in (0, 1), f"fix failed (exit {run.fix.returncode}):\n{run.fix.stdout}{run.fix.stderr}"
    if is_clean(program):
        assert run.fixed == run.original, "fix changed a clean program"
    else:
        assert run.fixed != run.original, "fix left a leaking program unchanged"
    fixed_text = run.fixed.decode("utf-8")
    compile(run.fixed, program.name, "exec")  # raises with the position if the fix broke the syntax

    after = run.after
    assert {key: after.report[key] for key in NO_LEAKS} == NO_LEAKS, f"still leaks after fix:\n{after}\n--- fixed source\n{fixed_text}"
    assert after.stdout == run.before.stdout, f"stdout changed:\n{after}\n--- fixed source\n{fixed_text}"
    assert after.returncode == run.before.returncode, f"exit code changed:\n{after}\n--- fixed source\n{fixed_text}"

    if run.refix is not None:
        assert run.refix.returncode in (0, 1), f"second fix failed:\n{run.refix.stdout}{run.refix.stderr}"
        assert run.refixed == run.fixed, "a second fix changed the file again"
