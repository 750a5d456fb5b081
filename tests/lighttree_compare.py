"""Node-by-node comparison of a converted tree with LibCST's own (used by tests/test_lighttree.py)."""

from __future__ import annotations

import libcst as cst

from lint_structured.nodes import LightNode as Node
from lint_structured.walk import _fields

_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_STRING_NAMES = {kind.__name__ for kind in _STRINGS}


def _kind(value: object) -> str:
    """The class name, with LibCST's "no value here" sentinel the same as None."""
    return "NoneType" if isinstance(value, cst.MaybeSentinel) else type(value).__name__


def differences(real: cst.CSTNode, light: cst.CSTNode, path: str = "", limit: int = 5) -> list[str]:
    """Where ``light`` differs from ``real`` in anything the rules can read."""
    out: list[str] = []
    stack = [(real, light, path or type(real).__name__)]
    while stack and len(out) < limit:
        a, b, where = stack.pop()
        if isinstance(a, _STRINGS) and type(b).__name__ in _STRING_NAMES:
            continue  # implicit concatenation is one string node in the light tree
        if type(a).__name__ != type(b).__name__:
            out.append(f"{where}: {type(a).__name__} != {type(b).__name__}")
            continue
        for attr in ("value", "star"):
            va, vb = getattr(a, attr, None), getattr(b, attr, None)
            if isinstance(va, str) and va != vb and not isinstance(a, (cst.Integer, cst.Float, cst.Imaginary)):
                out.append(f"{where}.{attr}: {va!r} != {vb!r}")
        for attr in ("asynchronous", "operator"):
            va, vb = getattr(a, attr, None), getattr(b, attr, None)
            if _kind(va) != _kind(vb):
                out.append(f"{where}.{attr}: {_kind(va)} != {_kind(vb)}")
        if isinstance(a, cst.Parameters):
            for attr in ("star_arg", "star_kwarg"):
                va, vb = getattr(a, attr), getattr(b, attr)
                if isinstance(va, cst.CSTNode) and isinstance(vb, Node):
                    stack.append((va, vb, f"{where}.{attr}"))
                elif _kind(va) != _kind(vb):
                    out.append(f"{where}.{attr}: {_kind(va)} != {_kind(vb)}")
        if isinstance(a, cst.ImportFrom) and len(a.relative) != len(b.relative):
            out.append(f"{where}.relative: {len(a.relative)} != {len(b.relative)}")
        for name in _fields(type(a)):
            if isinstance(a, cst.MatchOrElement) and name == "separator":
                continue  # a `|` token
            if isinstance(a, cst.FormattedStringExpression) and name == "format_spec":
                continue
            va, vb = getattr(a, name), getattr(b, name, "<unset>")
            if isinstance(va, cst.CSTNode):
                if isinstance(va, (cst._nodes.whitespace.BaseParenthesizableWhitespace, cst.Colon, cst.TrailingWhitespace, cst.EmptyLine)):
                    continue
                if not isinstance(vb, Node):
                    out.append(f"{where}.{name}: {type(va).__name__} != {vb!r}")
                    continue
                stack.append((va, vb, f"{where}.{name}"))
            elif isinstance(va, (list, tuple)):
                nodes_a = [x for x in va if isinstance(x, cst.CSTNode) and not isinstance(x, (cst.FormattedStringText, cst.EmptyLine, cst._nodes.whitespace.BaseParenthesizableWhitespace))]
                nodes_b = [x for x in (vb if isinstance(vb, (list, tuple)) else []) if isinstance(x, Node) and type(x).__name__ != "FormattedStringText"]
                if len(nodes_a) != len(nodes_b):
                    out.append(f"{where}.{name}: {len(nodes_a)} items != {len(nodes_b)}")
                    continue
                for i, (x, y) in enumerate(zip(nodes_a, nodes_b)):
                    stack.append((x, y, f"{where}.{name}[{i}]"))
            elif va is None and vb not in (None, "<unset>"):
                out.append(f"{where}.{name}: None != {type(vb).__name__}")
    return out
