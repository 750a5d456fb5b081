"""LibCST nodes built from an ``ast`` tree: the detection engine's input without LibCST's parser.

The rules, the shared analysis and the flow analysis read LibCST nodes. A
LibCST parse costs about five ``ast`` parses, and most of that goes into what
only a rewrite needs: whitespace, comments, tokens and the validation of
every node. ``convert`` builds the same node types from the ``ast`` tree the
prefilter has already parsed, with the fields the analysis reads (names,
values, operators, ``async`` markers, the nesting of blocks and simple
statements) and none of the whitespace, without running LibCST's
validation. Fields that hold only tokens (parentheses, whitespace, comment
lines: ``analysis.TOKEN_PREFIXES``) are left unset: the walks skip them, and
a node's code comes from ``Light.source``, not from LibCST's code generator. Each node keeps the ``ast`` position it came from (``Light.where``),
so findings need no position pass either.

What LibCST would show differently is left out on purpose where no rule can
tell the difference: an implicitly concatenated string is one
``SimpleString`` or ``FormattedString``, and ``x[a, b]`` is one subscript
element holding a tuple. A module this module cannot convert raises
``Unsupported`` (or ``RecursionError``), and the engine parses it with LibCST
instead. ``tests/test_lighttree.py`` checks, node by node, that the
converted tree matches LibCST's own over the fixtures and the standard
library's ``asyncio``, and that findings are identical both ways.

Fixing still parses with LibCST: a rewrite needs the real tree.
"""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst

_new = object.__new__
_set = object.__setattr__


class Unsupported(Exception):
    """The module holds syntax the converter does not build: parse it with LibCST."""


def _make(kind: type, /, **fields: Any) -> Any:
    node = _new(kind)
    for name, value in fields.items():
        _set(node, name, value)
    return node


def _maker(kind: type, *fields: str) -> Any:
    """A constructor for ``kind`` taking ``fields`` positionally: for the most frequent nodes,
    it saves the keyword dictionary and the loop of ``_make``."""
    lines = [f"def make({', '.join(fields)}):", "    node = _new(kind)"]
    lines += [f"    _set(node, {field!r}, {field})" for field in fields]
    lines.append("    return node")
    namespace = {"_new": _new, "_set": _set, "kind": kind}
    exec("\n".join(lines), namespace)  # noqa: S102 - the source is built above from field names
    return namespace["make"]


_NAME = _maker(cst.Name, "value")
_ATTRIBUTE = _maker(cst.Attribute, "value", "attr")
_CALL = _maker(cst.Call, "func", "args")
_ARG = _maker(cst.Arg, "value", "keyword", "star")
_ELEMENT = _maker(cst.Element, "value")
_EXPR = _maker(cst.Expr, "value")
_ASSIGN = _maker(cst.Assign, "targets", "value")
_ASSIGN_TARGET = _maker(cst.AssignTarget, "target")
_LINE = _maker(cst.SimpleStatementLine, "body")
_STRING = _maker(cst.SimpleString, "value")

# Operators and markers carry only whitespace: one instance of each serves every tree.
_ASYNC = cst.Asynchronous()
_BOOL = {ast.And: cst.And(), ast.Or: cst.Or()}
_BIN = {
    ast.Add: cst.Add(), ast.Sub: cst.Subtract(), ast.Mult: cst.Multiply(), ast.MatMult: cst.MatrixMultiply(),
    ast.Div: cst.Divide(), ast.Mod: cst.Modulo(), ast.Pow: cst.Power(), ast.LShift: cst.LeftShift(),
    ast.RShift: cst.RightShift(), ast.BitOr: cst.BitOr(), ast.BitXor: cst.BitXor(), ast.BitAnd: cst.BitAnd(),
    ast.FloorDiv: cst.FloorDivide(),
}
_AUG = {
    ast.Add: cst.AddAssign(), ast.Sub: cst.SubtractAssign(), ast.Mult: cst.MultiplyAssign(),
    ast.MatMult: cst.MatrixMultiplyAssign(), ast.Div: cst.DivideAssign(), ast.Mod: cst.ModuloAssign(),
    ast.Pow: cst.PowerAssign(), ast.LShift: cst.LeftShiftAssign(), ast.RShift: cst.RightShiftAssign(),
    ast.BitOr: cst.BitOrAssign(), ast.BitXor: cst.BitXorAssign(), ast.BitAnd: cst.BitAndAssign(),
    ast.FloorDiv: cst.FloorDivideAssign(),
}
_UNARY = {ast.Not: cst.Not(), ast.USub: cst.Minus(), ast.UAdd: cst.Plus(), ast.Invert: cst.BitInvert()}
_COMPARE = {
    ast.Eq: cst.Equal(), ast.NotEq: cst.NotEqual(), ast.Lt: cst.LessThan(), ast.LtE: cst.LessThanEqual(),
    ast.Gt: cst.GreaterThan(), ast.GtE: cst.GreaterThanEqual(), ast.Is: cst.Is(), ast.IsNot: cst.IsNot(),
    ast.In: cst.In(), ast.NotIn: cst.NotIn(),
}
_SIMPLE_STATEMENTS = (
    ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Raise, ast.Delete, ast.Pass,
    ast.Break, ast.Continue, ast.Global, ast.Nonlocal, ast.Assert, ast.Import, ast.ImportFrom,
)


class Light:
    """One converted module: ``module`` and where each node came from."""

    def __init__(self, module: cst.Module, where: dict, lines: list[bytes], text: str) -> None:
        self.module = module
        self.text = text
        #: node -> the ``ast`` node it was built from (positions: 1-based lines, UTF-8 byte columns).
        self.where = where
        self.lines = lines

    def span(self, node: cst.CSTNode) -> tuple[int, int, int, int] | None:
        """1-based (line, column, end line, end column) in characters, ends exclusive, like ``Finding``."""
        origin = self.where.get(node)
        if origin is None:
            return None
        return (
            origin.lineno,
            self._column(origin.lineno, origin.col_offset),
            origin.end_lineno,
            self._column(origin.end_lineno, origin.end_col_offset),
        )

    def _column(self, line: int, offset: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else b""
        return len(text[:offset].decode("utf-8", "ignore")) + 1

    def source(self, node: cst.CSTNode) -> str:
        """The node's source text, as written."""
        origin = self.where.get(node)
        if origin is None or origin.end_lineno is None:
            return ""
        first, last = origin.lineno - 1, origin.end_lineno - 1
        if first == last:
            text = self.lines[first][origin.col_offset : origin.end_col_offset]
        else:
            text = b"".join(
                [self.lines[first][origin.col_offset :], *self.lines[first + 1 : last], self.lines[last][: origin.end_col_offset]]
            )
        return text.decode("utf-8", "replace")


def convert(tree: ast.Module, text: str, encoding: str = "utf-8") -> Light:
    """Build the LibCST-shaped tree of ``tree``, parsed from ``text``. Raises ``Unsupported``."""
    lines = text.encode("utf-8", "surrogatepass").splitlines(keepends=True)
    builder = _Builder(lines)
    body = builder.block(tree.body)
    module = _make(cst.Module, body=body, encoding=encoding, default_indent="    ",
                   default_newline="\n", has_trailing_newline=True)
    return Light(module, builder.where, lines, text)


class _Builder:
    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self.where: dict = {}

    # ------------------------------------------------------------- helpers
    def at(self, node: Any, origin: ast.AST) -> Any:
        self.where[node] = origin
        return node

    def name(self, value: str, origin: ast.AST | None = None) -> cst.Name:
        node = _NAME(value)
        if origin is not None:
            self.where[node] = origin
        return node

    def segment(self, origin: ast.AST) -> str:
        first, last = origin.lineno - 1, origin.end_lineno - 1  # type: ignore[attr-defined,operator]
        if first == last:
            data = self.lines[first][origin.col_offset : origin.end_col_offset]  # type: ignore[attr-defined]
        else:
            data = b"".join(
                [self.lines[first][origin.col_offset :], *self.lines[first + 1 : last],  # type: ignore[attr-defined]
                 self.lines[last][: origin.end_col_offset]]  # type: ignore[attr-defined]
            )
        return data.decode("utf-8", "replace")

    def _header_text_before(self, stmt: ast.stmt) -> bytes:
        return self.lines[stmt.lineno - 1][: stmt.col_offset]

    # ---------------------------------------------------------- statements
    def block(self, statements: list[ast.stmt]) -> list:
        """A module's or an indented block's statements: simple ones grouped by line."""
        out: list = []
        line_group: list = []
        last_line = -1
        for stmt in statements:
            if isinstance(stmt, _SIMPLE_STATEMENTS):
                small = self.small(stmt)
                if line_group and stmt.lineno == last_line:
                    line_group.append(small)
                else:
                    line_group = [small]
                    out.append(_LINE(line_group))
                last_line = stmt.end_lineno  # type: ignore[assignment]
            else:
                line_group = []
                out.append(self.compound(stmt))
        for line in out:
            if isinstance(line, cst.SimpleStatementLine):
                _set(line, "body", tuple(line.body))
        return out

    def suite(self, statements: list[ast.stmt]) -> Any:
        """The body of a compound statement: a one-line suite or an indented block."""
        first = statements[0]
        if isinstance(first, _SIMPLE_STATEMENTS) and self._header_text_before(first).rstrip().endswith(b":"):
            smalls = []
            for stmt in statements:
                if not isinstance(stmt, _SIMPLE_STATEMENTS) or stmt.lineno != first.lineno:
                    break
                smalls.append(self.small(stmt))
            else:
                return _make(cst.SimpleStatementSuite, body=tuple(smalls), leading_whitespace=None)
        return _make(cst.IndentedBlock, body=tuple(self.block(statements)))

    def orelse(self, statements: list[ast.stmt], parent: ast.stmt) -> Any:
        if not statements:
            return None
        if (
            isinstance(parent, ast.If)
            and len(statements) == 1
            and isinstance(statements[0], ast.If)
            and self.lines[statements[0].lineno - 1][statements[0].col_offset :].startswith(b"elif")
        ):
            return self.compound(statements[0])
        return _make(cst.Else, body=self.suite(statements))

    def compound(self, stmt: ast.stmt) -> Any:
        kind = type(stmt)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef):
            node = _make(
                cst.FunctionDef,
                name=self.name(stmt.name),  # type: ignore[attr-defined]
                params=self.parameters(stmt.args),  # type: ignore[attr-defined]
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                decorators=tuple(_make(cst.Decorator, decorator=self.expr(d)) for d in stmt.decorator_list),  # type: ignore[attr-defined]
                returns=self.annotation(stmt.returns),  # type: ignore[attr-defined]
                asynchronous=_ASYNC if kind is ast.AsyncFunctionDef else None,
                type_parameters=None,
            )
        elif kind is ast.ClassDef:
            bases = [self.arg(b) for b in stmt.bases]  # type: ignore[attr-defined]
            node = _make(
                cst.ClassDef,
                name=self.name(stmt.name),  # type: ignore[attr-defined]
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                bases=tuple(bases),
                keywords=tuple(self.keyword(k) for k in stmt.keywords),  # type: ignore[attr-defined]
                decorators=tuple(_make(cst.Decorator, decorator=self.expr(d)) for d in stmt.decorator_list),  # type: ignore[attr-defined]
                type_parameters=None,
            )
        elif kind in (ast.If, ast.While):
            node = _make(
                cst.If if kind is ast.If else cst.While,
                test=self.expr(stmt.test),  # type: ignore[attr-defined]
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                orelse=self.orelse(stmt.orelse, stmt),  # type: ignore[attr-defined]
            )
        elif kind in (ast.For, ast.AsyncFor):
            node = _make(
                cst.For,
                target=self.expr(stmt.target),  # type: ignore[attr-defined]
                iter=self.expr(stmt.iter),  # type: ignore[attr-defined]
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                orelse=self.orelse(stmt.orelse, stmt),  # type: ignore[attr-defined]
                asynchronous=_ASYNC if kind is ast.AsyncFor else None,
            )
        elif kind in (ast.With, ast.AsyncWith):
            items = tuple(
                _make(
                    cst.WithItem,
                    item=self.expr(item.context_expr),
                    asname=None if item.optional_vars is None else _make(cst.AsName, name=self.expr(item.optional_vars)),
                )
                for item in stmt.items  # type: ignore[attr-defined]
            )
            node = _make(
                cst.With,
                items=items,
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                asynchronous=_ASYNC if kind is ast.AsyncWith else None,
            )
        elif kind in (ast.Try, ast.TryStar):
            star = kind is ast.TryStar
            handler_type = cst.ExceptStarHandler if star else cst.ExceptHandler
            handlers = tuple(
                self.at(
                    _make(
                        handler_type,
                        body=self.suite(h.body),
                        type=None if h.type is None else self.expr(h.type),
                        name=None if h.name is None else _make(cst.AsName, name=self.name(h.name)),
                    ),
                    h,
                )
                for h in stmt.handlers  # type: ignore[attr-defined]
            )
            node = _make(
                cst.TryStar if star else cst.Try,
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                handlers=handlers,
                orelse=self.orelse(stmt.orelse, stmt),  # type: ignore[attr-defined]
                finalbody=None if not stmt.finalbody else _make(cst.Finally, body=self.suite(stmt.finalbody)),  # type: ignore[attr-defined]
            )
        elif kind is ast.Match:
            cases = tuple(
                _make(
                    cst.MatchCase,
                    pattern=self.pattern(case.pattern),
                    body=self.suite(case.body),
                    guard=None if case.guard is None else self.expr(case.guard),
                )
                for case in stmt.cases  # type: ignore[attr-defined]
            )
            node = _make(cst.Match, subject=self.expr(stmt.subject), cases=cases)  # type: ignore[attr-defined]
        else:
            raise Unsupported(type(stmt).__name__)
        return self.at(node, stmt)

    def pattern(self, pattern: ast.pattern) -> Any:
        kind = type(pattern)
        if kind is ast.MatchAs:
            node = _make(
                cst.MatchAs,
                pattern=None if pattern.pattern is None else self.pattern(pattern.pattern),  # type: ignore[attr-defined]
                name=None if pattern.name is None else self.name(pattern.name),  # type: ignore[attr-defined]
            )
        elif kind is ast.MatchValue:
            node = _make(cst.MatchValue, value=self.expr(pattern.value))  # type: ignore[attr-defined]
        elif kind is ast.MatchSingleton:
            node = _make(cst.MatchSingleton, value=self.name(str(pattern.value)))  # type: ignore[attr-defined]
        elif kind is ast.MatchSequence:
            elements = tuple(
                _make(cst.MatchStar, name=None if p.name is None else self.name(p.name))  # type: ignore[attr-defined]
                if type(p) is ast.MatchStar
                else _make(cst.MatchSequenceElement, value=self.pattern(p))
                for p in pattern.patterns  # type: ignore[attr-defined]
            )
            shape = cst.MatchTuple if self.segment(pattern).startswith("(") else cst.MatchList
            node = _make(shape, patterns=elements)
        elif kind is ast.MatchMapping:
            elements = tuple(
                _make(cst.MatchMappingElement, key=self.expr(k), pattern=self.pattern(p))
                for k, p in zip(pattern.keys, pattern.patterns)  # type: ignore[attr-defined]
            )
            rest = None if pattern.rest is None else self.name(pattern.rest)  # type: ignore[attr-defined]
            node = _make(cst.MatchMapping, elements=elements, rest=rest)
        elif kind is ast.MatchClass:
            node = _make(
                cst.MatchClass,
                cls=self.expr(pattern.cls),  # type: ignore[attr-defined]
                patterns=tuple(_make(cst.MatchSequenceElement, value=self.pattern(p)) for p in pattern.patterns),  # type: ignore[attr-defined]
                kwds=tuple(
                    _make(cst.MatchKeywordElement, key=self.name(k), pattern=self.pattern(p))
                    for k, p in zip(pattern.kwd_attrs, pattern.kwd_patterns)  # type: ignore[attr-defined]
                ),
            )
        elif kind is ast.MatchOr:
            node = _make(
                cst.MatchOr,
                patterns=tuple(_make(cst.MatchOrElement, pattern=self.pattern(p), separator=None) for p in pattern.patterns),  # type: ignore[attr-defined]
            )
        else:
            raise Unsupported(kind.__name__)
        return self.at(node, pattern)

    def small(self, stmt: ast.stmt) -> Any:
        kind = type(stmt)
        if kind is ast.Expr:
            node = _EXPR(self.expr(stmt.value))  # type: ignore[attr-defined]
        elif kind is ast.Assign:
            targets = tuple(_ASSIGN_TARGET(self.expr(t)) for t in stmt.targets)  # type: ignore[attr-defined]
            node = _ASSIGN(targets, self.expr(stmt.value))  # type: ignore[attr-defined]
        elif kind is ast.AugAssign:
            node = _make(
                cst.AugAssign,
                target=self.expr(stmt.target),  # type: ignore[attr-defined]
                operator=_AUG[type(stmt.op)],  # type: ignore[attr-defined]
                value=self.expr(stmt.value),  # type: ignore[attr-defined]
            )
        elif kind is ast.AnnAssign:
            node = _make(
                cst.AnnAssign,
                target=self.expr(stmt.target),  # type: ignore[attr-defined]
                annotation=self.annotation(stmt.annotation),  # type: ignore[attr-defined]
                value=None if stmt.value is None else self.expr(stmt.value),  # type: ignore[attr-defined]
            )
        elif kind is ast.Return:
            node = _make(cst.Return, value=None if stmt.value is None else self.expr(stmt.value))  # type: ignore[attr-defined]
        elif kind is ast.Raise:
            node = _make(
                cst.Raise,
                exc=None if stmt.exc is None else self.expr(stmt.exc),  # type: ignore[attr-defined]
                cause=None if stmt.cause is None else _make(cst.From, item=self.expr(stmt.cause)),  # type: ignore[attr-defined]
            )
        elif kind is ast.Delete:
            targets = stmt.targets  # type: ignore[attr-defined]
            if len(targets) == 1:
                target = self.expr(targets[0])
            else:
                target = _make(cst.Tuple, elements=tuple(self.element(t) for t in targets))
            node = _make(cst.Del, target=target)
        elif kind is ast.Pass:
            node = _make(cst.Pass)
        elif kind is ast.Break:
            node = _make(cst.Break)
        elif kind is ast.Continue:
            node = _make(cst.Continue)
        elif kind in (ast.Global, ast.Nonlocal):
            items = tuple(_make(cst.NameItem, name=self.name(n)) for n in stmt.names)  # type: ignore[attr-defined]
            node = _make(cst.Global if kind is ast.Global else cst.Nonlocal, names=items)
        elif kind is ast.Assert:
            node = _make(
                cst.Assert,
                test=self.expr(stmt.test),  # type: ignore[attr-defined]
                msg=None if stmt.msg is None else self.expr(stmt.msg),  # type: ignore[attr-defined]
            )
        elif kind is ast.Import:
            node = _make(cst.Import, names=tuple(self.alias(a) for a in stmt.names))  # type: ignore[attr-defined]
        elif kind is ast.ImportFrom:
            if len(stmt.names) == 1 and stmt.names[0].name == "*":  # type: ignore[attr-defined]
                names: Any = _make(cst.ImportStar)
            else:
                names = tuple(self.alias(a) for a in stmt.names)  # type: ignore[attr-defined]
            node = _make(
                cst.ImportFrom,
                module=None if stmt.module is None else self.dotted(stmt.module),  # type: ignore[attr-defined]
                names=names,
                relative=tuple(_make(cst.Dot) for _ in range(stmt.level or 0)),  # type: ignore[attr-defined]
            )
        else:
            raise Unsupported(type(stmt).__name__)
        return self.at(node, stmt)

    def dotted(self, text: str) -> Any:
        parts = text.split(".")
        node: Any = self.name(parts[0])
        for part in parts[1:]:
            node = _ATTRIBUTE(node, self.name(part))
        return node

    def alias(self, alias: ast.alias) -> cst.ImportAlias:
        asname = None if alias.asname is None else _make(cst.AsName, name=self.name(alias.asname))
        return _make(cst.ImportAlias, name=self.dotted(alias.name), asname=asname)

    def annotation(self, expr: ast.expr | None) -> Any:
        return None if expr is None else _make(cst.Annotation, annotation=self.expr(expr))

    def param(self, arg: ast.arg, default: ast.expr | None, star: str) -> cst.Param:
        return self.at(
            _make(
                cst.Param,
                name=self.name(arg.arg, arg),
                annotation=self.annotation(arg.annotation),
                default=None if default is None else self.expr(default),
                star=star,
            ),
            arg,
        )

    def parameters(self, args: ast.arguments) -> cst.Parameters:
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        converted = [self.param(a, d, "") for a, d in zip(positional, defaults)]
        posonly = tuple(converted[: len(args.posonlyargs)])
        if args.vararg is not None:
            star_arg: Any = self.param(args.vararg, None, "*")
        elif args.kwonlyargs:
            star_arg = _make(cst.ParamStar)
        else:
            star_arg = cst.MaybeSentinel.DEFAULT
        return _make(
            cst.Parameters,
            params=tuple(converted[len(args.posonlyargs) :]),
            star_arg=star_arg,
            kwonly_params=tuple(self.param(a, d, "") for a, d in zip(args.kwonlyargs, args.kw_defaults)),
            star_kwarg=None if args.kwarg is None else self.param(args.kwarg, None, "**"),
            posonly_params=posonly,
            posonly_ind=_make(cst.ParamSlash) if posonly else cst.MaybeSentinel.DEFAULT,
        )

    # --------------------------------------------------------- expressions
    def arg(self, expr: ast.expr) -> cst.Arg:
        if type(expr) is ast.Starred:
            return _ARG(self.expr(expr.value), None, "*")  # type: ignore[attr-defined]
        return _ARG(self.expr(expr), None, "")

    def keyword(self, keyword: ast.keyword) -> cst.Arg:
        if keyword.arg is None:
            return _ARG(self.expr(keyword.value), None, "**")
        return _ARG(self.expr(keyword.value), self.name(keyword.arg), "")

    def element(self, expr: ast.expr) -> Any:
        if type(expr) is ast.Starred:
            return self.at(_make(cst.StarredElement, value=self.expr(expr.value)), expr)  # type: ignore[attr-defined]
        return _ELEMENT(self.expr(expr))

    def comprehension(self, generators: list[ast.comprehension]) -> cst.CompFor:
        inner = None
        for gen in reversed(generators):
            inner = _make(
                cst.CompFor,
                target=self.expr(gen.target),
                iter=self.expr(gen.iter),
                ifs=tuple(_make(cst.CompIf, test=self.expr(t)) for t in gen.ifs),
                inner_for_in=inner,
                asynchronous=_ASYNC if gen.is_async else None,
            )
        return inner  # type: ignore[return-value]

    def expr(self, expr: ast.expr) -> Any:
        kind = type(expr)
        handler = _EXPRESSIONS.get(kind)
        if handler is None:
            raise Unsupported(kind.__name__)
        node = handler(self, expr)
        self.where[node] = expr
        return node

    def _name(self, expr: ast.Name) -> Any:
        return _NAME(expr.id)

    def _constant(self, expr: ast.Constant) -> Any:
        value = expr.value
        if value is None or value is True or value is False:
            return _NAME(str(value))
        if value is Ellipsis:
            return _make(cst.Ellipsis)
        if isinstance(value, (str, bytes)):
            return _STRING(self.segment(expr))
        if isinstance(value, bool) or isinstance(value, int):
            return _make(cst.Integer, value=self.segment(expr))
        if isinstance(value, float):
            return _make(cst.Float, value=self.segment(expr))
        return _make(cst.Imaginary, value=self.segment(expr))

    def _joined(self, expr: ast.JoinedStr) -> Any:
        parts = []
        for value in expr.values:
            if type(value) is ast.FormattedValue:
                parts.append(self._formatted_value(value))
            # Literal text parts carry nothing a rule reads.
        return _make(cst.FormattedString, parts=tuple(parts), start='f"', end='"')

    def _formatted_value(self, value: ast.FormattedValue) -> Any:
        spec = None
        if value.format_spec is not None:
            spec = tuple(self._formatted_value(v) for v in value.format_spec.values if type(v) is ast.FormattedValue)  # type: ignore[attr-defined]
        return _make(cst.FormattedStringExpression, expression=self.expr(value.value), conversion=None, format_spec=spec)

    def _attribute(self, expr: ast.Attribute) -> Any:
        return _ATTRIBUTE(self.expr(expr.value), self.name(expr.attr))

    def _call(self, expr: ast.Call) -> Any:
        args = [self.arg(a) for a in expr.args]
        if expr.keywords:
            keywords = [self.keyword(k) for k in expr.keywords]
            if any(type(a) is ast.Starred for a in expr.args):
                # `f(a=1, *rest)`: put the arguments back in source order.
                pairs = [(a, c) for a, c in zip(expr.args, args)]
                pairs += [(k, c) for k, c in zip(expr.keywords, keywords)]
                pairs.sort(key=lambda p: (p[0].lineno, p[0].col_offset))
                args = [c for _, c in pairs]
            else:
                args += keywords
        return _CALL(self.expr(expr.func), tuple(args))

    def _await(self, expr: ast.Await) -> Any:
        return _make(cst.Await, expression=self.expr(expr.value))

    def _yield(self, expr: ast.Yield) -> Any:
        return _make(cst.Yield, value=None if expr.value is None else self.expr(expr.value))

    def _yield_from(self, expr: ast.YieldFrom) -> Any:
        return _make(cst.Yield, value=_make(cst.From, item=self.expr(expr.value)))

    def _lambda(self, expr: ast.Lambda) -> Any:
        return _make(cst.Lambda, params=self.parameters(expr.args), body=self.expr(expr.body))

    def _ifexp(self, expr: ast.IfExp) -> Any:
        return _make(cst.IfExp, test=self.expr(expr.test), body=self.expr(expr.body), orelse=self.expr(expr.orelse))

    def _boolop(self, expr: ast.BoolOp) -> Any:
        operator = _BOOL[type(expr.op)]
        node = self.expr(expr.values[0])
        for value in expr.values[1:]:
            node = _make(cst.BooleanOperation, left=node, operator=operator, right=self.expr(value))
        return node

    def _binop(self, expr: ast.BinOp) -> Any:
        return _make(cst.BinaryOperation, left=self.expr(expr.left), operator=_BIN[type(expr.op)], right=self.expr(expr.right))

    def _unary(self, expr: ast.UnaryOp) -> Any:
        return _make(cst.UnaryOperation, operator=_UNARY[type(expr.op)], expression=self.expr(expr.operand))

    def _compare(self, expr: ast.Compare) -> Any:
        targets = tuple(
            _make(cst.ComparisonTarget, operator=_COMPARE[type(op)], comparator=self.expr(right))
            for op, right in zip(expr.ops, expr.comparators)
        )
        return _make(cst.Comparison, left=self.expr(expr.left), comparisons=targets)

    def _named(self, expr: ast.NamedExpr) -> Any:
        return _make(cst.NamedExpr, target=self.expr(expr.target), value=self.expr(expr.value))

    def _subscript(self, expr: ast.Subscript) -> Any:
        inner = expr.slice
        if type(inner) is ast.Slice:
            part: Any = _make(
                cst.Slice,
                lower=None if inner.lower is None else self.expr(inner.lower),
                upper=None if inner.upper is None else self.expr(inner.upper),
                step=None if inner.step is None else self.expr(inner.step),
                first_colon=None,
                second_colon=None,
            )
        elif type(inner) is ast.Tuple and inner.elts and not self.segment(inner).startswith("("):
            # `x[a, b]` and `x[a,]`: LibCST has one element per item.
            elements = tuple(
                _make(cst.SubscriptElement, slice=self._slice(e) if type(e) is ast.Slice else _make(cst.Index, value=self.expr(e), star=None))
                for e in inner.elts
            )
            return _make(cst.Subscript, value=self.expr(expr.value), slice=elements)
        else:
            part = _make(cst.Index, value=self.expr(inner), star=None)
        element = _make(cst.SubscriptElement, slice=part)
        return _make(cst.Subscript, value=self.expr(expr.value), slice=(element,))

    def _slice(self, expr: ast.Slice) -> Any:  # a slice inside a tuple subscript: `x[a:b, c]`
        return _make(
            cst.Slice,
            lower=None if expr.lower is None else self.expr(expr.lower),
            upper=None if expr.upper is None else self.expr(expr.upper),
            step=None if expr.step is None else self.expr(expr.step),
            first_colon=None,
            second_colon=None,
        )

    def _tuple(self, expr: ast.Tuple) -> Any:
        return _make(cst.Tuple, elements=tuple(self.element(e) for e in expr.elts))

    def _list(self, expr: ast.List) -> Any:
        return _make(cst.List, elements=tuple(self.element(e) for e in expr.elts))

    def _set_display(self, expr: ast.Set) -> Any:
        return _make(cst.Set, elements=tuple(self.element(e) for e in expr.elts))

    def _dict(self, expr: ast.Dict) -> Any:
        elements = tuple(
            _make(cst.StarredDictElement, value=self.expr(v))
            if k is None
            else _make(cst.DictElement, key=self.expr(k), value=self.expr(v))
            for k, v in zip(expr.keys, expr.values)
        )
        return _make(cst.Dict, elements=elements)

    def _starred(self, expr: ast.Starred) -> Any:  # `*a, b = ...` targets and other bare stars
        return _make(cst.StarredElement, value=self.expr(expr.value))

    def _listcomp(self, expr: ast.ListComp) -> Any:
        return _make(cst.ListComp, elt=self.expr(expr.elt), for_in=self.comprehension(expr.generators))

    def _setcomp(self, expr: ast.SetComp) -> Any:
        return _make(cst.SetComp, elt=self.expr(expr.elt), for_in=self.comprehension(expr.generators))

    def _genexp(self, expr: ast.GeneratorExp) -> Any:
        return _make(cst.GeneratorExp, elt=self.expr(expr.elt), for_in=self.comprehension(expr.generators))

    def _dictcomp(self, expr: ast.DictComp) -> Any:
        return _make(
            cst.DictComp, key=self.expr(expr.key), value=self.expr(expr.value),
            for_in=self.comprehension(expr.generators),
        )


_EXPRESSIONS = {
    ast.Name: _Builder._name,
    ast.Constant: _Builder._constant,
    ast.JoinedStr: _Builder._joined,
    ast.Attribute: _Builder._attribute,
    ast.Call: _Builder._call,
    ast.Await: _Builder._await,
    ast.Yield: _Builder._yield,
    ast.YieldFrom: _Builder._yield_from,
    ast.Lambda: _Builder._lambda,
    ast.IfExp: _Builder._ifexp,
    ast.BoolOp: _Builder._boolop,
    ast.BinOp: _Builder._binop,
    ast.UnaryOp: _Builder._unary,
    ast.Compare: _Builder._compare,
    ast.NamedExpr: _Builder._named,
    ast.Subscript: _Builder._subscript,
    ast.Slice: _Builder._slice,
    ast.Tuple: _Builder._tuple,
    ast.List: _Builder._list,
    ast.Set: _Builder._set_display,
    ast.Dict: _Builder._dict,
    ast.Starred: _Builder._starred,
    ast.ListComp: _Builder._listcomp,
    ast.SetComp: _Builder._setcomp,
    ast.GeneratorExp: _Builder._genexp,
    ast.DictComp: _Builder._dictcomp,
}
