"""The fixers find every reported node in LibCST's tree (``fixers/twins.py``), on the
shapes where the light tree and LibCST's differ: logical lines over a backslash,
f-strings (LibCST has nodes for their text, the light tree does not), implicit
concatenations, and syntax newer than this Python (the light tree is then built
from LibCST's parse). Each source here once made ``fix`` stop on the whole file
or lose a finding (found by a review against the previous design)."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst
import pytest

from lighttree_compare import differences
from lint_structured import engine, fixers, lighttree
from lint_structured.fixers.apply import fix_source
from lint_structured.settings import Settings

EVERYTHING = Settings(select=("LSC",))

#: name -> source; each has at least one finding.
SHAPES = {
    "backslash_joins_statements": """
        import asyncio

        x = 1; \\
        y = 2


        async def main(job):
            a = 1; \\
                b = 2
            asyncio.create_task(job())
        """,
    "suite_over_lines": """
        import asyncio


        async def main(job, flag, x):
            if flag: x = (
                1); asyncio.create_task(job())
            if x: \\
                asyncio.create_task(job())
        """,
    "inside_f_strings": """
        import asyncio


        async def a():
            return 1


        async def main(log, connect, job):
            log.info(f"results: {await asyncio.gather(a(), a())}")
            log.info(f"r {await asyncio.gather(a(), a())}" "tail")
            log.info(f"{a():>{await asyncio.gather(a(), a())}}")
            async with connect() as conn:
                asyncio.create_task(job(conn))
                log.info(f"started {asyncio.create_task(job(conn))}")
        """,
}

#: Syntax this Python cannot parse with ``ast`` (3.12's `type`, 3.14's t-strings): the
#: light tree comes from LibCST's parse.
NEWER = {
    "type_alias_on_a_shared_line": """
        import asyncio


        async def main(job):
            type X = int; asyncio.create_task(job())
            t = asyncio.create_task(job())
        """,
    "concatenated_f_string": """
        import asyncio

        type X = int


        async def a():
            return 1


        async def main(log):
            log.info(f"r {await asyncio.gather(a(), a())}" "tail")
        """,
    "t_string": """
        import asyncio


        async def main(job, log, name):
            log.info(t"hello {name}")
            asyncio.create_task(job())
        """,
}


def _source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_the_light_tree_has_libcst_s_statement_shape(name):
    source = _source(SHAPES[name])
    light = lighttree.convert(ast.parse(source), source)
    assert differences(cst.parse_module(source), light.module, limit=20) == []


@pytest.mark.parametrize("name", sorted(SHAPES) + sorted(NEWER))
def test_every_reported_node_has_its_libcst_twin(name):
    source = _source({**SHAPES, **NEWER}[name])
    analysed = fixers.analyse(source, "m.py", EVERYTHING)
    assert analysed.pairs, "each shape has a finding"
    for finding, report in analysed.pairs:
        assert isinstance(report.node, cst.CSTNode), finding
        assert "no counterpart" not in (finding.fix.message if finding.fix else "")


@pytest.mark.parametrize("name", sorted(SHAPES) + sorted(NEWER))
def test_fix_never_stops_on_the_file(name):
    source = _source({**SHAPES, **NEWER}[name])
    result = fix_source(source.encode(), "m.py", EVERYTHING, unsafe=True)
    assert all("internal error" not in reason for _, reason in result.remaining)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_both_ways_of_building_the_tree_find_the_same(name, monkeypatch):
    source = _source(SHAPES[name])
    from_ast = engine.lint_source(source, "m.py", EVERYTHING)
    monkeypatch.setattr(engine, "_light_tree", lambda *args: None)  # built from LibCST's parse
    assert engine.lint_source(source, "m.py", EVERYTHING) == from_ast


def test_newer_syntax_keeps_its_findings():
    # Opaque stand-ins keep the t-string's and the alias's places: the rest of the line
    # and the function are still read.
    codes = {name: [f.code for f in engine.lint_source(_source(text), "m.py", EVERYTHING)] for name, text in NEWER.items()}
    assert codes == {
        "type_alias_on_a_shared_line": ["LSC101", "LSC102"],
        "concatenated_f_string": ["LSC204"],
        "t_string": ["LSC101"],
    }
