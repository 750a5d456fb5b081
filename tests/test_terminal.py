"""The terminal: colour follows --color, NO_COLOR and FORCE_COLOR and changes nothing but
the escapes; `explain` reads as text; the progress line shows only to a person."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner

from lint_structured.cli import main
from lint_structured.rules import ALL_RULES
from lint_structured.terminal import PLAIN, Palette, Progress, colour_wanted, highlight_python, progress_wanted, render_markdown

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
RUNAWAY = "import asyncio\n\n\nasync def f(coro):\n    asyncio.create_task(coro)\n    asyncio.sleep(1)\n"


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("NO_COLOR", "FORCE_COLOR", "CI", "TERM"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"TERM": "dumb"}, True, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # empty is unset, as no-color.org says
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, True, False),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_when_there_is_colour(clean_env: pytest.MonkeyPatch, choice: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert colour_wanted(choice, Stream(tty)) is expected  # type: ignore[arg-type]


def _check(tmp_path, *args: str, env: dict[str, str] | None = None) -> str:
    (tmp_path / "app.py").write_text(RUNAWAY)
    result = CliRunner().invoke(main, ["check", "--no-cache", *args, str(tmp_path / "app.py")], env=env, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.output


def test_colour_changes_only_the_escapes(tmp_path, clean_env) -> None:
    plain = _check(tmp_path, "--show-fixes")
    coloured = _check(tmp_path, "--show-fixes", "--color", "always")
    assert not ESCAPE.search(plain)
    assert ESCAPE.search(coloured)
    assert ESCAPE.sub("", coloured) == plain
    assert "\x1b[1;31mLSC101\x1b[0m" in coloured


def test_colour_from_the_environment(tmp_path, clean_env) -> None:
    assert ESCAPE.search(_check(tmp_path, env={"FORCE_COLOR": "1"}))
    assert not ESCAPE.search(_check(tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}))
    assert not ESCAPE.search(_check(tmp_path))  # the test runner's output is not a terminal


def test_machine_formats_are_never_coloured(tmp_path, clean_env) -> None:
    for output_format in ("json", "sarif", "github"):
        out = _check(tmp_path, "--format", output_format, "--color", "always")
        assert not ESCAPE.search(out), output_format
    json.loads(_check(tmp_path, "--format", "json", env={"FORCE_COLOR": "1"}))


def test_a_coloured_diff(tmp_path, clean_env) -> None:
    (tmp_path / "app.py").write_text(RUNAWAY)
    result = CliRunner().invoke(main, ["fix", "--diff", "--no-cache", "--color", "always", str(tmp_path / "app.py")], catch_exceptions=False)
    assert "\x1b[32m+" in result.output and "\x1b[31m-" in result.output
    plain = CliRunner().invoke(main, ["fix", "--diff", "--no-cache", str(tmp_path / "app.py")], catch_exceptions=False)
    assert ESCAPE.sub("", result.output) == plain.output


def test_explain_reads_as_text(clean_env) -> None:
    result = CliRunner().invoke(main, ["explain", "LSC101"], catch_exceptions=False)
    text = result.output
    assert result.exit_code == 0
    assert text.startswith("LSC101 dropped-task\n===================\n")
    assert "\n## " not in text and "```" not in text and "**" not in text
    assert "\nWhy is this bad?\n----------------\n" in text
    assert "\n    async def handle(request):\n" in text  # code blocks indented
    assert "`asyncio.create_task(...)`" in text  # inline code keeps its marks in plain text
    markdown = CliRunner().invoke(main, ["explain", "LSC101", "--format", "markdown"], catch_exceptions=False).output
    assert markdown.rstrip("\n") == next(r for r in ALL_RULES if r.code == "LSC101").documentation()


def test_explain_in_colour(clean_env) -> None:
    text = CliRunner().invoke(main, ["explain", "LSC301", "--color", "always"], catch_exceptions=False).output
    assert "\x1b[1;35masync\x1b[0m \x1b[1;35mdef\x1b[0m" in text  # keywords in code blocks
    assert "`" not in ESCAPE.sub("", text.split("Example")[0])  # inline code marked by colour instead


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_highlighting_keeps_every_character(rule) -> None:
    for code in (rule.example, rule.use_instead):
        assert ESCAPE.sub("", highlight_python(code, Palette(True))) == code
    coloured = ESCAPE.sub("", render_markdown(rule.documentation(), Palette(True)))
    for line in render_markdown(rule.documentation(), PLAIN).splitlines():
        if line.startswith("    "):  # code: the same with or without colour
            assert line in coloured.splitlines()


def test_code_that_does_not_tokenize_is_left_plain() -> None:
    assert highlight_python("def f(:\n  '''open", Palette(True)) == "def f(:\n  '''open"


def test_progress_shows_only_to_a_person(clean_env) -> None:
    stream = Stream(True)
    progress = Progress("Checking", 200, enabled=True, stream=stream, delay=0)  # type: ignore[arg-type]
    progress.update(10)
    assert stream.getvalue() == "\rChecking 10/200 files"
    progress.finish()
    assert stream.getvalue().endswith("\r" + " " * len("Checking 10/200 files") + "\r")
    quiet = Stream(True)
    Progress("Checking", 200, enabled=False, stream=quiet, delay=0).update(10)  # type: ignore[arg-type]
    assert quiet.getvalue() == ""
    assert progress_wanted("text", Stream(True))  # type: ignore[arg-type]
    assert not progress_wanted("text", Stream(False))  # type: ignore[arg-type]
    assert not progress_wanted("json", Stream(True))  # type: ignore[arg-type]
    assert not progress_wanted("sarif", Stream(True))  # type: ignore[arg-type]
    clean_env.setenv("CI", "true")
    assert not progress_wanted("text", Stream(True))  # type: ignore[arg-type]


def test_no_progress_in_a_pipe(tmp_path, clean_env) -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path)], catch_exceptions=False)
    assert "\r" not in result.output
