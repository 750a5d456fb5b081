"""Generate ``light_classes.py``, the light tree's node classes, with their types.

The light tree (``lighttree.py``) mirrors LibCST's node classes: the same
names and the same fields, except those that hold only tokens and whitespace.
``SPEC`` below lists each class, its base and its fields; the types of the
fields are read from LibCST's own annotations, mapped onto the light classes
(a LibCST class the light tree does not have becomes its nearest light base;
``MaybeSentinel`` becomes ``None``, whitespace ``Any``). The result is plain
Python that a type checker reads: ``python -m lint_structured.docs`` writes it,
and a test keeps it equal to this generator's output.
"""

from __future__ import annotations

import typing
from typing import Any

#: The abstract bases, LibCST's names (as the analysis refers to them).
ABSTRACT = {
    "CSTNode": None,
    "BaseExpression": "CSTNode",
    "BaseStatement": "CSTNode",
    "BaseSmallStatement": "CSTNode",
    "BaseSuite": "CSTNode",
}

#: name -> (base, fields in LibCST's declaration order).
SPEC: dict[str, tuple[str, tuple[str, ...]]] = {
    "Add": ("CSTNode", ()),
    "AddAssign": ("CSTNode", ()),
    "And": ("CSTNode", ()),
    "AnnAssign": ("BaseSmallStatement", ("target", "annotation", "value")),
    "Annotation": ("CSTNode", ("annotation",)),
    "Arg": ("CSTNode", ("value", "keyword", "star")),
    "AsName": ("CSTNode", ("name",)),
    "Assert": ("BaseSmallStatement", ("test", "msg")),
    "Assign": ("BaseSmallStatement", ("targets", "value")),
    "AssignTarget": ("CSTNode", ("target",)),
    "Attribute": ("BaseExpression", ("value", "attr")),
    "Asynchronous": ("CSTNode", ()),
    "AugAssign": ("BaseSmallStatement", ("target", "operator", "value")),
    "Await": ("BaseExpression", ("expression",)),
    "BinaryOperation": ("BaseExpression", ("left", "operator", "right")),
    "BitAnd": ("CSTNode", ()),
    "BitAndAssign": ("CSTNode", ()),
    "BitInvert": ("CSTNode", ()),
    "BitOr": ("CSTNode", ()),
    "BitOrAssign": ("CSTNode", ()),
    "BitXor": ("CSTNode", ()),
    "BitXorAssign": ("CSTNode", ()),
    "BooleanOperation": ("BaseExpression", ("left", "operator", "right")),
    "Break": ("BaseSmallStatement", ()),
    "Call": ("BaseExpression", ("func", "args")),
    "ClassDef": ("BaseStatement", ("name", "body", "bases", "keywords", "decorators", "type_parameters")),
    "CompFor": ("CSTNode", ("target", "iter", "ifs", "inner_for_in", "asynchronous")),
    "CompIf": ("CSTNode", ("test",)),
    "Comparison": ("BaseExpression", ("left", "comparisons")),
    "ComparisonTarget": ("CSTNode", ("operator", "comparator")),
    "Continue": ("BaseSmallStatement", ()),
    "Decorator": ("CSTNode", ("decorator",)),
    "Del": ("BaseSmallStatement", ("target",)),
    "Dict": ("BaseExpression", ("elements",)),
    "DictComp": ("BaseExpression", ("key", "value", "for_in")),
    "DictElement": ("CSTNode", ("key", "value")),
    "Divide": ("CSTNode", ()),
    "DivideAssign": ("CSTNode", ()),
    "Dot": ("CSTNode", ()),
    "Element": ("CSTNode", ("value",)),
    "Ellipsis": ("BaseExpression", ()),
    "Else": ("CSTNode", ("body",)),
    "Equal": ("CSTNode", ()),
    "ExceptHandler": ("CSTNode", ("body", "type", "name")),
    "ExceptStarHandler": ("CSTNode", ("body", "type", "name")),
    "Expr": ("BaseSmallStatement", ("value",)),
    "Finally": ("CSTNode", ("body",)),
    "Float": ("BaseExpression", ("value",)),
    "FloorDivide": ("CSTNode", ()),
    "FloorDivideAssign": ("CSTNode", ()),
    "For": ("BaseStatement", ("target", "iter", "body", "orelse", "asynchronous")),
    "FormattedString": ("BaseExpression", ("parts", "end")),
    "FormattedStringExpression": ("CSTNode", ("expression", "conversion", "format_spec")),
    "From": ("CSTNode", ("item",)),
    "FunctionDef": ("BaseStatement", ("name", "params", "body", "decorators", "returns", "asynchronous", "type_parameters")),
    "GeneratorExp": ("BaseExpression", ("elt", "for_in")),
    "Global": ("BaseSmallStatement", ("names",)),
    "GreaterThan": ("CSTNode", ()),
    "GreaterThanEqual": ("CSTNode", ()),
    "If": ("BaseStatement", ("test", "body", "orelse")),
    "IfExp": ("BaseExpression", ("test", "body", "orelse")),
    "Imaginary": ("BaseExpression", ("value",)),
    "Import": ("BaseSmallStatement", ("names",)),
    "ImportAlias": ("CSTNode", ("name", "asname")),
    "ImportFrom": ("BaseSmallStatement", ("module", "names", "relative")),
    "ImportStar": ("CSTNode", ()),
    "In": ("CSTNode", ()),
    "IndentedBlock": ("BaseSuite", ("body",)),
    "Index": ("CSTNode", ("value", "star")),
    "Integer": ("BaseExpression", ("value",)),
    "Is": ("CSTNode", ()),
    "IsNot": ("CSTNode", ()),
    "Lambda": ("BaseExpression", ("params", "body")),
    "LeftShift": ("CSTNode", ()),
    "LeftShiftAssign": ("CSTNode", ()),
    "LessThan": ("CSTNode", ()),
    "LessThanEqual": ("CSTNode", ()),
    "List": ("BaseExpression", ("elements",)),
    "ListComp": ("BaseExpression", ("elt", "for_in")),
    "Match": ("BaseStatement", ("subject", "cases")),
    "MatchAs": ("CSTNode", ("pattern", "name")),
    "MatchCase": ("CSTNode", ("pattern", "body", "guard")),
    "MatchClass": ("CSTNode", ("cls", "patterns", "kwds")),
    "MatchKeywordElement": ("CSTNode", ("key", "pattern")),
    "MatchList": ("CSTNode", ("patterns",)),
    "MatchMapping": ("CSTNode", ("elements", "rest")),
    "MatchMappingElement": ("CSTNode", ("key", "pattern")),
    "MatchOr": ("CSTNode", ("patterns",)),
    "MatchOrElement": ("CSTNode", ("pattern", "separator")),
    "MatchSequenceElement": ("CSTNode", ("value",)),
    "MatchSingleton": ("CSTNode", ("value",)),
    "MatchStar": ("CSTNode", ("name",)),
    "MatchTuple": ("CSTNode", ("patterns",)),
    "MatchValue": ("CSTNode", ("value",)),
    "MatrixMultiply": ("CSTNode", ()),
    "MatrixMultiplyAssign": ("CSTNode", ()),
    "Minus": ("CSTNode", ()),
    "Module": ("CSTNode", ("body", "encoding")),
    "Modulo": ("CSTNode", ()),
    "ModuloAssign": ("CSTNode", ()),
    "Multiply": ("CSTNode", ()),
    "MultiplyAssign": ("CSTNode", ()),
    "Name": ("BaseExpression", ("value",)),
    "NameItem": ("CSTNode", ("name",)),
    "NamedExpr": ("BaseExpression", ("target", "value")),
    "Nonlocal": ("BaseSmallStatement", ("names",)),
    "Not": ("CSTNode", ()),
    "NotEqual": ("CSTNode", ("value",)),
    "NotIn": ("CSTNode", ()),
    "Or": ("CSTNode", ()),
    "Param": ("CSTNode", ("name", "annotation", "default", "star")),
    "ParamSlash": ("CSTNode", ()),
    "ParamStar": ("CSTNode", ()),
    "Parameters": ("CSTNode", ("params", "star_arg", "kwonly_params", "star_kwarg", "posonly_params", "posonly_ind")),
    "Pass": ("BaseSmallStatement", ()),
    "Plus": ("CSTNode", ()),
    "Power": ("CSTNode", ()),
    "PowerAssign": ("CSTNode", ()),
    "Raise": ("BaseSmallStatement", ("exc", "cause")),
    "Return": ("BaseSmallStatement", ("value",)),
    "RightShift": ("CSTNode", ()),
    "RightShiftAssign": ("CSTNode", ()),
    "Set": ("BaseExpression", ("elements",)),
    "SetComp": ("BaseExpression", ("elt", "for_in")),
    "SimpleStatementLine": ("BaseStatement", ("body",)),
    "SimpleStatementSuite": ("BaseSuite", ("body", "leading_whitespace")),
    "SimpleString": ("BaseExpression", ("value",)),
    "Slice": ("CSTNode", ("lower", "upper", "step", "first_colon", "second_colon")),
    "StarredDictElement": ("CSTNode", ("value",)),
    "StarredElement": ("BaseExpression", ("value",)),
    "Subscript": ("BaseExpression", ("value", "slice")),
    "SubscriptElement": ("CSTNode", ("slice",)),
    "Subtract": ("CSTNode", ()),
    "SubtractAssign": ("CSTNode", ()),
    "Try": ("BaseStatement", ("body", "handlers", "orelse", "finalbody")),
    "TryStar": ("BaseStatement", ("body", "handlers", "orelse", "finalbody")),
    "Tuple": ("BaseExpression", ("elements",)),
    "UnaryOperation": ("BaseExpression", ("operator", "expression")),
    "While": ("BaseStatement", ("test", "body", "orelse")),
    "With": ("BaseStatement", ("items", "body", "asynchronous")),
    "WithItem": ("CSTNode", ("item", "asname")),
    "Yield": ("BaseExpression", ("value",)),
}

#: LibCST's abstract classes the light tree has no class for, by what they stand for here.
NARROWER = {
    "BaseElement": "Element | StarredElement",
    "BaseDictElement": "DictElement | StarredDictElement",
    "BaseSlice": "Index | Slice",
}

HEADER = '''"""The light tree's node classes: generated, do not edit by hand.

Written by `python -m lint_structured.docs` from `lint_structured/gen_nodes.py`
(a test keeps the two equal). See `nodes.py` for what the light tree is.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence

'''


def _type_text(hint: Any, libcst: Any) -> str:
    """``hint`` (one of LibCST's field annotations) in terms of the light classes."""
    origin = typing.get_origin(hint)
    if hint is type(None):
        return "None"
    if origin is typing.Union:
        parts: list[str] = []
        for arg in typing.get_args(hint):
            for text in _type_text(arg, libcst).split(" | "):
                if text not in parts:
                    parts.append(text)
        if "Any" in parts:
            return "Any"
        return " | ".join(sorted(parts, key=lambda p: p == "None"))
    if origin is typing.Literal:
        return "Literal[" + ", ".join(repr(a).replace("'", '"') for a in typing.get_args(hint)) + "]"
    if origin is not None and getattr(origin, "__name__", "") == "Sequence":
        return f"Sequence[{_type_text(typing.get_args(hint)[0], libcst)}]"
    if hint in (str, bool, int):
        return str(hint.__name__)
    if isinstance(hint, type):
        if hint is libcst.MaybeSentinel:
            return "None"
        if hint.__name__ in SPEC or hint.__name__ in ABSTRACT:
            return hint.__name__
        if hint.__name__ in NARROWER:
            return NARROWER[hint.__name__]
        if issubclass(hint, libcst.CSTNode):
            for base in ("BaseExpression", "BaseSmallStatement", "BaseStatement", "BaseSuite"):
                if issubclass(hint, getattr(libcst, base)):
                    return base
            if issubclass(hint, libcst.BaseParenthesizableWhitespace) or "Whitespace" in hint.__name__:
                return "Any"
            return "CSTNode"
    return "Any"


def render() -> str:
    """The text of ``light_classes.py``."""
    import libcst

    out = [HEADER]
    out.append(
        "\nclass CSTNode:\n"
        '    """A light node: compared and hashed by identity, like LibCST\'s."""\n\n'
        "    __slots__ = ()\n"
        "    _fields_: tuple[str, ...] = ()\n\n"
        "    def __repr__(self) -> str:\n"
        "        return f\"{type(self).__name__}({', '.join(f'{n}={getattr(self, n, None)!r}' for n in self._fields_)})\"\n"
    )
    for name, base in ABSTRACT.items():
        if base is not None:
            out.append(f"\n\nclass {name}({base}):\n    __slots__ = ()\n")
            if name == "BaseSuite":  # every suite has a body of statements
                out.append("    body: Sequence[CSTNode]\n")
    for name, (base, fields) in SPEC.items():
        hints = typing.get_type_hints(getattr(libcst, name))
        lines = [f"\n\nclass {name}({base}):\n"]
        lines.append(f"    __slots__ = {_tuple(fields)}\n")
        lines.append(f"    _fields_ = {_tuple(fields)}\n")
        for field in fields:
            lines.append(f"    {field}: {_type_text(hints[field], libcst)}\n")
        if fields:
            params = ", ".join(f"{field}: Any = None" for field in fields)
            lines.append(f"\n    def __init__(self, {params}) -> None:\n")
            lines.extend(f"        self.{field} = {field}\n" for field in fields)
        out.append("".join(lines))
    names = ", ".join(f'"{n}"' for n in [*ABSTRACT, *SPEC])
    out.append(f"\n\n__all__ = [{names}]\n")
    out.append("\n#: The light classes by name (``lighttree.py`` builds with these).\n")
    out.append("LIGHT: dict[str, type[CSTNode]] = {\n" + "".join(f'    "{n}": {n},\n' for n in SPEC) + "}\n")
    return "".join(out)


def _tuple(fields: tuple[str, ...]) -> str:
    if not fields:
        return "()"
    return "(" + ", ".join(f'"{f}"' for f in fields) + ("," if len(fields) == 1 else "") + ")"
