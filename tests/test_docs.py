"""Code, docs and changelog agree."""

from __future__ import annotations

import ast
import re
import textwrap

import pytest

from conftest import ROOT
from lint_structured import __version__
from lint_structured.docs import render
from lint_structured.rules import ALL_RULES


def test_rules_reference_is_current():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render(), (
        "docs/rules.md is stale: run `python -m lint_structured.docs`"
    )


def test_every_rule_is_in_readme_and_changelog():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for rule in ALL_RULES:
        assert rule.code in readme and rule.name in readme
        assert rule.code in changelog


def test_rule_metadata_is_well_formed():
    codes = [r.code for r in ALL_RULES]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    for rule in ALL_RULES:
        assert re.fullmatch(r"LSC\d{3}", rule.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        for section in (rule.what_it_does, rule.why_bad, rule.example, rule.use_instead, rule.fix_safety):
            assert section.strip()
        for code in (rule.example, rule.use_instead):
            compile(textwrap.dedent(code), rule.code, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_documented_example_triggers_the_rule_and_use_instead_does_not(rule):
    """As Fixit does: the docs' examples are run, not only compiled."""
    from lint_structured.engine import lint_source
    from lint_structured.settings import Settings

    only = Settings(select=(rule.code,))
    example = textwrap.dedent(rule.example)
    assert rule.code in {f.code for f in lint_source(example, "example.py", only)}, f"{rule.code}'s example finds nothing"
    assert lint_source(textwrap.dedent(rule.use_instead), "example.py", only) == [], f"{rule.code}'s use-instead is reported"


def test_quick_start_has_two_sh_blocks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"^```sh$", section, flags=re.M)) == 2


def test_version_is_single_sourced():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{__version__}"' in pyproject


def test_static_codes_match_the_registry():
    from lint_structured import codes
    from lint_structured.docs import render_codes

    assert (ROOT / "lint_structured" / "codes.py").read_text(encoding="utf-8") == render_codes(), (
        "codes.py is stale: run `python -m lint_structured.docs`"
    )
    assert codes.ALL_CODES == tuple(rule.code for rule in ALL_RULES)
    assert codes.DEFAULT_OFF == {rule.code for rule in ALL_RULES if not rule.default_enabled}


def test_light_classes_match_their_generator():
    from lint_structured import gen_nodes

    assert (ROOT / "lint_structured" / "light_classes.py").read_text(encoding="utf-8") == gen_nodes.render(), (
        "light_classes.py is stale: run `python -m lint_structured.docs`"
    )


def test_a_rule_is_its_module_and_one_registry_line():
    # Every rule module under rules/ is imported by the registry, and every rule it
    # defines is registered with a fixer that exists (or none).
    import importlib

    from lint_structured.fixers import FIXERS

    registry = (ROOT / "lint_structured" / "rules" / "__init__.py").read_text(encoding="utf-8")
    for module in sorted((ROOT / "lint_structured" / "rules").glob("*.py")):
        if module.stem == "__init__":
            continue
        # A module that defines a rule (a class with a `code`) is registered; one that only
        # holds what rules share (base, handler_paths, ...) is not.
        tree = ast.parse(module.read_text(encoding="utf-8"))
        defines_rule = any(
            isinstance(node, ast.ClassDef)
            and any(isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code" for t in s.targets) for s in node.body)
            for node in tree.body
        )
        registered = f"    {module.stem},\n" in registry
        assert registered == defines_rule, f"{module.stem}: defines a rule {defines_rule}, registered {registered}"
    for rule in ALL_RULES:
        if rule.fixer is None:
            assert rule.code not in FIXERS
        else:
            assert FIXERS[rule.code] is importlib.import_module(f"lint_structured.fixers.{rule.fixer}").plan


def test_every_rule_has_a_row_in_the_fixes_table():
    from lint_structured.fixers import FIXERS

    fixes = (ROOT / "docs" / "fixes.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip() for line in fixes.splitlines() if line.startswith("| LSC")}
    for rule in ALL_RULES:
        row = next((r for r in rows if rule.code in r), None)
        assert row is not None and rule.name in row, f"{rule.code} {rule.name} has no row in docs/fixes.md"
        if rule.code not in FIXERS:
            assert f"| {row} | none:" in fixes, f"{rule.code} has no fixer; its row must say so"
