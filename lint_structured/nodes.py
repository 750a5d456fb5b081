"""The syntax-tree node classes the rules read, without LibCST.

The rules, the shared analysis and the flow analysis were written against
LibCST's node classes, and they still run over LibCST's own trees when
fixes are planned. For detection alone they run over the light trees of
``lighttree.py``, built from ``ast`` with the classes below: the same names,
the same fields (except those that hold only tokens and whitespace), plain
``__slots__`` classes with no validation. So ``check`` never imports LibCST
(its node classes alone take a fifth of a second to import).

Detection code refers to node classes through this module
(``from lint_structured import nodes as cst``). Until LibCST is loaded, each
name is the light class; ``enable_libcst()`` (called by the engine before it
parses with LibCST) rebinds each to the pair of the light class and
LibCST's, so ``isinstance(node, cst.Call)`` holds for both trees.
"""

from __future__ import annotations


#: Fields that hold only tokens and whitespace (commas, parentheses, operators, ...): no rule
#: looks into them; light nodes do not have them.
TOKEN_PREFIXES = (
    "whitespace",
    "leading_lines",
    "lines_after",
    "lpar",
    "rpar",
    "comma",
    "semicolon",
    "header",
    "footer",
    "colon",
    "equal",
    "star",
    "dot",
    "lbracket",
    "rbracket",
    "lbrace",
    "rbrace",
    "operator",
    "arrow",
    "indent",
    "newline",
    "trailing",
    "asynchronous",
    "default_indent",
    "default_newline",
    "encoding",
    "has_trailing_newline",
)


from lint_structured import light_classes
from lint_structured.light_classes import *  # noqa: F401,F403 - the node classes are this module's names
from lint_structured.light_classes import LIGHT

#: The light tree's base class, whatever ``enable_libcst`` does to ``CSTNode``.
LightNode = light_classes.CSTNode
LIGHT_TYPES = frozenset(LIGHT.values())
#: LibCST's abstract classes that the analysis names too.
_ABSTRACT = ("CSTNode", "BaseExpression", "BaseStatement", "BaseSmallStatement", "BaseSuite")

_enabled = False
#: type -> whether it is a node class (``syntax.is_node``); cleared when LibCST's classes join.
IS_NODE: dict[type, bool] = {}


def enable_libcst() -> None:
    """Make every name here match LibCST's class too (for analyses of LibCST's trees)."""
    global _enabled
    if _enabled:
        return
    import libcst

    for name in [*LIGHT, *_ABSTRACT]:
        globals()[name] = (getattr(light_classes, name), getattr(libcst, name))
    IS_NODE.clear()
    _enabled = True


def fields_of(kind: type) -> tuple[str, ...]:
    """The child-bearing fields of a node class, light or LibCST's, in declaration order."""
    light: tuple[str, ...] | None = getattr(kind, "_fields_", None)
    if light is not None and kind in LIGHT_TYPES:
        return light
    import dataclasses

    return tuple(f.name for f in dataclasses.fields(kind))
