"""The cache is never wrong: a warm run, a run after any edit, ``--jobs`` and the flake8
plugin all give exactly the findings of a cold run. Where it lives, and what happens
when it cannot be used."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from lint_structured import __version__
from lint_structured import cli as cli_module
from lint_structured.cache import DIRNAME, STORE
from lint_structured.cli import main

RUNAWAY = "import asyncio\n\n\nasync def f(coro):\n    asyncio.create_task(coro)\n"


def run(*args: str, cwd: Path | None = None):
    if cwd is None:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def findings(*args: str, cwd: Path | None = None) -> list[tuple]:
    result = run("check", "--exit-zero", "--select", "LSC", "--format", "json", *args, cwd=cwd)
    assert result.exit_code == 0, result.output
    return sorted((f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.stdout))


def flake8_findings(root: Path, messages: dict[tuple, str]) -> list[tuple]:
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "LSC", "--format", "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s", "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    out = []
    for line in done.stdout.splitlines():
        path, row, col, code, text = line.split("\t", 4)
        out.append((os.path.normpath(path), int(row), int(col), code, text.split(" ", 1)[1] if text.startswith(code) else text))
    return sorted(out)


# ---------------------------------------------------------------- the differential test
APP_UTIL = "from .store import save\n\n\nasync def handler():\n    save(1)\n"
TREE = {
    "pyproject.toml": "[project]\nname = 'gen'\n",
    "app/__init__.py": "",
    "app/store.py": "async def save(x):\n    return x\n",
    "app/util.py": APP_UTIL,
    # A synchronous module: only the prefilter's look at its package tells it may hold a finding.
    "app/loader.py": "def load():\n    pass\n",
    "app/sync_user.py": "from app.loader import load\n\n\ndef refresh():\n    load()\n",
    "lib/__init__.py": "",
    "lib/store.py": "def save(x):\n    return x\n",
    "lib/util.py": APP_UTIL,  # the same bytes as app/util.py: a different answer
    "tools/x.py": "import helper\n\n\nasync def main():\n    helper.go()\n",
    "scripts/run.py": "import asyncio\nfrom app.util import handler\n\n\nasync def go():\n    handler()\n",
    **{f"app/spawn{i}.py": RUNAWAY.replace("coro)", f"coro, name='t{i}')") for i in range(10)},
}
# Each step: (description, edit, a finding that must appear or disappear, so the step is not vacuous).
STEPS = [
    ("a missing module is added", {"tools/helper.py": "async def go():\n    pass\n"}, ("+", "tools/x.py", "LSC301")),
    ("it is removed again", {"tools/helper.py": None}, ("-", "tools/x.py", "LSC301")),
    ("a module becomes async (seen through the prefilter)", {"app/loader.py": "async def load():\n    pass\n"}, ("+", "app/sync_user.py", "LSC301")),
    ("a module is renamed away", {"app/store.py": None, "app/storage.py": "async def save(x):\n    return x\n"}, ("-", "app/util.py", "LSC301")),
    ("and renamed back", {"app/storage.py": None, "app/store.py": "async def save(x):\n    return x\n"}, ("+", "app/util.py", "LSC301")),
    ("the sync twin becomes async", {"lib/store.py": "async def save(x):\n    return x\n"}, ("+", "lib/util.py", "LSC301")),
    ("a file moves to a package where its import means something else", {"lib/util.py": None, "other/__init__.py": "", "other/store.py": "def save(x):\n    return x\n", "other/util.py": APP_UTIL}, ("-", "lib/util.py", "LSC301")),
    ("a folder becomes a package", {"tools/__init__.py": "", "tools/helper.py": "async def go():\n    pass\n"}, None),
    ("a duplicate is made", {"copy/__init__.py": "", "copy/store.py": "async def save(x):\n    return x\n", "copy/util.py": APP_UTIL}, ("+", "copy/util.py", "LSC301")),
]


def _write(root: Path, files: dict[str, str | None]) -> None:
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _compare_every_front_end(root: Path, analysed: list[int]) -> list[tuple]:
    cold = findings("--no-cache", "--jobs", "1", cwd=root)
    assert findings("--no-cache", "--jobs", "2", cwd=root) == cold
    assert findings("--jobs", "1", cwd=root) == cold  # warm after an edit: the cache from before
    analysed.clear()
    assert findings("--jobs", "2", cwd=root) == cold  # fully warm
    assert analysed == [], "an unchanged tree was analysed again"
    assert flake8_findings(root, {}) == [(os.path.normpath(p), line, col, code, msg) for p, line, col, code, msg in cold]
    with_fixes = run("check", "--exit-zero", "--select", "LSC", "--format", "json", "--show-fixes", "--no-cache", cwd=root).stdout
    assert run("check", "--exit-zero", "--select", "LSC", "--format", "json", "--show-fixes", cwd=root).stdout == with_fixes
    return cold


@pytest.mark.parametrize("trust_at_once", [False, True], ids=["racy-window", "stat-trusted-at-once"])
def test_cold_warm_edited_jobs_and_flake8_agree_on_a_changing_tree(tmp_path, monkeypatch, trust_at_once):
    if trust_at_once:  # every unchanged stat is trusted, however recent: the fast path everywhere
        monkeypatch.setattr("lint_structured.cache.RACY_NS", -10**18)
    analysed: list[int] = []
    real = cli_module._analyse_all
    monkeypatch.setattr(cli_module, "_analyse_all", lambda work, *rest: analysed.append(len(work)) or real(work, *rest))
    _write(tmp_path, TREE)
    before = _compare_every_front_end(tmp_path, analysed)
    assert ("app/util.py", "LSC301") in {(p, c) for p, _, _, c, _ in before}
    assert ("lib/util.py", "LSC301") not in {(p, c) for p, _, _, c, _ in before}  # same bytes, other answer
    for description, edit, expect in STEPS:
        _write(tmp_path, edit)
        after = _compare_every_front_end(tmp_path, analysed)
        if expect is not None:
            sign, path, code = expect
            had = any(p == path and c == code for p, _, _, c, _ in before)
            has = any(p == path and c == code for p, _, _, c, _ in after)
            assert (had, has) == ((False, True) if sign == "+" else (True, False)), description
        before = after


def test_cold_warm_jobs_and_flake8_agree_on_the_fixtures(tmp_path):
    import shutil

    root = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, root)
    cold = findings("--no-cache", "--jobs", "1", cwd=root)
    assert len(cold) > 150
    assert findings("--no-cache", "--jobs", "2", cwd=root) == cold
    assert findings(cwd=root) == cold
    assert findings(cwd=root) == cold
    assert flake8_findings(root, {}) == cold


def test_a_warm_run_reads_only_the_files_it_shows(tmp_path, monkeypatch):
    monkeypatch.setattr("lint_structured.cache.RACY_NS", -10**18)
    _write(tmp_path, TREE)
    cold = findings(cwd=tmp_path)
    read: list[str] = []
    real = cli_module.read_source
    monkeypatch.setattr(cli_module, "read_source", lambda shown, *rest: read.append(shown) or real(shown, *rest))
    assert findings(cwd=tmp_path) == cold
    assert sorted(set(read)) == sorted({path for path, *_ in cold})  # for their excerpts, nothing else


def test_a_same_size_edit_with_the_old_modification_time_is_seen(tmp_path, monkeypatch):
    """Tools that restore modification times (rsync -t, touch -r, some checkouts) cannot
    hide an edit: the change time is in the signature too."""
    monkeypatch.setattr("lint_structured.cache.RACY_NS", -10**18)
    (tmp_path / "pyproject.toml").write_text("")
    target = tmp_path / "m.py"
    target.write_text(RUNAWAY)
    assert [f[3] for f in findings(cwd=tmp_path)] == ["LSC101"]
    before = target.stat()
    target.write_text(RUNAWAY.replace("asyncio.create_task(coro)", "await asyncio.sleep(coro)"[:25].ljust(25)))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    assert findings(cwd=tmp_path) == findings("--no-cache", cwd=tmp_path)
    assert findings(cwd=tmp_path) == []


def test_a_file_changed_just_before_it_was_read_is_read_again(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "m.py").write_text("import asyncio\n\n\nasync def f(c):\n    await asyncio.create_task(c)\n")
    findings(cwd=tmp_path)  # the file changed within RACY_NS of this read: not trusted next time
    read: list[str] = []
    real = cli_module.read_source
    monkeypatch.setattr(cli_module, "read_source", lambda shown, *rest: read.append(shown) or real(shown, *rest))
    assert findings(cwd=tmp_path) == []
    assert read == ["m.py"]
    monkeypatch.setattr("lint_structured.cache.RACY_NS", -10**18)  # had it been older, it would not be read
    read.clear()
    assert findings(cwd=tmp_path) == []
    assert read == []


def test_concurrent_runs_share_the_store(tmp_path):
    _write(tmp_path, TREE)
    for i in range(40):
        (tmp_path / "more" / f"m{i}.py").parent.mkdir(exist_ok=True)
        (tmp_path / "more" / f"m{i}.py").write_text(RUNAWAY.replace("coro)", f"coro, name='{i}')"))
    command = [sys.executable, "-m", "lint_structured", "check", "--exit-zero", "--format", "json", "--jobs", "1", "."]
    runs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [done.communicate() for done in runs]
    cold = run("check", "--exit-zero", "--format", "json", "--no-cache", ".", cwd=tmp_path).stdout
    for out, err in outputs:
        assert out == cold and err == ""
    assert run("check", "--exit-zero", "--format", "json", ".", cwd=tmp_path).stdout == cold


def test_a_file_edited_between_its_stat_and_its_read_is_keyed_by_what_was_read(tmp_path, monkeypatch):
    """A trusted stat, then an edit before the file is read for analysis: the answer is
    stored under the key of the bytes analysed, not of the bytes the stat vouched for."""
    monkeypatch.setattr("lint_structured.cache.RACY_NS", -10**18)
    (tmp_path / "pyproject.toml").write_text("")
    target = tmp_path / "m.py"
    target.write_text(RUNAWAY)
    findings(cwd=tmp_path)
    other = tmp_path / "other.py"
    other.write_text("import asyncio\n")  # a new file: a miss, so the run analyses something
    from lint_structured import cache

    real = cache.Cache.get_many

    def edit_after_lookup(self, keys):
        found = real(self, keys)
        target.write_text(RUNAWAY.replace("asyncio.create_task(coro)", "await asyncio.sleep(coro)"))
        return {}  # every entry a miss: m.py is read (after the edit) and analysed

    monkeypatch.setattr(cache.Cache, "get_many", edit_after_lookup)
    findings(cwd=tmp_path)
    monkeypatch.setattr(cache.Cache, "get_many", real)
    target.write_text(RUNAWAY)  # back to the bytes the stat vouched for: their own answer
    assert findings(cwd=tmp_path) == findings("--no-cache", cwd=tmp_path)


# ---------------------------------------------------------------- where it lives
@pytest.fixture
def project(tmp_path):
    (tmp_path / "proj" / "src" / "pkg").mkdir(parents=True)
    root = tmp_path / "proj"
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (root / "src" / "pkg" / "bad.py").write_text(RUNAWAY)
    return root


def test_the_cache_is_at_the_project_root_whatever_the_working_directory(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, target in ((project / "src" / "pkg", "."), (elsewhere, str(project / "src")), (project, "src/pkg/bad.py")):
        assert [f[3] for f in findings(target, cwd=cwd)] == ["LSC101"]
    assert (project / DIRNAME / STORE).is_file()
    assert (project / DIRNAME / ".gitignore").read_text().endswith("*\n")
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob(DIRNAME))
    assert made == ["proj/" + DIRNAME]


@pytest.mark.parametrize("marker", ["setup.cfg", "tox.ini", ".git"])
def test_other_project_markers(project, marker):
    (project / "pyproject.toml").unlink()
    (project / "src" / marker).mkdir() if marker == ".git" else (project / "src" / marker).write_text("")
    findings(".", cwd=project / "src" / "pkg")
    assert (project / "src" / DIRNAME / STORE).is_file()
    assert not (project / DIRNAME).exists()


def test_cache_dir_option_and_environment(project, tmp_path, monkeypatch):
    findings("--cache-dir", str(tmp_path / "by-option"), ".", cwd=project)
    assert (tmp_path / "by-option" / STORE).is_file()
    monkeypatch.setenv("LINT_STRUCTURED_CACHE_DIR", str(tmp_path / "by-env"))
    findings(".", cwd=project)
    assert (tmp_path / "by-env" / STORE).is_file()
    assert not (project / DIRNAME).exists()
    findings("--no-cache", ".", cwd=project)
    assert not (project / DIRNAME).exists()


def test_a_flake8_run_leaves_no_files_unless_asked(project):
    def files() -> set[str]:
        return {p.relative_to(project).as_posix() for p in project.rglob("*") if "__pycache__" not in p.parts}

    before = files()
    done = subprocess.run([sys.executable, "-m", "flake8", "--select", "LSC", "src"], cwd=project, capture_output=True, text=True)
    assert "LSC101" in done.stdout
    assert files() == before
    (project / "setup.cfg").write_text("[flake8]\nlsc-cache = true\n")
    again = subprocess.run([sys.executable, "-m", "flake8", "--select", "LSC", "src"], cwd=project, capture_output=True, text=True)
    assert again.stdout == done.stdout
    assert (project / DIRNAME / STORE).is_file()


def test_clean_removes_the_cache_and_nothing_else(project, tmp_path):
    findings(".", cwd=project)
    result = run("clean", cwd=project / "src")
    assert result.exit_code == 0 and "Removed" in result.output
    assert not (project / DIRNAME).exists()
    assert "No cache" in run("clean", cwd=project).output
    precious = tmp_path / "precious"
    (precious / "2024-taxes").mkdir(parents=True)
    (precious / "2024-taxes" / "return.pdf").write_text("keep me")
    (precious / "notes.txt").write_text("keep me")
    # A cache folder pointed at a user's folder: the store goes in, nothing of theirs goes out.
    findings("--cache-dir", str(precious), ".", cwd=project)
    assert (precious / STORE).is_file() and not (precious / ".gitignore").exists()
    assert findings("--cache-dir", str(precious), ".", cwd=project) == findings("--no-cache", ".", cwd=project)
    result = CliRunner().invoke(main, ["clean", "--cache-dir", str(precious)])
    assert result.exit_code == 0
    assert sorted(p.relative_to(precious).as_posix() for p in precious.rglob("*")) == ["2024-taxes", "2024-taxes/return.pdf", "notes.txt"]


def test_a_store_shared_by_two_trees_or_copied_with_one_answers_for_each(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("LINT_STRUCTURED_CACHE_DIR", str(tmp_path / "shared"))
    for name, helper in (("one", "def go():\n    pass\n"), ("two", "async def go():\n    pass\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text("")
        (tmp_path / name / "helper.py").write_text(helper)
        (tmp_path / name / "x.py").write_text("import helper\n\n\nasync def main():\n    helper.go()\n")
    assert findings(".", cwd=tmp_path / "one") == []
    assert findings(".", cwd=tmp_path / "two") == findings("--no-cache", ".", cwd=tmp_path / "two") != []
    shutil.copytree(tmp_path / "one", tmp_path / "copy")
    (tmp_path / "copy" / "helper.py").write_text("async def go():\n    pass\n")
    assert findings(".", cwd=tmp_path / "copy") == findings("--no-cache", ".", cwd=tmp_path / "copy") != []


def test_a_new_project_marker_or_src_folder_is_seen(project):
    tools = project / "tools"
    tools.mkdir()
    (tools / "x.py").write_text("import helper\n\n\nasync def main():\n    helper.go()\n")
    (project / "helper.py").write_text("async def go():\n    pass\n")
    assert [f[3] for f in findings(".", cwd=project) if f[0] == "tools/x.py"] == ["LSC301"]
    (tools / "setup.cfg").write_text("")  # tools/ is a project of its own now: helper is not on its path
    assert findings(".", cwd=project) == findings("--no-cache", ".", cwd=project)
    assert [f for f in findings(".", cwd=project) if f[0] == "tools/x.py"] == []


def test_an_edit_during_the_run_does_not_hide_under_the_old_answer(project, monkeypatch):
    """The dependency's hash is the one of the bytes the analysis read, not of the file later."""
    from lint_structured import coroutines

    (project / "helper.py").write_text("def go():\n    pass\n")
    (project / "x.py").write_text("import helper\n\n\nasync def main():\n    helper.go()\n")
    real = coroutines.summarize_file

    def read_then_edit(path, name):
        outline = real(path, name)
        if path.name == "helper.py":
            path.write_text("async def go():\n    pass\n")  # saved by an editor mid-run
        return outline

    monkeypatch.setattr(coroutines, "summarize_file", read_then_edit)
    findings(".", cwd=project)
    monkeypatch.setattr(coroutines, "summarize_file", real)
    assert findings(".", cwd=project) == findings("--no-cache", ".", cwd=project)
    assert [f[3] for f in findings(".", cwd=project) if f[0] == "x.py"] == ["LSC301"]


def test_small_runs_do_not_evict_what_a_full_run_needs(project, monkeypatch):
    monkeypatch.setattr("lint_structured.cache.KEEP", 10)
    for i in range(30):
        (project / "src" / "pkg" / f"m{i}.py").write_text(RUNAWAY.replace("coro)", f"coro, name='{i}')"))
    findings(".", cwd=project)
    for i in range(3):  # pre-commit runs on one edited file each
        (project / "src" / "pkg" / f"m{i}.py").write_text(RUNAWAY + f"# edit {i}\n")
        findings(f"src/pkg/m{i}.py", cwd=project)
    analysed: list[int] = []
    real = cli_module._analyse_all
    monkeypatch.setattr(cli_module, "_analyse_all", lambda work, *rest: analysed.append(len(work)) or real(work, *rest))
    findings(".", cwd=project)
    assert analysed == []


# ---------------------------------------------------------------- a cache that cannot be used
def _check_warns(project: Path, expect: str) -> None:
    result = run("check", "--format", "json", "--exit-zero", ".", cwd=project)
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and expect in warnings[0], result.stderr
    assert [f["code"] for f in json.loads(result.stdout)] == ["LSC101"]


def test_a_file_where_the_cache_folder_should_be(project):
    (project / DIRNAME).write_text("not a folder")
    _check_warns(project, "running without a cache")
    assert (project / DIRNAME).read_text() == "not a folder"


def test_a_store_corrupt_inside_is_rebuilt_when_read(project):
    for i in range(200):
        (project / "src" / "pkg" / f"m{i}.py").write_text(RUNAWAY.replace("coro)", f"coro, name='{i}')") + "#" * 500 + "\n")
    cold = findings(".", cwd=project)
    store = project / DIRNAME / STORE
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(store.read_bytes())
    assert len(data) > 40_000
    data[20_000:28_000] = b"\x5a" * 8000  # the middle of the file: the header still says SQLite
    store.write_bytes(bytes(data))
    result = run("check", "--select", "LSC", "--format", "json", "--exit-zero", ".", cwd=project)
    assert "rebuilding it" in result.stderr and result.stderr.count("warning") == 1
    assert sorted((f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.stdout)) == cold
    again = run("check", "--select", "LSC", "--format", "json", "--exit-zero", ".", cwd=project)
    assert "warning" not in again.stderr


def test_a_corrupt_store_is_rebuilt(project):
    findings(".", cwd=project)
    store = project / DIRNAME / STORE
    for name in (STORE + "-wal", STORE + "-shm"):
        (project / DIRNAME / name).unlink(missing_ok=True)
    store.write_bytes(b"this is not a database" * 100)
    _check_warns(project, "rebuilding it")
    assert findings(".", cwd=project)[0][3] == "LSC101"
    assert sqlite3.connect(store).execute("SELECT count(*) FROM entries").fetchone()[0] >= 1


def test_entries_that_cannot_be_read_are_misses(project):
    cold = findings(".", cwd=project)
    db = sqlite3.connect(project / DIRNAME / STORE)
    for value in ("{not json", "[1, 2]", '{"findings": 5}', '{"deps": {"x": 1}}', '{"findings": [], "deps": {"/nowhere.py": "0"}}'):
        db.execute("UPDATE entries SET value = ?", (value,))
        db.commit()
        assert findings(".", cwd=project) == cold
    db.close()


@pytest.mark.parametrize("writer, expect, kept", [("0.0.1", "rebuilding it", False), ("99.0", "newer lint-structured", True)])
def test_a_store_written_by_another_version(project, writer, expect, kept):
    findings(".", cwd=project)
    store = project / DIRNAME / STORE
    with sqlite3.connect(store) as db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'version'", (writer,))
    _check_warns(project, expect)
    with sqlite3.connect(store) as db:
        version = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0]
    assert version == (writer if kept else __version__)


def test_the_old_json_layout_is_replaced(project):
    old = project / DIRNAME / "0.0.9" / "ab"
    old.mkdir(parents=True)
    (project / DIRNAME / ".gitignore").write_text("# Created by lint-structured.\n*\n")
    (old / "abcdef.json").write_text('{"findings": []}')
    _check_warns(project, "older layout")
    assert not (project / DIRNAME / "0.0.9").exists()


def test_a_full_disk(project, monkeypatch):
    from lint_structured import cache

    connect = cache.Store._connect

    def tiny(self):
        db = connect(self)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow: SQLITE_FULL
        return db

    monkeypatch.setattr(cache.Store, "_connect", tiny)
    for i in range(60):  # more entries than the pages the store has
        (project / "src" / "pkg" / f"m{i}.py").write_text("async def f():\n    pass\n" * (i + 1))
    _check_warns(project, "full")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_cache_folder(project):
    findings(".", cwd=project)
    folder = project / DIRNAME
    (project / "src" / "pkg" / "new.py").write_text(RUNAWAY)
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    try:
        result = run("check", "--format", "json", "--exit-zero", ".", cwd=project)
        assert sorted(f["path"] for f in json.loads(result.stdout)) == ["src/pkg/bad.py", "src/pkg/new.py"]
        assert result.stderr.count("warning") <= 1
    finally:
        folder.chmod(0o755)


def test_a_store_that_refuses_writes(project, monkeypatch):
    """What a read-only folder does to SQLite (root ignores file modes, so it is simulated)."""
    from lint_structured import cache

    def refuse(self):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(cache.Store, "_connect", refuse)
    _check_warns(project, "readonly")
