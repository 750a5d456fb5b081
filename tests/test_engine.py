"""Engine behaviour that is not a rule's: prefilter, noqa, errors, settings."""

from __future__ import annotations

import pickle
import re
import sys

import pytest

from lint_structured.engine import could_have_findings, lint_source, noqa_codes
from lint_structured.model import SourceError
from lint_structured.rules import ALL_RULES
from lint_structured.settings import ConfigError, Settings, settings_from_mapping

SRC = "import asyncio\n\nasync def f(c):\n    asyncio.create_task(c)\n"


def test_prefilter_skips_files_without_spawner_words():
    from lint_structured.rules import RULES_BY_CODE

    task_rules = [RULES_BY_CODE[c] for c in ("LSC102", "LSC103")]
    plain_async = "import asyncio\nasync def f():\n    await g()\n"
    assert not could_have_findings(plain_async, task_rules, Settings())
    # LSC101 also reads async code: a project helper that returns the task it starts is
    # called where no spawner's name is written.
    assert could_have_findings(plain_async, [RULES_BY_CODE["LSC101"]], Settings())
    assert not could_have_findings("def f():\n    return 1\n", [RULES_BY_CODE["LSC101"]], Settings())
    assert could_have_findings(plain_async, [RULES_BY_CODE["LSC301"]], Settings())
    assert not could_have_findings("print(len('hello'))\n", ALL_RULES, Settings())
    assert lint_source("import os\nprint(os.getcwd())\n", "x.py") == []  # the ast stage decides
    assert could_have_findings(SRC, ALL_RULES, Settings())
    assert could_have_findings(b"x.spawn_later(1)", ALL_RULES, Settings(extra_spawners=("lib.spawn_later",)))


def test_prefilter_stops_a_file_before_any_tree_is_built(monkeypatch):
    import lint_structured.engine as engine

    def no_tree(*args, **kwargs):
        pytest.fail("built a tree for a file the prefilter should stop")

    monkeypatch.setattr(engine, "parse", no_tree)
    monkeypatch.setattr(engine, "_light_tree", no_tree)
    assert lint_source("print('hello')\n", "x.py") == []  # the text stage stops it
    assert lint_source("import os\nprint(os.getcwd())\n", "x.py", Settings(select=("LSC3",))) == []  # the ast stage


def test_findings_are_plain_picklable_data():
    from lint_structured import fixers

    findings = fixers.lint(SRC, "x.py", Settings(target_version=(3, 11)))
    assert findings and pickle.loads(pickle.dumps(findings)) == findings
    assert findings[0].to_dict()["fix"]["applicability"] in ("safe", "unsafe")
    assert pickle.loads(pickle.dumps(findings))[0].fix == findings[0].fix


def test_noqa_parsing_matches_flake8():
    assert noqa_codes("x  # noqa") == frozenset()
    assert noqa_codes("x  # NOQA:LSC101,E501") == {"LSC101", "E501"}
    assert noqa_codes("x  # noqa: LSC1") == {"LSC1"}
    assert noqa_codes("x") is None


def test_noqa_for_another_code_does_not_suppress():
    src = SRC.replace("create_task(c)", "create_task(c)  # noqa: LSC102")
    assert [f.code for f in lint_source(src, "x.py")] == ["LSC101"]
    assert lint_source(src.replace("LSC102", "LSC10"), "x.py") == []
    assert [f.code for f in lint_source(src.replace("LSC102", "LSC10"), "x.py", apply_noqa=False)] == ["LSC101"]


def test_syntax_error_is_a_source_error():
    with pytest.raises(SourceError, match="syntax error"):
        lint_source("asyncio.create_task(\n", "x.py")


def test_bytes_with_bom_and_crlf():
    data = b"\xef\xbb\xbf" + SRC.replace("\n", "\r\n").encode()
    assert [(f.line, f.column) for f in lint_source(data, "x.py")] == [(4, 5)]


def test_latin1_cookie():
    data = "# -*- coding: latin-1 -*-\n# café\n".encode("latin-1") + SRC.encode()
    assert [f.line for f in lint_source(data, "x.py")] == [6]


def test_per_file_ignores_and_select():
    s = settings_from_mapping({"per-file-ignores": {"tests/*": ["LSC1"]}}, [r.code for r in ALL_RULES], "t", root="/p")
    assert s.ignored_in_file("LSC101", "/p/tests/test_x.py")
    assert not s.ignored_in_file("LSC101", "/p/src/x.py")
    assert lint_source(SRC, "/p/tests/test_x.py", s) == []
    assert Settings(select=("LSC1",), ignore=("LSC101",)).is_selected("LSC102")
    assert not Settings(select=("LSC1",), ignore=("LSC101",)).is_selected("LSC101")
    assert Settings(select=("LSC101",), ignore=("LSC1",)).is_selected("LSC101")


@pytest.mark.parametrize(
    "table, message",
    [
        ({"selct": []}, "unknown key 'selct'"),
        ({"select": ["LSC9"]}, "unknown rule selector 'LSC9'"),
        ({"select": "LSC1"}, "must be a list of strings"),
        ({"target-version": "py2"}, "target-version"),
    ],
)
def test_config_errors(table, message):
    with pytest.raises(ConfigError, match=message):
        settings_from_mapping(table, [r.code for r in ALL_RULES], "pyproject.toml")


def test_form_feed_does_not_shift_lines_for_noqa():
    src = "import asyncio\n\x0c\nasync def f(c):\n    asyncio.create_task(c)  # noqa: LSC101\n"
    assert lint_source(src, "x.py") == []
    assert [f.line for f in lint_source(src, "x.py", apply_noqa=False)] == [4]


def test_deeply_nested_code_is_analysed_or_reported(tmp_path):
    deep_calls = "import asyncio\nasyncio.create_task(" + "f(" * 400 + ")" * 400 + ")\n"
    try:
        findings = lint_source(deep_calls, "x.py")
    except SourceError as exc:
        assert "nested" in str(exc)
    else:
        assert [f.code for f in findings] == ["LSC101"]
    deep_ifs = "import asyncio\nasync def f():\n" + "".join("    " * (i + 1) + f"if x{i}:\n" for i in range(90))
    deep_ifs += "    " * 91 + "asyncio.create_task(g())\n"
    assert [(f.line, f.column) for f in lint_source(deep_ifs, "x.py")] == [(93, 365)]


@pytest.mark.parametrize("pattern", ["jobs.*", "jobs.spawn_*", "*.spawn_later", "jobs.spawn_later"])
def test_extra_spawner_globs(pattern):
    src = "from jobs import spawn_later\n\ndef f(c):\n    spawn_later(c)\n    other(c)\n"
    settings = Settings(extra_spawners=(pattern,))
    assert [(f.line, f.code) for f in lint_source(src, "x.py", settings)] == [(4, "LSC101")]


@pytest.mark.parametrize(
    "source, reason",
    [
        (b"import asyncio\nx = 1\x00\n", "contains NUL bytes"),
        ('print "hello"\nasyncio.create_task(x)\n', "syntax error at line 1, column 1: Missing parentheses"),
        ("async def f(:\n    asyncio.create_task(x)\n", "syntax error at line 1"),
        (b"import asyncio\n# caf\xe9\nasyncio.create_task(x)\n", "cannot decode as utf-8"),
        (b"# coding: nonsense\nasyncio.create_task(x)\n", "unknown encoding: nonsense"),
    ],
)
def test_bad_input_reasons(source, reason):
    with pytest.raises(SourceError, match=re.escape(reason)):
        lint_source(source, "x.py")


def test_fast_positions_equal_libcst_positions(monkeypatch):
    """The light tree's positions (from ``ast``) are exactly those of LibCST's
    PositionProvider, which the tree built from LibCST's parse (for syntax newer than
    this Python) reports. The fast path may not lean on the provider: it is what it
    is compared with."""
    import libcst.metadata

    import lint_structured.engine as engine
    from conftest import fixture_files

    everything = Settings(select=("LSC",))
    sources = [(path, path.read_bytes()) for path in fixture_files()]

    def positions() -> list[list[tuple]]:
        return [
            [(f.line, f.column, f.end_line, f.end_column, f.code) for f in lint_source(data, str(path), everything)]
            for path, data in sources
        ]

    resolve = libcst.metadata.MetadataWrapper.resolve

    def guarded(self, provider):
        if provider is libcst.metadata.PositionProvider:
            pytest.fail("the light tree fell back on LibCST's PositionProvider")
        return resolve(self, provider)

    with monkeypatch.context() as patch:
        patch.setattr(libcst.metadata.MetadataWrapper, "resolve", guarded)
        light = positions()
    monkeypatch.setattr(engine, "_light_tree", lambda *args: None)  # built from LibCST's parse
    truth = positions()
    assert sum(map(len, truth)) > 100
    assert light == truth


def test_positions_count_characters_not_bytes():
    src = "import asyncio\n\nasync def f(c):\n    é = 'ü'; asyncio.create_task(c)\n"
    (finding,) = lint_source(src, "x.py")
    # 13 characters (17 UTF-8 bytes) stand before `asyncio` on that line.
    assert (finding.line, finding.column, finding.end_column) == (4, 14, 36)


def test_syntax_prefilter_never_hides_a_finding(monkeypatch):
    """The ast stage over-approximates the rules: switching it off changes no result."""
    import lint_structured.prefilter as prefilter
    from conftest import ROOT, fixture_files

    everything = Settings(select=("LSC",))
    files = fixture_files() + sorted((ROOT / "benchmarks" / "detection").rglob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))
    with_stage = [lint_source(p.read_bytes(), str(p), everything) for p in files]
    monkeypatch.setattr(prefilter, "syntax_passes", lambda *args: True)
    without = [lint_source(p.read_bytes(), str(p), everything) for p in files]
    assert sum(map(len, with_stage)) > 300
    assert with_stage == without


def test_syntax_prefilter_skips_files_without_candidates():
    import ast

    from lint_structured.prefilter import syntax_passes

    codes = Settings().active_codes("x.py")
    plain = ast.parse('"""Talks about async and timeout in prose."""\ntry:\n    x = 1\nexcept:\n    pass\n')
    assert not syntax_passes(plain, codes, Settings())
    assert syntax_passes(ast.parse("from asyncio import gather as run_all\n"), ("LSC201",), Settings())
    assert syntax_passes(ast.parse("async def f():\n    with s(E):\n        pass\nfrom contextlib import suppress as s\n"), ("LSC401",), Settings())
    assert syntax_passes(ast.parse("spawn_later(c)\n"), ("LSC101",), Settings(extra_spawners=("jobs.spawn_*",)))


@pytest.mark.parametrize(
    "spec, expected",
    [
        (">=3.9", (3, 9)),
        (">= 3.10, <4", (3, 10)),
        ("~=3.11", (3, 11)),
        ("==3.12.*", (3, 12)),
        (">3.8", (3, 8)),  # 3.8.1 is allowed
        ("!=3.9.*, >=3.8", (3, 8)),
        (">=2.7, !=3.0.*, !=3.1.*", (3, 2)),
        ("not a specifier", None),
    ],
)
def test_target_version_is_the_lowest_python_3_that_requires_python_allows(tmp_path, spec, expected):
    from lint_structured.settings import clear_caches, target_for

    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\nrequires-python = "{spec}"\n')
    clear_caches()
    running = sys.version_info[:2]  # what an unreadable specifier leaves
    assert target_for(Settings(), str(tmp_path / "m.py")) == (expected or running)
