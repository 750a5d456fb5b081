"""The detection tree: LibCST-shaped nodes built from an ``ast`` tree.

The rules, the shared analysis and the flow analysis read one tree, whose
classes (``light_classes.py``) have LibCST's names and fields. A LibCST
parse costs about five ``ast`` parses, and most of that goes into what only a
rewrite needs: whitespace, comments, tokens and the validation of every
node. ``convert`` builds the nodes from the ``ast`` tree the prefilter has
already parsed, with the fields the analysis reads (names, values,
operators, ``async`` markers, the nesting of blocks and simple statements)
and none of the whitespace. Fields that hold only tokens (parentheses,
whitespace, comment lines: ``nodes.TOKEN_PREFIXES``) are left unset: the
walks skip them, and a node's code comes from ``Light.source``. Each node
keeps the ``ast`` position it came from (``Light.where``), so findings need
no position pass either.

What LibCST would show differently is left out on purpose where no rule can
tell the difference: an implicitly concatenated string is one
``SimpleString`` or ``FormattedString``, and ``x[a, b]`` is one subscript
element holding a tuple. A module ``ast`` cannot parse here (syntax newer
than the running Python) or this module cannot convert (``Unsupported``,
``RecursionError``) is parsed with LibCST and converted from LibCST's tree
instead (``from_libcst``), with LibCST's positions.
``tests/test_lighttree.py`` checks, node by node, that the converted tree
matches LibCST's own over the fixtures and the standard library's
``asyncio``, and that both ways of building it give the same findings.

Fixing parses with LibCST (a rewrite needs the real tree); ``fixers/twins.py``
pairs each node here with its LibCST twin.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Iterator

from lint_structured import light_classes as L
from lint_structured import nodes as cst
from lint_structured.light_classes import LIGHT


class Unsupported(Exception):
    """The module holds syntax the converter does not build: parse it with LibCST."""


# Operators and markers carry only whitespace: one instance of each serves every tree.
_ASYNC = L.Asynchronous()
_BOOL = {ast.And: L.And(), ast.Or: L.Or()}
_BIN = {
    ast.Add: L.Add(), ast.Sub: L.Subtract(), ast.Mult: L.Multiply(), ast.MatMult: L.MatrixMultiply(),
    ast.Div: L.Divide(), ast.Mod: L.Modulo(), ast.Pow: L.Power(), ast.LShift: L.LeftShift(),
    ast.RShift: L.RightShift(), ast.BitOr: L.BitOr(), ast.BitXor: L.BitXor(), ast.BitAnd: L.BitAnd(),
    ast.FloorDiv: L.FloorDivide(),
}
_AUG = {
    ast.Add: L.AddAssign(), ast.Sub: L.SubtractAssign(), ast.Mult: L.MultiplyAssign(),
    ast.MatMult: L.MatrixMultiplyAssign(), ast.Div: L.DivideAssign(), ast.Mod: L.ModuloAssign(),
    ast.Pow: L.PowerAssign(), ast.LShift: L.LeftShiftAssign(), ast.RShift: L.RightShiftAssign(),
    ast.BitOr: L.BitOrAssign(), ast.BitXor: L.BitXorAssign(), ast.BitAnd: L.BitAndAssign(),
    ast.FloorDiv: L.FloorDivideAssign(),
}
_UNARY = {ast.Not: L.Not(), ast.USub: L.Minus(), ast.UAdd: L.Plus(), ast.Invert: L.BitInvert()}
_COMPARE = {
    ast.Eq: L.Equal(), ast.NotEq: L.NotEqual(), ast.Lt: L.LessThan(), ast.LtE: L.LessThanEqual(),
    ast.Gt: L.GreaterThan(), ast.GtE: L.GreaterThanEqual(), ast.Is: L.Is(), ast.IsNot: L.IsNot(),
    ast.In: L.In(), ast.NotIn: L.NotIn(),
}
_SIMPLE_STATEMENTS = (
    ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Raise, ast.Delete, ast.Pass,
    ast.Break, ast.Continue, ast.Global, ast.Nonlocal, ast.Assert, ast.Import, ast.ImportFrom,
)


class Light:
    """One converted module: ``module`` and where each node came from."""

    def __init__(self, module: cst.Module, where: dict[cst.CSTNode, Any], lines: list[bytes], text: str) -> None:
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
        return _segment(self.lines, origin)


def _segment(lines: list[bytes], origin: Any) -> str:
    """The source text of an ``ast`` node, from the module's UTF-8 lines."""
    first, last = origin.lineno - 1, origin.end_lineno - 1
    if first == last:
        data = lines[first][origin.col_offset : origin.end_col_offset]
    else:
        data = b"".join([lines[first][origin.col_offset :], *lines[first + 1 : last], lines[last][: origin.end_col_offset]])
    return str(data.decode("utf-8", "replace"))


def convert(tree: ast.Module, text: str, encoding: str = "utf-8") -> Light:
    """Build the LibCST-shaped tree of ``tree``, parsed from ``text``. Raises ``Unsupported``."""
    lines = text.encode("utf-8", "surrogatepass").splitlines(keepends=True)
    builder = _Builder(lines)
    body = builder.block(tree.body)
    module = L.Module(body=body, encoding=encoding)
    return Light(module, builder.where, lines, text)


class _Expressions:
    """Builds the light nodes of expressions (and of the parameters of a ``lambda``)."""

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        #: node -> the ``ast`` node it was built from.
        self.where: dict[cst.CSTNode, ast.AST] = {}

    # ------------------------------------------------------------- helpers
    def at(self, node: Any, origin: ast.AST) -> Any:
        self.where[node] = origin
        return node

    def name(self, value: str, origin: ast.AST | None = None) -> cst.Name:
        node = L.Name(value)
        if origin is not None:
            self.where[node] = origin
        return node

    def segment(self, origin: ast.AST) -> str:
        return _segment(self.lines, origin)

    def annotation(self, expr: ast.expr | None) -> Any:
        return None if expr is None else L.Annotation(annotation=self.expr(expr))

    def param(self, arg: ast.arg, default: ast.expr | None, star: str) -> cst.Param:
        return self.at(  # type: ignore[no-any-return]  # `at` gives back what it is given
            L.Param(name=self.name(arg.arg, arg),
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
            star_arg = L.ParamStar()
        else:
            star_arg = None
        return L.Parameters(params=tuple(converted[len(args.posonlyargs) :]),
            star_arg=star_arg,
            kwonly_params=tuple(self.param(a, d, "") for a, d in zip(args.kwonlyargs, args.kw_defaults)),
            star_kwarg=None if args.kwarg is None else self.param(args.kwarg, None, "**"),
            posonly_params=posonly,
            posonly_ind=L.ParamSlash() if posonly else None,
        )

    # --------------------------------------------------------- expressions
    def arg(self, expr: ast.expr) -> cst.Arg:
        if type(expr) is ast.Starred:
            return L.Arg(self.expr(expr.value), None, "*")
        return L.Arg(self.expr(expr), None, "")

    def keyword(self, keyword: ast.keyword) -> cst.Arg:
        if keyword.arg is None:
            return L.Arg(self.expr(keyword.value), None, "**")
        return L.Arg(self.expr(keyword.value), self.name(keyword.arg), "")

    def element(self, expr: ast.expr) -> Any:
        if type(expr) is ast.Starred:
            return self.at(L.StarredElement(value=self.expr(expr.value)), expr)
        return L.Element(self.expr(expr))

    def comprehension(self, generators: list[ast.comprehension]) -> cst.CompFor:
        inner = None
        for gen in reversed(generators):
            inner = L.CompFor(target=self.expr(gen.target),
                iter=self.expr(gen.iter),
                ifs=tuple(L.CompIf(test=self.expr(t)) for t in gen.ifs),
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
        return L.Name(expr.id)

    def _constant(self, expr: ast.Constant) -> Any:
        value = expr.value
        if value is None or value is True or value is False:
            return L.Name(str(value))
        if value is Ellipsis:
            return L.Ellipsis()
        if isinstance(value, (str, bytes)):
            return L.SimpleString(self.segment(expr))
        if isinstance(value, bool) or isinstance(value, int):
            return L.Integer(value=self.segment(expr))
        if isinstance(value, float):
            return L.Float(value=self.segment(expr))
        return L.Imaginary(value=self.segment(expr))

    def _joined(self, expr: ast.JoinedStr) -> Any:
        parts = []
        for value in expr.values:
            if type(value) is ast.FormattedValue:
                parts.append(self._formatted_value(value))
            # Literal text parts carry nothing a rule reads.
        return L.FormattedString(parts=tuple(parts))

    def _formatted_value(self, value: ast.FormattedValue) -> Any:
        spec = None
        if value.format_spec is not None:
            spec = tuple(self._formatted_value(v) for v in value.format_spec.values if type(v) is ast.FormattedValue)  # type: ignore[attr-defined]
        return L.FormattedStringExpression(expression=self.expr(value.value), conversion=None, format_spec=spec)

    def _attribute(self, expr: ast.Attribute) -> Any:
        return L.Attribute(self.expr(expr.value), self.name(expr.attr))

    def _call(self, expr: ast.Call) -> Any:
        args = [self.arg(a) for a in expr.args]
        if expr.keywords:
            keywords = [self.keyword(k) for k in expr.keywords]
            if any(type(a) is ast.Starred for a in expr.args):
                # `f(a=1, *rest)`: put the arguments back in source order.
                pairs: list[tuple[ast.expr | ast.keyword, cst.Arg]] = [(a, c) for a, c in zip(expr.args, args)]
                pairs += [(k, c) for k, c in zip(expr.keywords, keywords)]
                pairs.sort(key=lambda p: (p[0].lineno, p[0].col_offset))
                args = [c for _, c in pairs]
            else:
                args += keywords
        return L.Call(self.expr(expr.func), tuple(args))

    def _await(self, expr: ast.Await) -> Any:
        return L.Await(expression=self.expr(expr.value))

    def _yield(self, expr: ast.Yield) -> Any:
        return L.Yield(value=None if expr.value is None else self.expr(expr.value))

    def _yield_from(self, expr: ast.YieldFrom) -> Any:
        return L.Yield(value=L.From(item=self.expr(expr.value)))

    def _lambda(self, expr: ast.Lambda) -> Any:
        return L.Lambda(params=self.parameters(expr.args), body=self.expr(expr.body))

    def _ifexp(self, expr: ast.IfExp) -> Any:
        return L.IfExp(test=self.expr(expr.test), body=self.expr(expr.body), orelse=self.expr(expr.orelse))

    def _boolop(self, expr: ast.BoolOp) -> Any:
        operator = _BOOL[type(expr.op)]
        node = self.expr(expr.values[0])
        for value in expr.values[1:]:
            node = L.BooleanOperation(left=node, operator=operator, right=self.expr(value))
        return node

    def _binop(self, expr: ast.BinOp) -> Any:
        return L.BinaryOperation(left=self.expr(expr.left), operator=_BIN[type(expr.op)], right=self.expr(expr.right))

    def _unary(self, expr: ast.UnaryOp) -> Any:
        return L.UnaryOperation(operator=_UNARY[type(expr.op)], expression=self.expr(expr.operand))

    def _compare(self, expr: ast.Compare) -> Any:
        targets = tuple(
            L.ComparisonTarget(operator=_COMPARE[type(op)], comparator=self.expr(right))
            for op, right in zip(expr.ops, expr.comparators)
        )
        return L.Comparison(left=self.expr(expr.left), comparisons=targets)

    def _named(self, expr: ast.NamedExpr) -> Any:
        return L.NamedExpr(target=self.expr(expr.target), value=self.expr(expr.value))

    def _subscript(self, expr: ast.Subscript) -> Any:
        inner = expr.slice
        if type(inner) is ast.Slice:
            part: Any = L.Slice(lower=None if inner.lower is None else self.expr(inner.lower),
                upper=None if inner.upper is None else self.expr(inner.upper),
                step=None if inner.step is None else self.expr(inner.step),
                first_colon=None,
                second_colon=None,
            )
        elif type(inner) is ast.Tuple and inner.elts and not self.segment(inner).startswith("("):
            # `x[a, b]` and `x[a,]`: LibCST has one element per item.
            elements = tuple(
                L.SubscriptElement(slice=self._slice(e) if type(e) is ast.Slice else L.Index(value=self.expr(e), star=None))
                for e in inner.elts
            )
            return L.Subscript(value=self.expr(expr.value), slice=elements)
        else:
            part = L.Index(value=self.expr(inner), star=None)
        element = L.SubscriptElement(slice=part)
        return L.Subscript(value=self.expr(expr.value), slice=(element,))

    def _slice(self, expr: ast.Slice) -> Any:  # a slice inside a tuple subscript: `x[a:b, c]`
        return L.Slice(lower=None if expr.lower is None else self.expr(expr.lower),
            upper=None if expr.upper is None else self.expr(expr.upper),
            step=None if expr.step is None else self.expr(expr.step),
            first_colon=None,
            second_colon=None,
        )

    def _tuple(self, expr: ast.Tuple) -> Any:
        return L.Tuple(elements=tuple(self.element(e) for e in expr.elts))

    def _list(self, expr: ast.List) -> Any:
        return L.List(elements=tuple(self.element(e) for e in expr.elts))

    def _set_display(self, expr: ast.Set) -> Any:
        return L.Set(elements=tuple(self.element(e) for e in expr.elts))

    def _dict(self, expr: ast.Dict) -> Any:
        elements = tuple(
            L.StarredDictElement(value=self.expr(v))
            if k is None
            else L.DictElement(key=self.expr(k), value=self.expr(v))
            for k, v in zip(expr.keys, expr.values)
        )
        return L.Dict(elements=elements)

    def _starred(self, expr: ast.Starred) -> Any:  # `*a, b = ...` targets and other bare stars
        return L.StarredElement(value=self.expr(expr.value))

    def _listcomp(self, expr: ast.ListComp) -> Any:
        return L.ListComp(elt=self.expr(expr.elt), for_in=self.comprehension(expr.generators))

    def _setcomp(self, expr: ast.SetComp) -> Any:
        return L.SetComp(elt=self.expr(expr.elt), for_in=self.comprehension(expr.generators))

    def _genexp(self, expr: ast.GeneratorExp) -> Any:
        return L.GeneratorExp(elt=self.expr(expr.elt), for_in=self.comprehension(expr.generators))

    def _dictcomp(self, expr: ast.DictComp) -> Any:
        return L.DictComp(key=self.expr(expr.key), value=self.expr(expr.value),
            for_in=self.comprehension(expr.generators),
        )


class _Builder(_Expressions):
    """Builds the light nodes of statements, on top of those of expressions."""

    def _header_text_before(self, stmt: ast.stmt) -> bytes:
        """The text before ``stmt`` on its logical line (a backslash continues a line)."""
        line = stmt.lineno - 1
        text = self.lines[line][: stmt.col_offset]
        while not text.strip() and line > 0 and self.lines[line - 1].rstrip(b"\r\n").endswith(b"\\"):
            line -= 1
            text = self.lines[line].rstrip(b"\r\n")[:-1] + text
        return text

    def _same_logical_line(self, before: ast.stmt, stmt: ast.stmt) -> bool:
        """Whether ``stmt`` follows ``before`` on its logical line, after a `;` (the line may
        go on over a backslash: LibCST groups simple statements by logical line)."""
        if stmt.lineno == before.end_lineno:
            return True
        end_line, end_col = before.end_lineno, before.end_col_offset
        if end_line is None or end_col is None:
            return False
        between = self.lines[end_line - 1][end_col:] + b"".join(self.lines[end_line : stmt.lineno - 1])
        between += self.lines[stmt.lineno - 1][: stmt.col_offset]
        for continuation in (b"\\\r\n", b"\\\n", b"\\\r"):
            between = between.replace(continuation, b"")
        return between.strip() == b";"

    # ---------------------------------------------------------- statements
    def block(self, statements: list[ast.stmt]) -> list[cst.BaseStatement]:
        """A module's or an indented block's statements: simple ones grouped by line."""
        out: list[cst.BaseStatement] = []
        line_group: list[cst.BaseSmallStatement] = []
        previous: ast.stmt | None = None
        for stmt in statements:
            if isinstance(stmt, _SIMPLE_STATEMENTS):
                small = self.small(stmt)
                if line_group and previous is not None and self._same_logical_line(previous, stmt):
                    line_group.append(small)
                else:
                    line_group = [small]
                    out.append(L.SimpleStatementLine(line_group))
                previous = stmt
            else:
                line_group = []
                out.append(self.compound(stmt))
        for line in out:
            if type(line) is L.SimpleStatementLine:
                line.body = tuple(line.body)
        return out

    def suite(self, statements: list[ast.stmt]) -> Any:
        """The body of a compound statement: a one-line suite or an indented block."""
        first = statements[0]
        if isinstance(first, _SIMPLE_STATEMENTS) and self._header_text_before(first).rstrip().endswith(b":"):
            smalls = []
            previous: ast.stmt | None = None
            for stmt in statements:
                if not isinstance(stmt, _SIMPLE_STATEMENTS) or (previous is not None and not self._same_logical_line(previous, stmt)):
                    break
                smalls.append(self.small(stmt))
                previous = stmt
            else:
                return L.SimpleStatementSuite(body=tuple(smalls), leading_whitespace=None)
        return L.IndentedBlock(body=tuple(self.block(statements)))

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
        return L.Else(body=self.suite(statements))

    def compound(self, stmt: ast.stmt) -> Any:
        # One branch per statement kind, dispatched on the exact type (faster than
        # isinstance); mypy does not narrow through `kind`, hence the ignores below.
        kind = type(stmt)
        node: cst.CSTNode
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef):
            node = L.FunctionDef(name=self.name(stmt.name),  # type: ignore[attr-defined]
                params=self.parameters(stmt.args),  # type: ignore[attr-defined]
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                decorators=tuple(L.Decorator(decorator=self.expr(d)) for d in stmt.decorator_list),  # type: ignore[attr-defined]
                returns=self.annotation(stmt.returns),  # type: ignore[attr-defined]
                asynchronous=_ASYNC if kind is ast.AsyncFunctionDef else None,
                type_parameters=None,
            )
        elif kind is ast.ClassDef:
            bases = [self.arg(b) for b in stmt.bases]  # type: ignore[attr-defined]
            node = L.ClassDef(name=self.name(stmt.name),  # type: ignore[attr-defined]
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                bases=tuple(bases),
                keywords=tuple(self.keyword(k) for k in stmt.keywords),  # type: ignore[attr-defined]
                decorators=tuple(L.Decorator(decorator=self.expr(d)) for d in stmt.decorator_list),  # type: ignore[attr-defined]
                type_parameters=None,
            )
        elif kind in (ast.If, ast.While):
            node = (L.If if kind is ast.If else L.While)(
                test=self.expr(stmt.test),  # type: ignore[attr-defined]
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                orelse=self.orelse(stmt.orelse, stmt),  # type: ignore[attr-defined]
            )
        elif kind in (ast.For, ast.AsyncFor):
            node = L.For(target=self.expr(stmt.target),  # type: ignore[attr-defined]
                iter=self.expr(stmt.iter),  # type: ignore[attr-defined]
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                orelse=self.orelse(stmt.orelse, stmt),  # type: ignore[attr-defined]
                asynchronous=_ASYNC if kind is ast.AsyncFor else None,
            )
        elif kind in (ast.With, ast.AsyncWith):
            items = tuple(
                L.WithItem(item=self.expr(item.context_expr),
                    asname=None if item.optional_vars is None else L.AsName(name=self.expr(item.optional_vars)),
                )
                for item in stmt.items  # type: ignore[attr-defined]
            )
            node = L.With(items=items,
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                asynchronous=_ASYNC if kind is ast.AsyncWith else None,
            )
        elif kind in (ast.Try, ast.TryStar):
            star = kind is ast.TryStar
            handler_type = L.ExceptStarHandler if star else L.ExceptHandler
            handlers = tuple(
                self.at(
                    handler_type(
                        body=self.suite(h.body),
                        type=None if h.type is None else self.expr(h.type),
                        name=None if h.name is None else L.AsName(name=self.name(h.name)),
                    ),
                    h,
                )
                for h in stmt.handlers  # type: ignore[attr-defined]
            )
            node = (L.TryStar if star else L.Try)(
                body=self.suite(stmt.body),  # type: ignore[attr-defined]
                handlers=handlers,
                orelse=self.orelse(stmt.orelse, stmt),  # type: ignore[attr-defined]
                finalbody=None if not stmt.finalbody else L.Finally(body=self.suite(stmt.finalbody)),  # type: ignore[attr-defined]
            )
        elif kind is ast.Match:
            cases = tuple(
                L.MatchCase(pattern=self.pattern(case.pattern),
                    body=self.suite(case.body),
                    guard=None if case.guard is None else self.expr(case.guard),
                )
                for case in stmt.cases  # type: ignore[attr-defined]
            )
            node = L.Match(subject=self.expr(stmt.subject), cases=cases)  # type: ignore[attr-defined]
        else:
            raise Unsupported(type(stmt).__name__)
        return self.at(node, stmt)

    def pattern(self, pattern: ast.pattern) -> Any:
        kind = type(pattern)
        node: cst.CSTNode
        if kind is ast.MatchAs:
            node = L.MatchAs(pattern=None if pattern.pattern is None else self.pattern(pattern.pattern),  # type: ignore[attr-defined]
                name=None if pattern.name is None else self.name(pattern.name),  # type: ignore[attr-defined]
            )
        elif kind is ast.MatchValue:
            node = L.MatchValue(value=self.expr(pattern.value))  # type: ignore[attr-defined]
        elif kind is ast.MatchSingleton:
            node = L.MatchSingleton(value=self.name(str(pattern.value)))  # type: ignore[attr-defined]
        elif kind is ast.MatchSequence:
            elements = tuple(
                L.MatchStar(name=None if p.name is None else self.name(p.name))
                if type(p) is ast.MatchStar
                else L.MatchSequenceElement(value=self.pattern(p))
                for p in pattern.patterns  # type: ignore[attr-defined]
            )
            shape = L.MatchTuple if self.segment(pattern).startswith("(") else L.MatchList
            node = shape(patterns=elements)
        elif kind is ast.MatchMapping:
            entries = tuple(
                L.MatchMappingElement(key=self.expr(k), pattern=self.pattern(p))
                for k, p in zip(pattern.keys, pattern.patterns)  # type: ignore[attr-defined]
            )
            rest = None if pattern.rest is None else self.name(pattern.rest)  # type: ignore[attr-defined]
            node = L.MatchMapping(elements=entries, rest=rest)
        elif kind is ast.MatchClass:
            node = L.MatchClass(cls=self.expr(pattern.cls),  # type: ignore[attr-defined]
                patterns=tuple(L.MatchSequenceElement(value=self.pattern(p)) for p in pattern.patterns),  # type: ignore[attr-defined]
                kwds=tuple(
                    L.MatchKeywordElement(key=self.name(k), pattern=self.pattern(p))
                    for k, p in zip(pattern.kwd_attrs, pattern.kwd_patterns)  # type: ignore[attr-defined]
                ),
            )
        elif kind is ast.MatchOr:
            node = L.MatchOr(patterns=tuple(L.MatchOrElement(pattern=self.pattern(p), separator=None) for p in pattern.patterns),  # type: ignore[attr-defined]
            )
        else:
            raise Unsupported(kind.__name__)
        return self.at(node, pattern)

    def small(self, stmt: ast.stmt) -> Any:
        kind = type(stmt)
        node: cst.CSTNode
        if kind is ast.Expr:
            node = L.Expr(self.expr(stmt.value))  # type: ignore[attr-defined]
        elif kind is ast.Assign:
            targets = tuple(L.AssignTarget(self.expr(t)) for t in stmt.targets)  # type: ignore[attr-defined]
            node = L.Assign(targets, self.expr(stmt.value))  # type: ignore[attr-defined]
        elif kind is ast.AugAssign:
            node = L.AugAssign(target=self.expr(stmt.target),  # type: ignore[attr-defined]
                operator=_AUG[type(stmt.op)],  # type: ignore[attr-defined]
                value=self.expr(stmt.value),  # type: ignore[attr-defined]
            )
        elif kind is ast.AnnAssign:
            node = L.AnnAssign(target=self.expr(stmt.target),  # type: ignore[attr-defined]
                annotation=self.annotation(stmt.annotation),  # type: ignore[attr-defined]
                value=None if stmt.value is None else self.expr(stmt.value),  # type: ignore[attr-defined]
            )
        elif kind is ast.Return:
            node = L.Return(value=None if stmt.value is None else self.expr(stmt.value))  # type: ignore[attr-defined]
        elif kind is ast.Raise:
            node = L.Raise(exc=None if stmt.exc is None else self.expr(stmt.exc),  # type: ignore[attr-defined]
                cause=None if stmt.cause is None else L.From(item=self.expr(stmt.cause)),  # type: ignore[attr-defined]
            )
        elif kind is ast.Delete:
            targets = stmt.targets  # type: ignore[attr-defined]
            if len(targets) == 1:
                target = self.expr(targets[0])
            else:
                target = L.Tuple(elements=tuple(self.element(t) for t in targets))
            node = L.Del(target=target)
        elif kind is ast.Pass:
            node = L.Pass()
        elif kind is ast.Break:
            node = L.Break()
        elif kind is ast.Continue:
            node = L.Continue()
        elif kind in (ast.Global, ast.Nonlocal):
            items = tuple(L.NameItem(name=self.name(n)) for n in stmt.names)  # type: ignore[attr-defined]
            node = (L.Global if kind is ast.Global else L.Nonlocal)(names=items)
        elif kind is ast.Assert:
            node = L.Assert(test=self.expr(stmt.test),  # type: ignore[attr-defined]
                msg=None if stmt.msg is None else self.expr(stmt.msg),  # type: ignore[attr-defined]
            )
        elif kind is ast.Import:
            node = L.Import(names=tuple(self.alias(a) for a in stmt.names))  # type: ignore[attr-defined]
        elif kind is ast.ImportFrom:
            if len(stmt.names) == 1 and stmt.names[0].name == "*":  # type: ignore[attr-defined]
                names: Any = L.ImportStar()
            else:
                names = tuple(self.alias(a) for a in stmt.names)  # type: ignore[attr-defined]
            node = L.ImportFrom(module=None if stmt.module is None else self.dotted(stmt.module),  # type: ignore[attr-defined]
                names=names,
                relative=tuple(L.Dot() for _ in range(stmt.level or 0)),  # type: ignore[attr-defined]
            )
        else:
            raise Unsupported(type(stmt).__name__)
        return self.at(node, stmt)

    def dotted(self, text: str) -> Any:
        parts = text.split(".")
        node: Any = self.name(parts[0])
        for part in parts[1:]:
            node = L.Attribute(node, self.name(part))
        return node

    def alias(self, alias: ast.alias) -> cst.ImportAlias:
        asname = None if alias.asname is None else L.AsName(name=self.name(alias.asname))
        return L.ImportAlias(name=self.dotted(alias.name), asname=asname)


_EXPRESSIONS: dict[type, Callable[[_Expressions, Any], Any]] = {
    ast.Name: _Expressions._name,
    ast.Constant: _Expressions._constant,
    ast.JoinedStr: _Expressions._joined,
    ast.Attribute: _Expressions._attribute,
    ast.Call: _Expressions._call,
    ast.Await: _Expressions._await,
    ast.Yield: _Expressions._yield,
    ast.YieldFrom: _Expressions._yield_from,
    ast.Lambda: _Expressions._lambda,
    ast.IfExp: _Expressions._ifexp,
    ast.BoolOp: _Expressions._boolop,
    ast.BinOp: _Expressions._binop,
    ast.UnaryOp: _Expressions._unary,
    ast.Compare: _Expressions._compare,
    ast.NamedExpr: _Expressions._named,
    ast.Subscript: _Expressions._subscript,
    ast.Slice: _Expressions._slice,
    ast.Tuple: _Expressions._tuple,
    ast.List: _Expressions._list,
    ast.Set: _Expressions._set_display,
    ast.Dict: _Expressions._dict,
    ast.Starred: _Expressions._starred,
    ast.ListComp: _Expressions._listcomp,
    ast.SetComp: _Expressions._setcomp,
    ast.GeneratorExp: _Expressions._genexp,
    ast.DictComp: _Expressions._dictcomp,
}


class FromLibCST(Light):
    """The light tree of a module that ``ast`` cannot parse here but LibCST can (syntax
    newer than the running Python): built from LibCST's tree, with LibCST's positions."""

    def __init__(self, module: cst.Module, twins: dict[cst.CSTNode, Any], tree: Any, text: str) -> None:
        super().__init__(module, {}, [], text)
        self._twins = twins  # light node -> LibCST node
        #: LibCST's tree, the fixers' too.
        self.tree = tree
        self._positions: Any = None

    def span(self, node: cst.CSTNode) -> tuple[int, int, int, int] | None:
        twin = self._twins.get(node)
        if twin is None:
            return None
        if self._positions is None:
            from libcst.metadata import MetadataWrapper, PositionProvider

            self._positions = MetadataWrapper(self.tree, unsafe_skip_copy=True).resolve(PositionProvider)
        where = self._positions[twin]
        return (where.start.line, where.start.column + 1, where.end.line, where.end.column + 1)

    def source(self, node: cst.CSTNode) -> str:
        twin = self._twins.get(node)
        return self.tree.code_for_node(twin) if twin is not None else ""


def from_libcst(tree: Any, text: str) -> FromLibCST:
    """Build the light tree of LibCST's ``tree`` (of ``text``).

    An implicitly concatenated string becomes one string, as ``convert`` makes it
    (an f-string holding every ``{...}`` of its pieces). A node the light tree has no
    class for stands in as an opaque node of its kind, so that no sequence loses a
    place: an expression (a t-string) as ``...``, a statement (``type X = int``) as
    ``pass``; other such nodes (type parameters) are left out. No rule looks inside them.
    """
    import libcst

    twins: dict[cst.CSTNode, Any] = {}

    def build(node: Any) -> Any:
        name = type(node).__name__
        if name == "ConcatenatedString":
            pieces = list(_string_pieces(node))
            if any(isinstance(p, libcst.FormattedString) for p in pieces):
                expressions = [
                    build(part) for p in pieces if isinstance(p, libcst.FormattedString) for part in p.parts
                    if isinstance(part, libcst.FormattedStringExpression)
                ]
                string: Any = L.FormattedString(parts=tuple(expressions))
            else:
                string = L.SimpleString(tree.code_for_node(node))
            twins[string] = node
            return string
        kind = LIGHT.get(name)
        if kind is None:
            if isinstance(node, libcst.BaseExpression):
                stand_in: Any = L.Ellipsis()
            elif isinstance(node, libcst.BaseSmallStatement):
                stand_in = L.Pass()
            elif isinstance(node, libcst.BaseCompoundStatement):
                stand_in = L.SimpleStatementLine((L.Pass(),))
            else:
                return None
            twins[stand_in] = node
            return stand_in
        made = kind(*(value(getattr(node, field, None)) for field in kind._fields_))
        twins[made] = node
        return made

    def value(field: Any) -> Any:
        if isinstance(field, (list, tuple)):
            return tuple(v for v in (value(item) for item in field) if v is not None)
        if type(field).__name__ == "MaybeSentinel":
            return None
        if hasattr(field, "_codegen_impl"):  # a LibCST node
            return build(field)
        return field

    module = build(tree)
    module.encoding = tree.encoding
    return FromLibCST(module, twins, tree, text)


def _string_pieces(node: Any) -> Iterator[Any]:
    """The strings an implicit concatenation is made of, in order."""
    for piece in (node.left, node.right):
        if type(piece).__name__ == "ConcatenatedString":
            yield from _string_pieces(piece)
        else:
            yield piece
