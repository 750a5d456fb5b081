"""The light tree (``lighttree.py``) against LibCST's own parse.

``check`` and the flake8 plugin detect on nodes built from the ``ast`` tree;
``fix`` and ``check --show-fixes`` on LibCST's parse. One engine runs over
both, so the trees must agree in everything a rule reads, and the findings
(positions and messages included) must be identical.
"""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from conftest import ROOT, fixture_files
from lighttree_compare import differences
from lint_structured import engine, lighttree
from lint_structured.engine import lint_source
from lint_structured.settings import Settings

EVERYTHING = Settings(select=("LSC",), target_version=(3, 11))
STDLIB = Path(sysconfig.get_paths()["stdlib"])


def corpus() -> list[Path]:
    own = fixture_files() + sorted((ROOT / "benchmarks" / "detection").rglob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))
    own += sorted((ROOT / "tests" / "runtime").rglob("*.py"))
    stdlib = sorted((STDLIB / "asyncio").glob("*.py")) + sorted((STDLIB / "test" / "test_asyncio").glob("*.py"))
    return own + stdlib


def test_converted_trees_match_libcst_node_by_node():
    files = corpus()
    assert len(files) > 150
    for path in files:
        text = path.read_text(encoding="utf-8")
        light = lighttree.convert(ast.parse(text), text)
        assert differences(cst.parse_module(text), light.module) == [], path


SHAPES = '''\
import asyncio
from . import sibling as sib
from .. import *

@decorate(a, *b, key=1, **c)
class Worker(Base, metaclass=Meta):
    x: int = 1
    async def run(self, a, /, b=1, *args, c, d=2, **kw) -> None:
        if a: pass
        elif b: x = 1; y = 2
        else:
            if c:
                pass
        async with asyncio.timeout(1) as (t, u), other:
            await asyncio.sleep(0)
        async for item in stream():
            yield item
        try:
            pass
        except* (ValueError, TypeError) as group:
            raise RuntimeError from group
        else:
            pass
        finally:
            del x, y
        while (n := next(it)) is not None and not done:
            break
        else:
            continue
        values = [i async for i in a if i if j for q in r]
        table = {k: v for k, v in pairs} | {**base, "k": lambda q, *r, s=3: q}
        print(f"{value!r:>{width}} and {other}" "tail", m[a, b], m[(a, b)], m[a:b, ::2], m[1,], -x, ~y)
        nonlocal_things = global_things = (yield from gen()) if flag else ...
        assert a < b <= c != d, "message"
        global g
        x += 1; z: "AbstractEventLoop"
        return 1.5 + 2j - 0x10 @ matrix
'''


def test_converted_tree_matches_libcst_on_every_shape():
    light = lighttree.convert(ast.parse(SHAPES), SHAPES)
    assert differences(cst.parse_module(SHAPES), light.module, limit=50) == []


def test_the_comparison_sees_a_difference():
    """A converter that reads `elif` as `else: if` is caught."""
    real = cst.parse_module("if a:\n    pass\nelif b:\n    pass\n")
    other = "if a:\n    pass\nelse:\n    if b:\n        pass\n"
    wrong = lighttree.convert(ast.parse(other), other).module
    assert differences(real, wrong) == ["Module.body[0].orelse: If != Else"]


@pytest.mark.parametrize("path", corpus(), ids=lambda p: str(p.relative_to(p.parents[1])))
def test_findings_are_identical_on_both_trees(path, monkeypatch):
    """The tree built from ``ast`` and the one built from LibCST's parse (for syntax newer
    than this Python) give the same findings."""
    data = path.read_bytes()
    from_ast = lint_source(data, str(path), EVERYTHING)
    monkeypatch.setattr(engine, "_light_tree", lambda *args: None)
    from_libcst = lint_source(data, str(path), EVERYTHING)
    assert [f.to_dict() for f in from_ast] == [f.to_dict() for f in from_libcst]


MATCH = """\
match command:
    case 'go' | "run" if ready:
        pass
    case [first, *rest] | (first, *rest) | Point(x, y=0) | {"k": v, **others}:
        pass
    case None | True | -1 | a.b as whole:
        pass
    case 1, 2:
        pass
    case _:
        pass
"""


def test_match_statements_convert():
    light = lighttree.convert(ast.parse(MATCH), MATCH)
    assert differences(cst.parse_module(MATCH), light.module, limit=50) == []


def test_what_cannot_be_converted_falls_back_to_libcst(monkeypatch):
    def refuse(*args):
        raise lighttree.Unsupported("test")

    monkeypatch.setattr(lighttree, "convert", refuse)
    source = "import asyncio\n\nasync def main(job):\n    asyncio.create_task(job())\n"
    assert [(f.line, f.column, f.code) for f in lint_source(source, "x.py", EVERYTHING)] == [(4, 5, "LSC101")]


def test_positions_and_source_come_from_the_ast_tree():
    source = "import asyncio\n\nasync def f(c):\n    é = 'ü'; asyncio.create_task(c)\n"
    light = lighttree.convert(ast.parse(source), source)
    statement = light.module.body[1].body.body[0]
    call = statement.body[1].value
    assert light.span(call) == (4, 14, 4, 36)
    assert light.source(call.func) == "asyncio.create_task"
