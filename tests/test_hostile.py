"""Hostile input: every bad file is named with a reason, the run goes on, no traceback."""

from __future__ import annotations

import json
import os
import sys

import pytest
from click.testing import CliRunner

from lint_structured.cli import main

FINDING = "import asyncio\n\n\nasync def f(coro):\n    asyncio.create_task(coro)\n"


def write_hostile_tree(root):
    bad = {
        "syntax_error.py": b"def f(:\n    asyncio.create_task(x)\n",
        "python2.py": b'print "hello"\nasyncio.create_task(x)\n',
        "not_utf8.py": b"import asyncio\nname = '\xff\xfe'\nasyncio.create_task(x)\n",
        "nul_bytes.py": b"import asyncio\nx = 1\x00\n",
        "binary.py": bytes(range(256)) * 8,
        "tabs_and_spaces.py": b"import asyncio\nif True:\n\tx = 1\n        asyncio.create_task(x)\n",
        "bad_cookie.py": b"# -*- coding: no-such-codec -*-\nimport asyncio\n",
    }
    for name, data in bad.items():
        (root / name).write_bytes(data)
    good = {
        "latin1.py": "# -*- coding: latin-1 -*-\n# café\n".encode("latin-1") + FINDING.encode(),
        "cp1252.py": "# -*- coding: cp1252 -*-\n# “quoted”\n".encode("cp1252") + FINDING.encode(),
        "bom_crlf.py": b"\xef\xbb\xbf" + FINDING.replace("\n", "\r\n").encode(),
        "empty.py": b"",
        "deep_ifs.py": ("import asyncio\nasync def f():\n" + "".join("    " * (i + 1) + f"if x{i}:\n" for i in range(90)) + "    " * 91 + "asyncio.create_task(g())\n").encode(),
        "huge.py": ("x = 1\n" * 60_000 + FINDING).encode(),
        "modern.py": (
            "import asyncio\n\ntype Alias = int\n\n\ndef first[T](items: list[T]) -> T:\n    return items[0]\n\n\n"
            "async def f(command, coro):\n    match command:\n        case 'go':\n            asyncio.create_task(coro)\n"
        ).encode(),
    }
    for name, data in good.items():
        (root / name).write_bytes(data)
    (root / "directory.py").mkdir()
    os.symlink("loop_b.py", root / "loop_a.py")
    os.symlink("loop_a.py", root / "loop_b.py")
    return set(bad), {"latin1.py": 7, "cp1252.py": 7, "bom_crlf.py": 5, "deep_ifs.py": 93, "huge.py": 60_005, "modern.py": 13}


def assert_no_crash(result) -> None:
    """The command ended by itself (click's SystemExit), printed no traceback and hit no
    internal error: every bad file was handled as bad input."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert "internal error" not in result.stderr, result.stderr


def test_a_crash_is_caught_by_the_no_crash_check(tmp_path, monkeypatch):
    """The check above must fail on a crash and on an internal error (it guards the tests below)."""
    import lint_structured.engine as engine

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text(FINDING)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "_analyse_source", broken)
    caught = CliRunner().invoke(main, ["check", "--no-cache", "a.py"])  # the CLI turns it into an internal error
    with pytest.raises(AssertionError):
        assert_no_crash(caught)
    monkeypatch.setattr("lint_structured.cli.analyse_one", broken)
    crashed = CliRunner().invoke(main, ["check", "--no-cache", "a.py"])  # nothing catches it
    with pytest.raises(AssertionError):
        assert_no_crash(crashed)


def test_hostile_tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tree = tmp_path / "tree"
    tree.mkdir()
    bad, good = write_hostile_tree(tree)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "tree"])
    assert_no_crash(result)
    assert result.exit_code == 1
    errors = {line.split(": error: ")[0]: line for line in result.stderr.splitlines() if ": error: " in line}
    for name in bad | {"loop_a.py", "loop_b.py"}:
        assert os.path.join("tree", name) in errors, (name, result.stderr)
    assert "cannot decode as utf-8" in errors[os.path.join("tree", "not_utf8.py")]
    assert "NUL bytes" in errors[os.path.join("tree", "nul_bytes.py")]
    assert "Missing parentheses" in errors[os.path.join("tree", "python2.py")]
    assert "unknown encoding" in errors[os.path.join("tree", "bad_cookie.py")]
    assert "cannot read" in errors[os.path.join("tree", "loop_a.py")]
    found = {os.path.basename(f["path"]): f["line"] for f in json.loads(result.stdout)}
    assert found == good


def test_deeply_nested_parentheses_do_not_crash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # 300 levels: more than CPython's own parser accepts (200); LibCST does.
    (tmp_path / "parens.py").write_text("import asyncio\n" + "(" * 300 + "asyncio.create_task(g())" + ")" * 300 + "\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "parens.py"])
    assert_no_crash(result)
    assert result.exit_code in (1, 2)
    assert "parens.py:2:301: LSC101" in result.output or "parens.py: error:" in result.output


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.py").write_text(FINDING)
    (tmp_path / "secret.py").chmod(0)
    (tmp_path / "open.py").write_text(FINDING)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "."])
    assert "secret.py: error: cannot read" in result.stderr
    assert [f["path"] for f in json.loads(result.stdout)] == ["open.py"]


def test_only_bad_files_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.py").write_bytes(b"def f(:\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "broken.py"])
    assert result.exit_code == 2 and "broken.py: error: syntax error" in result.stderr


def test_fix_on_hostile_tree(tmp_path, monkeypatch):
    """fix names every bad file, leaves it byte-identical, and fixes the good ones in their own encoding."""
    monkeypatch.chdir(tmp_path)
    tree = tmp_path / "tree"
    tree.mkdir()
    bad, good = write_hostile_tree(tree)
    (tree / "huge.py").unlink()  # checked by test_hostile_tree; three parses of it here add nothing
    before = {p.name: p.read_bytes() for p in tree.iterdir() if p.is_file() and not p.is_symlink()}
    result = CliRunner().invoke(main, ["fix", "--no-cache", "--unsafe-fixes", "tree"])
    assert_no_crash(result)
    assert result.exit_code == 1
    for name in bad | {"loop_a.py", "loop_b.py"}:
        assert f"{os.path.join('tree', name)}: error: " in result.stderr, (name, result.stderr)
    for name in bad:
        assert (tree / name).read_bytes() == before[name]
    latin1 = (tree / "latin1.py").read_bytes()
    assert latin1.startswith("# -*- coding: latin-1 -*-\n# café\n".encode("latin-1"))
    assert b"_keep_background_task(asyncio.create_task(coro))" in latin1
    cp1252 = (tree / "cp1252.py").read_bytes()
    assert "# “quoted”".encode("cp1252") in cp1252 and b"_keep_background_task(asyncio.create_task(coro))" in cp1252
    bom = (tree / "bom_crlf.py").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf") and b"_keep_background_task(asyncio.create_task(coro))" in bom
    assert bom.count(b"\n") == bom.count(b"\r\n"), "the added helper keeps the file's line endings"
    assert b"\n" not in bom.replace(b"\r\n", b""), "every line ending stays CRLF"
    for name in ("latin1.py", "cp1252.py", "bom_crlf.py", "deep_ifs.py"):
        compile((tree / name).read_bytes(), name, "exec")
    # Python 3.12 syntax: this Python cannot compile the fixed code to verify it, so it is left alone.
    assert (tree / "modern.py").read_bytes() == before["modern.py"]
    assert "modern.py:13:13: LSC101 [dropped-task] not fixed: the file does not compile with this Python" in result.output
    assert (tree / "empty.py").read_bytes() == b""
    again = CliRunner().invoke(main, ["fix", "--no-cache", "--unsafe-fixes", "tree"])
    assert "Fixed" not in again.output
