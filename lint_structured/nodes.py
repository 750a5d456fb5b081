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

from typing import Any

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


class Node:
    """A light node: compared and hashed by identity, like LibCST's."""

    __slots__ = ()
    _fields_: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n, None)!r}' for n in self._fields_)})"


class Expression(Node):
    __slots__ = ()


class Statement(Node):
    __slots__ = ()


class SmallStatement(Node):
    __slots__ = ()


class Suite(Node):
    __slots__ = ()


_SPEC: dict[str, tuple[type, tuple[str, ...]]] = {
    "Add": (Node, ()),
    "AddAssign": (Node, ()),
    "And": (Node, ()),
    "AnnAssign": (SmallStatement, ('target', 'annotation', 'value')),
    "Annotation": (Node, ('annotation',)),
    "Arg": (Node, ('value', 'keyword', 'star')),
    "AsName": (Node, ('name',)),
    "Assert": (SmallStatement, ('test', 'msg')),
    "Assign": (SmallStatement, ('targets', 'value')),
    "AssignTarget": (Node, ('target',)),
    "Attribute": (Expression, ('value', 'attr')),
    "Asynchronous": (Node, ()),
    "AugAssign": (SmallStatement, ('target', 'operator', 'value')),
    "Await": (Expression, ('expression',)),
    "BinaryOperation": (Expression, ('left', 'operator', 'right')),
    "BitAnd": (Node, ()),
    "BitAndAssign": (Node, ()),
    "BitInvert": (Node, ()),
    "BitOr": (Node, ()),
    "BitOrAssign": (Node, ()),
    "BitXor": (Node, ()),
    "BitXorAssign": (Node, ()),
    "BooleanOperation": (Expression, ('left', 'operator', 'right')),
    "Break": (SmallStatement, ()),
    "Call": (Expression, ('func', 'args')),
    "ClassDef": (Statement, ('name', 'body', 'bases', 'keywords', 'decorators', 'type_parameters')),
    "CompFor": (Node, ('target', 'iter', 'ifs', 'inner_for_in', 'asynchronous')),
    "CompIf": (Node, ('test',)),
    "Comparison": (Expression, ('left', 'comparisons')),
    "ComparisonTarget": (Node, ('operator', 'comparator')),
    "Continue": (SmallStatement, ()),
    "Decorator": (Node, ('decorator',)),
    "Del": (SmallStatement, ('target',)),
    "Dict": (Expression, ('elements',)),
    "DictComp": (Expression, ('key', 'value', 'for_in')),
    "DictElement": (Node, ('key', 'value')),
    "Divide": (Node, ()),
    "DivideAssign": (Node, ()),
    "Dot": (Node, ()),
    "Element": (Node, ('value',)),
    "Ellipsis": (Expression, ()),
    "Else": (Node, ('body',)),
    "Equal": (Node, ()),
    "ExceptHandler": (Node, ('body', 'type', 'name')),
    "ExceptStarHandler": (Node, ('body', 'type', 'name')),
    "Expr": (SmallStatement, ('value',)),
    "Finally": (Node, ('body',)),
    "Float": (Expression, ('value',)),
    "FloorDivide": (Node, ()),
    "FloorDivideAssign": (Node, ()),
    "For": (Statement, ('target', 'iter', 'body', 'orelse', 'asynchronous')),
    "FormattedString": (Expression, ('parts', 'end')),
    "FormattedStringExpression": (Node, ('expression', 'conversion', 'format_spec')),
    "From": (Node, ('item',)),
    "FunctionDef": (Statement, ('name', 'params', 'body', 'decorators', 'returns', 'asynchronous', 'type_parameters')),
    "GeneratorExp": (Expression, ('elt', 'for_in')),
    "Global": (SmallStatement, ('names',)),
    "GreaterThan": (Node, ()),
    "GreaterThanEqual": (Node, ()),
    "If": (Statement, ('test', 'body', 'orelse')),
    "IfExp": (Expression, ('test', 'body', 'orelse')),
    "Imaginary": (Expression, ('value',)),
    "Import": (SmallStatement, ('names',)),
    "ImportAlias": (Node, ('name', 'asname')),
    "ImportFrom": (SmallStatement, ('module', 'names', 'relative')),
    "ImportStar": (Node, ()),
    "In": (Node, ()),
    "IndentedBlock": (Suite, ('body',)),
    "Index": (Node, ('value', 'star')),
    "Integer": (Expression, ('value',)),
    "Is": (Node, ()),
    "IsNot": (Node, ()),
    "Lambda": (Expression, ('params', 'body')),
    "LeftShift": (Node, ()),
    "LeftShiftAssign": (Node, ()),
    "LessThan": (Node, ()),
    "LessThanEqual": (Node, ()),
    "List": (Expression, ('elements',)),
    "ListComp": (Expression, ('elt', 'for_in')),
    "Match": (Statement, ('subject', 'cases')),
    "MatchAs": (Node, ('pattern', 'name')),
    "MatchCase": (Node, ('pattern', 'body', 'guard')),
    "MatchClass": (Node, ('cls', 'patterns', 'kwds')),
    "MatchKeywordElement": (Node, ('key', 'pattern')),
    "MatchList": (Node, ('patterns',)),
    "MatchMapping": (Node, ('elements', 'rest')),
    "MatchMappingElement": (Node, ('key', 'pattern')),
    "MatchOr": (Node, ('patterns',)),
    "MatchOrElement": (Node, ('pattern', 'separator')),
    "MatchSequenceElement": (Node, ('value',)),
    "MatchSingleton": (Node, ('value',)),
    "MatchStar": (Node, ('name',)),
    "MatchTuple": (Node, ('patterns',)),
    "MatchValue": (Node, ('value',)),
    "MatrixMultiply": (Node, ()),
    "MatrixMultiplyAssign": (Node, ()),
    "Minus": (Node, ()),
    "Module": (Node, ('body', 'encoding')),
    "Modulo": (Node, ()),
    "ModuloAssign": (Node, ()),
    "Multiply": (Node, ()),
    "MultiplyAssign": (Node, ()),
    "Name": (Expression, ('value',)),
    "NameItem": (Node, ('name',)),
    "NamedExpr": (Expression, ('target', 'value')),
    "Nonlocal": (SmallStatement, ('names',)),
    "Not": (Node, ()),
    "NotEqual": (Node, ('value',)),
    "NotIn": (Node, ()),
    "Or": (Node, ()),
    "Param": (Node, ('name', 'annotation', 'default', 'star')),
    "ParamSlash": (Node, ()),
    "ParamStar": (Node, ()),
    "Parameters": (Node, ('params', 'star_arg', 'kwonly_params', 'star_kwarg', 'posonly_params', 'posonly_ind')),
    "Pass": (SmallStatement, ()),
    "Plus": (Node, ()),
    "Power": (Node, ()),
    "PowerAssign": (Node, ()),
    "Raise": (SmallStatement, ('exc', 'cause')),
    "Return": (SmallStatement, ('value',)),
    "RightShift": (Node, ()),
    "RightShiftAssign": (Node, ()),
    "Set": (Expression, ('elements',)),
    "SetComp": (Expression, ('elt', 'for_in')),
    "SimpleStatementLine": (Statement, ('body',)),
    "SimpleStatementSuite": (Suite, ('body', 'leading_whitespace')),
    "SimpleString": (Expression, ('value',)),
    "Slice": (Node, ('lower', 'upper', 'step', 'first_colon', 'second_colon')),
    "StarredDictElement": (Node, ('value',)),
    "StarredElement": (Expression, ('value',)),
    "Subscript": (Expression, ('value', 'slice')),
    "SubscriptElement": (Node, ('slice',)),
    "Subtract": (Node, ()),
    "SubtractAssign": (Node, ()),
    "Try": (Statement, ('body', 'handlers', 'orelse', 'finalbody')),
    "TryStar": (Statement, ('body', 'handlers', 'orelse', 'finalbody')),
    "Tuple": (Expression, ('elements',)),
    "UnaryOperation": (Expression, ('operator', 'expression')),
    "While": (Statement, ('test', 'body', 'orelse')),
    "With": (Statement, ('items', 'body', 'asynchronous')),
    "WithItem": (Node, ('item', 'asname')),
    "Yield": (Expression, ('value',)),

}


def _define(name: str, base: type, fields: tuple[str, ...]) -> type:
    """A slotted class whose ``__init__`` takes ``fields`` (each defaulting to None)."""
    params = "".join(f", {field}=None" for field in fields)
    body = "".join(f"\n    self.{field} = {field}" for field in fields) or "\n    pass"
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self{params}):{body}", namespace)  # noqa: S102 - built from the field names above
    return type(name, (base,), {"__slots__": fields, "__init__": namespace["__init__"], "_fields_": fields})


#: The light classes by name (``lighttree.py`` builds with these).
LIGHT: dict[str, type] = {name: _define(name, base, fields) for name, (base, fields) in _SPEC.items()}
LIGHT_TYPES = frozenset(LIGHT.values())
_ABSTRACT = {"CSTNode": Node, "BaseExpression": Expression, "BaseStatement": Statement, "BaseSuite": Suite}

globals().update(LIGHT)
globals().update(_ABSTRACT)
_enabled = False
#: type -> whether it is a node class (``analysis.is_node``); cleared when LibCST's classes join.
IS_NODE: dict[type, bool] = {}


def enable_libcst() -> None:
    """Make every name here match LibCST's class too (for analyses of LibCST's trees)."""
    global _enabled
    if _enabled:
        return
    import libcst

    for name, light in [*LIGHT.items(), *_ABSTRACT.items()]:
        globals()[name] = (light, getattr(libcst, name))
    IS_NODE.clear()
    _enabled = True


def fields_of(kind: type) -> tuple[str, ...]:
    """The child-bearing fields of a node class, light or LibCST's, in declaration order."""
    light = getattr(kind, "_fields_", None)
    if light is not None and kind in LIGHT_TYPES:
        return light
    import dataclasses

    return tuple(f.name for f in dataclasses.fields(kind))
