"""The fix command: exit codes, --diff, --report, safety classes, atomic writes, the hook."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint_structured.cli import main

RUNAWAY = """import asyncio


async def fetch(n):
    await asyncio.sleep(0)
    return n


async def both():
    a, b = await asyncio.gather(fetch(1), fetch(2))
    return a + b
"""
CLEAN = "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(0)\n"
MIGRATING = '[tool.lint-structured]\nselect = ["LSC"]\n'


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # A codebase being migrated: every rule, the migration aid LSC204 (RUNAWAY's plain gather) too.
    (tmp_path / "pyproject.toml").write_text(MIGRATING)
    (tmp_path / "app.py").write_text(RUNAWAY)
    (tmp_path / "ok.py").write_text(CLEAN)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_without_unsafe_fixes_nothing_changes_and_the_fix_is_listed(project):
    result = run("fix", "--no-cache", "app.py")
    assert result.exit_code == 1
    assert (project / "app.py").read_text() == RUNAWAY
    assert "app.py:10:18: LSC204 [gather-to-task-group] not fixed: an unsafe fix is available: run with --unsafe-fixes" in result.output


def test_diff_writes_nothing(project):
    result = run("fix", "--no-cache", "--diff", "--unsafe-fixes", "app.py")
    assert result.exit_code == 1
    assert (project / "app.py").read_text() == RUNAWAY
    assert "+        async with asyncio.TaskGroup() as tg:" in result.stdout
    assert "+    except* BaseException as exc_group:\n+        raise exc_group.exceptions[0]\n" in result.stdout
    assert "-    a, b = await asyncio.gather(fetch(1), fetch(2))" in result.stdout
    assert "Would fix 1 finding (LSC204: 1) in 1 file." in result.stderr


def test_fix_writes_then_a_second_run_is_clean(project):
    result = run("fix", "--no-cache", "--unsafe-fixes", ".")
    assert result.exit_code == 1
    assert "Fixed 1 finding (LSC204: 1) in 1 file. 2 files checked." in result.output
    fixed = (project / "app.py").read_text()
    assert "fetch_task1 = tg.create_task(fetch(1))" in fixed
    assert "a, b = fetch_task1.result(), fetch_task2.result()" in fixed
    assert (project / "ok.py").read_text() == CLEAN
    again = run("fix", "--no-cache", "--unsafe-fixes", ".")
    assert again.exit_code == 0
    assert (project / "app.py").read_text() == fixed
    assert run("check", "--no-cache", ".").exit_code == 0


def test_report_json(project):
    run("fix", "--no-cache", "--unsafe-fixes", "--report", "report.json", "app.py")
    report = json.loads((project / "report.json").read_text())
    assert report["files_changed"] == ["app.py"]
    assert report["fixes_applied"] == {"LSC204": 1}
    assert report["remaining"] == [] and report["errors"] == [] and report["dry_run"] is False
    assert report["applied"][0]["code"] == "LSC204" and report["applied"][0]["line"] == 10


def test_withheld_fix_is_reported_with_its_reason(project):
    (project / "app.py").write_text(
        "import asyncio\n\n\nasync def f(session, urls):\n"
        "    return await asyncio.gather(*[session.get(u) for u in urls])\n"
    )
    result = run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    assert result.exit_code == 1
    assert "not fixed: cannot tell that `session.get(u)` is a coroutine" in result.output


def test_noqa_and_ignore_are_respected(project):
    (project / "app.py").write_text(RUNAWAY.replace("fetch(2))", "fetch(2))  # noqa: LSC204"))
    assert run("fix", "--no-cache", "--unsafe-fixes", "app.py").exit_code == 0
    (project / "app.py").write_text(RUNAWAY)
    assert run("fix", "--no-cache", "--unsafe-fixes", "--ignore", "LSC2", "app.py").exit_code == 0
    assert (project / "app.py").read_text() == RUNAWAY


def test_target_below_311_withholds_taskgroup_unless_a_backport_is_configured(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.9"\n' + MIGRATING)
    result = run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    assert "asyncio.TaskGroup needs Python 3.11 and the target is 3.9" in result.output
    assert (project / "app.py").read_text() == RUNAWAY
    (project / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.9"\n' + MIGRATING + 'fix-backend = "taskgroup"\n')
    run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    fixed = (project / "app.py").read_text()
    assert "from taskgroup import TaskGroup" in fixed and "async with TaskGroup() as tg:" in fixed


def test_aliased_asyncio_is_reused_and_a_missing_import_added(project):
    (project / "app.py").write_text(
        "import asyncio as aio\n\n\nasync def f(fill):\n    done = []\n    aio.create_task(fill(done))\n    print('go')\n    return len(done)\n"
    )
    run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    assert (
        "    try:\n        async with aio.TaskGroup() as tg:\n            tg.create_task(fill(done))\n            print('go')\n"
        "    except* BaseException as exc_group:\n        raise exc_group.exceptions[0]\n    return len(done)\n"
    ) in (project / "app.py").read_text()
    (project / "app.py").write_text(
        "from asyncio import sleep\n\n\nasync def f():\n    try:\n        await sleep(1)\n"
        "    except BaseException:\n        pass\n    await sleep(2)\n"
    )
    run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    fixed = (project / "app.py").read_text()
    # A module that imports names from asyncio gets one more name.
    assert fixed.startswith("from asyncio import CancelledError, sleep\n")
    assert "    except CancelledError:\n        raise\n    except BaseException:\n" in fixed
    (project / "app.py").write_text(
        "import anyio\n\n\nasync def f():\n    try:\n        await anyio.sleep(1)\n"
        "    except BaseException:\n        pass\n    await anyio.sleep(2)\n"
    )
    run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    fixed = (project / "app.py").read_text()
    assert "import asyncio\n" in fixed and "    except asyncio.CancelledError:\n        raise\n" in fixed


def test_write_is_atomic_and_keeps_the_mode(project):
    os.chmod(project / "app.py", 0o640)
    run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    assert stat.S_IMODE(os.stat(project / "app.py").st_mode) == 0o640
    assert not [p for p in project.iterdir() if p.name.endswith(".lsc-tmp")]


def test_fix_hook_is_declared():
    hooks = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    assert "- id: lint-structured-fix" in hooks
    assert "entry: lint-structured fix" in hooks
    fix_hook = hooks.split("- id: lint-structured-fix", 1)[1]
    assert "args:" not in fix_hook  # unsafe fixes only through the user's own args


def test_jobs_give_the_same_result(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(MIGRATING)
    for n in range(12):
        (tmp_path / f"m{n}.py").write_text(RUNAWAY.replace("fetch(2)", f"fetch({n})"))
    serial = tmp_path.parent / (tmp_path.name + "_serial")
    serial.mkdir()
    for n in range(12):
        (serial / f"m{n}.py").write_text(RUNAWAY.replace("fetch(2)", f"fetch({n})"))
    one = run("fix", "--no-cache", "--unsafe-fixes", "--select", "LSC", "--jobs", "1", str(serial))
    two = run("fix", "--no-cache", "--unsafe-fixes", "--jobs", "2", ".")
    assert one.exit_code == two.exit_code == 1
    assert "Fixed 12 findings (LSC204: 12) in 12 files." in two.output
    for n in range(12):
        assert (tmp_path / f"m{n}.py").read_text() == (serial / f"m{n}.py").read_text()


def test_per_file_ignores_are_respected(project):
    (project / "pyproject.toml").write_text(MIGRATING + '[tool.lint-structured.per-file-ignores]\n"app.py" = ["LSC2"]\n')
    assert run("fix", "--no-cache", "--unsafe-fixes", "app.py").exit_code == 0
    assert (project / "app.py").read_text() == RUNAWAY


def test_anyio_backend(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\nrequires-python = ">=3.9"\n[tool.lint-structured]\nfix-backend = "anyio"\n'
    )
    (project / "app.py").write_text(
        "import asyncio\n\n\nasync def notify(user, text):\n    await asyncio.sleep(0)\n\n\n"
        "async def f(user, session):\n    async with session:\n        asyncio.create_task(notify(session, 'hi'))\n        return user\n"
    )
    run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    fixed = (project / "app.py").read_text()
    assert "import anyio\n" in fixed
    # Python 3.9: no `except*`, so the group's ExceptionGroup is left as it is.
    assert (
        "        async with anyio.create_task_group() as tg:\n            tg.start_soon(notify, session, 'hi')\n"
        "            return user\n"
    ) in fixed
    result = run("fix", "--no-cache", "--unsafe-fixes", "--select", "LSC201", "app.py")
    assert result.exit_code == 0


def test_exception_groups_can_be_kept(project):
    (project / "pyproject.toml").write_text(MIGRATING + 'fix-exception-groups = "keep"\n')
    run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    fixed = (project / "app.py").read_text()
    assert "except*" not in fixed
    assert "    async with asyncio.TaskGroup() as tg:\n        fetch_task1 = tg.create_task(fetch(1))\n" in fixed
    (project / "pyproject.toml").write_text('[tool.lint-structured]\nfix-exception-groups = "sometimes"\n')
    result = run("fix", "--no-cache", "app.py")
    assert result.exit_code == 2 and "'fix-exception-groups' must be 'unwrap' or 'keep'" in result.stderr


def test_unwrapped_group_keeps_the_callers_except(project, tmp_path):
    import subprocess
    import sys

    (project / "app.py").write_text(
        "import asyncio\n\n\nasync def audit():\n    await asyncio.sleep(0.01)\n\n\n"
        "async def retry(n):\n    asyncio.create_task(audit())\n    if n > 2:\n        raise RuntimeError('gave up')\n\n\n"
        "async def main():\n    try:\n        await retry(5)\n    except RuntimeError as exc:\n        print('error:', exc)\n\n\n"
        "asyncio.run(main())\n"
    )
    run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    out = subprocess.run([sys.executable, "app.py"], capture_output=True, text=True, cwd=project, timeout=60)
    assert out.returncode == 0 and out.stdout == "error: gave up\n"


def test_diff_numbers_the_findings_left_by_the_original_lines(project):
    # The safe fix adds a helper above both spawns; the second spawn's fix is withheld
    # (the function should wait, but it is an async generator).
    source = (
        "import asyncio\n\n\n"
        "def on_signal(loop, job):\n"
        "    loop.create_task(job())\n\n\n"
        "async def gen(items, fetch):\n"
        "    found = []\n"
        "    for item in items:\n"
        "        asyncio.create_task(fetch(item, found))\n"
        "        yield item\n"
        "    print(found)\n"
    )
    (project / "app.py").write_text(source)
    line = source.splitlines().index("        asyncio.create_task(fetch(item, found))") + 1
    dry = run("fix", "--no-cache", "--diff", "app.py")
    assert f"app.py:{line}:9: LSC101 [dropped-task] not fixed: the task fills `found`" in dry.stderr
    assert "+    _keep_background_task(loop.create_task(job()))" in dry.stdout
    # Written for real, the findings left are numbered by the lines of the file as it is now.
    real = run("fix", "--no-cache", "app.py")
    now = (project / "app.py").read_text().splitlines().index("        asyncio.create_task(fetch(item, found))") + 1
    assert now > line
    assert f"app.py:{now}:9: LSC101 [dropped-task] not fixed: the task fills `found`" in real.output


@pytest.mark.parametrize(
    "config_name, config",
    [
        ("pyproject.toml", '[project]\nname = "x"\n[tool.black]\nline-length = 79\n'),
        ("setup.cfg", "[flake8]\nmax-line-length = 79\n"),
    ],
)
def test_a_fix_that_would_break_the_line_length_is_wrapped_or_refused(tmp_path, monkeypatch, config_name, config):
    monkeypatch.chdir(tmp_path)
    (tmp_path / config_name).write_text(config)
    short = "    asyncio.create_task(job())\n"
    long = "    asyncio.create_task(audit_log(request, 'a long enough argument'))\n"
    # 78 columns: wrapped, its argument would be on an 81-column line.
    longest = "    asyncio.create_task(audit_log(request, 'an argument of just the length'))\n"
    source = "import asyncio\n\n\nasync def handle(request, job, audit_log):\n" + short + long + longest
    (tmp_path / "app.py").write_text(source)
    result = run("fix", "--no-cache", "app.py")
    fixed = (tmp_path / "app.py").read_text()
    assert "    _keep_background_task(asyncio.create_task(job()))\n" in fixed
    # Too long on one line: the arguments go on a line of their own, as black writes it.
    assert "    _keep_background_task(\n        asyncio.create_task(audit_log(request, 'a long enough argument'))\n    )\n" in fixed
    assert longest in fixed
    assert "would be 82 characters, over the project's 79" in result.output
    assert max(len(line) for line in fixed.splitlines() if line not in source.splitlines()) <= 79


def test_target_version_from_setup_cfg_python_requires(tmp_path, monkeypatch):
    # A pyproject.toml with no [project] table; setup.cfg says the code runs on 3.9:
    # no asyncio.TaskGroup, and no 3.11-only `Task.cancelling()` in the fixes.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[build-system]\nrequires = ['setuptools']\n")
    (tmp_path / "setup.cfg").write_text("[options]\npython_requires = >=3.9\n")
    (tmp_path / "app.py").write_text(
        "import asyncio\n\n\nasync def close(self):\n    while True:\n        try:\n            await self._task\n"
        "        except asyncio.CancelledError:\n            pass\n        await asyncio.sleep(1)\n"
    )
    result = run("fix", "--no-cache", "--unsafe-fixes", "app.py")
    # Whose cancellation it is cannot be told before 3.11: no fix (a plain `raise` broke aiojobs).
    assert (tmp_path / "app.py").read_text().count("pass") == 1
    assert "only Python 3.11's `current_task().cancelling()` tells them apart and the target is 3.9" in result.output


OLD_HELPER = '''import asyncio

_background_tasks: set = set()


def _keep_background_task(task, tasks=_background_tasks):
    """Keep ``task`` in ``tasks`` until it is done; log its failure."""

    def done(task):
        tasks.discard(task)

    tasks.add(task)
    task.add_done_callback(done)
    return task


def schedule(coro, on_complete):
    task = asyncio.ensure_future(coro())
    task.add_done_callback(on_complete)
'''


def test_a_helper_written_by_an_earlier_version_is_reused(tmp_path, monkeypatch):
    # A module fixed before the helper's docstring and parameters changed: the next
    # fix finds that helper (no second copy) and does not pass it a flag it lacks.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(OLD_HELPER)
    run("fix", "--no-cache", "app.py")
    fixed = (tmp_path / "app.py").read_text()
    assert fixed.count("def _keep_background_task") == 1
    assert "    task = _keep_background_task(asyncio.ensure_future(coro()))\n" in fixed


def test_a_handle_with_its_own_done_callback_is_kept_without_logging(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = (
        "import asyncio\nimport logging\n\nlog = logging.getLogger(__name__)\n\n\n"
        "def on_complete(task):\n    if not task.cancelled() and task.exception() is not None:\n"
        "        log.debug('failed', exc_info=task.exception())\n\n\n"
        "def schedule(coro):\n    task = asyncio.ensure_future(coro())\n    task.add_done_callback(on_complete)\n"
    )
    (tmp_path / "app.py").write_text(source)
    run("fix", "--no-cache", "app.py")
    fixed = (tmp_path / "app.py").read_text()
    assert "task = _keep_background_task(asyncio.ensure_future(coro()), log_failure=False)" in fixed
    assert "def _keep_background_task(task, tasks=_background_tasks, log_failure=True):" in fixed
    compile(fixed, "app.py", "exec")
