"""The light tree's node classes: generated, do not edit by hand.

Written by `python -m lint_structured.docs` from `lint_structured/gen_nodes.py`
(a test keeps the two equal). See `nodes.py` for what the light tree is.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence


class CSTNode:
    """A light node: compared and hashed by identity, like LibCST's."""

    __slots__ = ()
    _fields_: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n, None)!r}' for n in self._fields_)})"


class BaseExpression(CSTNode):
    __slots__ = ()


class BaseStatement(CSTNode):
    __slots__ = ()


class BaseSmallStatement(CSTNode):
    __slots__ = ()


class BaseSuite(CSTNode):
    __slots__ = ()
    body: Sequence[CSTNode]


class Add(CSTNode):
    __slots__ = ()
    _fields_ = ()


class AddAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class And(CSTNode):
    __slots__ = ()
    _fields_ = ()


class AnnAssign(BaseSmallStatement):
    __slots__ = ("target", "annotation", "value")
    _fields_ = ("target", "annotation", "value")
    target: BaseExpression
    annotation: Annotation
    value: BaseExpression | None

    def __init__(self, target: Any = None, annotation: Any = None, value: Any = None) -> None:
        self.target = target
        self.annotation = annotation
        self.value = value


class Annotation(CSTNode):
    __slots__ = ("annotation",)
    _fields_ = ("annotation",)
    annotation: BaseExpression

    def __init__(self, annotation: Any = None) -> None:
        self.annotation = annotation


class Arg(CSTNode):
    __slots__ = ("value", "keyword", "star")
    _fields_ = ("value", "keyword", "star")
    value: BaseExpression
    keyword: Name | None
    star: Literal["", "*", "**"]

    def __init__(self, value: Any = None, keyword: Any = None, star: Any = None) -> None:
        self.value = value
        self.keyword = keyword
        self.star = star


class AsName(CSTNode):
    __slots__ = ("name",)
    _fields_ = ("name",)
    name: Name | Tuple | List

    def __init__(self, name: Any = None) -> None:
        self.name = name


class Assert(BaseSmallStatement):
    __slots__ = ("test", "msg")
    _fields_ = ("test", "msg")
    test: BaseExpression
    msg: BaseExpression | None

    def __init__(self, test: Any = None, msg: Any = None) -> None:
        self.test = test
        self.msg = msg


class Assign(BaseSmallStatement):
    __slots__ = ("targets", "value")
    _fields_ = ("targets", "value")
    targets: Sequence[AssignTarget]
    value: BaseExpression

    def __init__(self, targets: Any = None, value: Any = None) -> None:
        self.targets = targets
        self.value = value


class AssignTarget(CSTNode):
    __slots__ = ("target",)
    _fields_ = ("target",)
    target: BaseExpression

    def __init__(self, target: Any = None) -> None:
        self.target = target


class Attribute(BaseExpression):
    __slots__ = ("value", "attr")
    _fields_ = ("value", "attr")
    value: BaseExpression
    attr: Name

    def __init__(self, value: Any = None, attr: Any = None) -> None:
        self.value = value
        self.attr = attr


class Asynchronous(CSTNode):
    __slots__ = ()
    _fields_ = ()


class AugAssign(BaseSmallStatement):
    __slots__ = ("target", "operator", "value")
    _fields_ = ("target", "operator", "value")
    target: BaseExpression
    operator: CSTNode
    value: BaseExpression

    def __init__(self, target: Any = None, operator: Any = None, value: Any = None) -> None:
        self.target = target
        self.operator = operator
        self.value = value


class Await(BaseExpression):
    __slots__ = ("expression",)
    _fields_ = ("expression",)
    expression: BaseExpression

    def __init__(self, expression: Any = None) -> None:
        self.expression = expression


class BinaryOperation(BaseExpression):
    __slots__ = ("left", "operator", "right")
    _fields_ = ("left", "operator", "right")
    left: BaseExpression
    operator: CSTNode
    right: BaseExpression

    def __init__(self, left: Any = None, operator: Any = None, right: Any = None) -> None:
        self.left = left
        self.operator = operator
        self.right = right


class BitAnd(CSTNode):
    __slots__ = ()
    _fields_ = ()


class BitAndAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class BitInvert(CSTNode):
    __slots__ = ()
    _fields_ = ()


class BitOr(CSTNode):
    __slots__ = ()
    _fields_ = ()


class BitOrAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class BitXor(CSTNode):
    __slots__ = ()
    _fields_ = ()


class BitXorAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class BooleanOperation(BaseExpression):
    __slots__ = ("left", "operator", "right")
    _fields_ = ("left", "operator", "right")
    left: BaseExpression
    operator: CSTNode
    right: BaseExpression

    def __init__(self, left: Any = None, operator: Any = None, right: Any = None) -> None:
        self.left = left
        self.operator = operator
        self.right = right


class Break(BaseSmallStatement):
    __slots__ = ()
    _fields_ = ()


class Call(BaseExpression):
    __slots__ = ("func", "args")
    _fields_ = ("func", "args")
    func: BaseExpression
    args: Sequence[Arg]

    def __init__(self, func: Any = None, args: Any = None) -> None:
        self.func = func
        self.args = args


class ClassDef(BaseStatement):
    __slots__ = ("name", "body", "bases", "keywords", "decorators", "type_parameters")
    _fields_ = ("name", "body", "bases", "keywords", "decorators", "type_parameters")
    name: Name
    body: BaseSuite
    bases: Sequence[Arg]
    keywords: Sequence[Arg]
    decorators: Sequence[Decorator]
    type_parameters: CSTNode | None

    def __init__(self, name: Any = None, body: Any = None, bases: Any = None, keywords: Any = None, decorators: Any = None, type_parameters: Any = None) -> None:
        self.name = name
        self.body = body
        self.bases = bases
        self.keywords = keywords
        self.decorators = decorators
        self.type_parameters = type_parameters


class CompFor(CSTNode):
    __slots__ = ("target", "iter", "ifs", "inner_for_in", "asynchronous")
    _fields_ = ("target", "iter", "ifs", "inner_for_in", "asynchronous")
    target: BaseExpression
    iter: BaseExpression
    ifs: Sequence[CompIf]
    inner_for_in: CompFor | None
    asynchronous: Asynchronous | None

    def __init__(self, target: Any = None, iter: Any = None, ifs: Any = None, inner_for_in: Any = None, asynchronous: Any = None) -> None:
        self.target = target
        self.iter = iter
        self.ifs = ifs
        self.inner_for_in = inner_for_in
        self.asynchronous = asynchronous


class CompIf(CSTNode):
    __slots__ = ("test",)
    _fields_ = ("test",)
    test: BaseExpression

    def __init__(self, test: Any = None) -> None:
        self.test = test


class Comparison(BaseExpression):
    __slots__ = ("left", "comparisons")
    _fields_ = ("left", "comparisons")
    left: BaseExpression
    comparisons: Sequence[ComparisonTarget]

    def __init__(self, left: Any = None, comparisons: Any = None) -> None:
        self.left = left
        self.comparisons = comparisons


class ComparisonTarget(CSTNode):
    __slots__ = ("operator", "comparator")
    _fields_ = ("operator", "comparator")
    operator: CSTNode
    comparator: BaseExpression

    def __init__(self, operator: Any = None, comparator: Any = None) -> None:
        self.operator = operator
        self.comparator = comparator


class Continue(BaseSmallStatement):
    __slots__ = ()
    _fields_ = ()


class Decorator(CSTNode):
    __slots__ = ("decorator",)
    _fields_ = ("decorator",)
    decorator: BaseExpression

    def __init__(self, decorator: Any = None) -> None:
        self.decorator = decorator


class Del(BaseSmallStatement):
    __slots__ = ("target",)
    _fields_ = ("target",)
    target: BaseExpression

    def __init__(self, target: Any = None) -> None:
        self.target = target


class Dict(BaseExpression):
    __slots__ = ("elements",)
    _fields_ = ("elements",)
    elements: Sequence[DictElement | StarredDictElement]

    def __init__(self, elements: Any = None) -> None:
        self.elements = elements


class DictComp(BaseExpression):
    __slots__ = ("key", "value", "for_in")
    _fields_ = ("key", "value", "for_in")
    key: BaseExpression
    value: BaseExpression
    for_in: CompFor

    def __init__(self, key: Any = None, value: Any = None, for_in: Any = None) -> None:
        self.key = key
        self.value = value
        self.for_in = for_in


class DictElement(CSTNode):
    __slots__ = ("key", "value")
    _fields_ = ("key", "value")
    key: BaseExpression
    value: BaseExpression

    def __init__(self, key: Any = None, value: Any = None) -> None:
        self.key = key
        self.value = value


class Divide(CSTNode):
    __slots__ = ()
    _fields_ = ()


class DivideAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Dot(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Element(CSTNode):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: BaseExpression

    def __init__(self, value: Any = None) -> None:
        self.value = value


class Ellipsis(BaseExpression):
    __slots__ = ()
    _fields_ = ()


class Else(CSTNode):
    __slots__ = ("body",)
    _fields_ = ("body",)
    body: BaseSuite

    def __init__(self, body: Any = None) -> None:
        self.body = body


class Equal(CSTNode):
    __slots__ = ()
    _fields_ = ()


class ExceptHandler(CSTNode):
    __slots__ = ("body", "type", "name")
    _fields_ = ("body", "type", "name")
    body: BaseSuite
    type: BaseExpression | None
    name: AsName | None

    def __init__(self, body: Any = None, type: Any = None, name: Any = None) -> None:
        self.body = body
        self.type = type
        self.name = name


class ExceptStarHandler(CSTNode):
    __slots__ = ("body", "type", "name")
    _fields_ = ("body", "type", "name")
    body: BaseSuite
    type: BaseExpression
    name: AsName | None

    def __init__(self, body: Any = None, type: Any = None, name: Any = None) -> None:
        self.body = body
        self.type = type
        self.name = name


class Expr(BaseSmallStatement):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: BaseExpression

    def __init__(self, value: Any = None) -> None:
        self.value = value


class Finally(CSTNode):
    __slots__ = ("body",)
    _fields_ = ("body",)
    body: BaseSuite

    def __init__(self, body: Any = None) -> None:
        self.body = body


class Float(BaseExpression):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: str

    def __init__(self, value: Any = None) -> None:
        self.value = value


class FloorDivide(CSTNode):
    __slots__ = ()
    _fields_ = ()


class FloorDivideAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class For(BaseStatement):
    __slots__ = ("target", "iter", "body", "orelse", "asynchronous")
    _fields_ = ("target", "iter", "body", "orelse", "asynchronous")
    target: BaseExpression
    iter: BaseExpression
    body: BaseSuite
    orelse: Else | None
    asynchronous: Asynchronous | None

    def __init__(self, target: Any = None, iter: Any = None, body: Any = None, orelse: Any = None, asynchronous: Any = None) -> None:
        self.target = target
        self.iter = iter
        self.body = body
        self.orelse = orelse
        self.asynchronous = asynchronous


class FormattedString(BaseExpression):
    __slots__ = ("parts", "end")
    _fields_ = ("parts", "end")
    parts: Sequence[CSTNode]
    end: Literal[""", """, """"", """""]

    def __init__(self, parts: Any = None, end: Any = None) -> None:
        self.parts = parts
        self.end = end


class FormattedStringExpression(CSTNode):
    __slots__ = ("expression", "conversion", "format_spec")
    _fields_ = ("expression", "conversion", "format_spec")
    expression: BaseExpression
    conversion: str | None
    format_spec: Sequence[CSTNode] | None

    def __init__(self, expression: Any = None, conversion: Any = None, format_spec: Any = None) -> None:
        self.expression = expression
        self.conversion = conversion
        self.format_spec = format_spec


class From(CSTNode):
    __slots__ = ("item",)
    _fields_ = ("item",)
    item: BaseExpression

    def __init__(self, item: Any = None) -> None:
        self.item = item


class FunctionDef(BaseStatement):
    __slots__ = ("name", "params", "body", "decorators", "returns", "asynchronous", "type_parameters")
    _fields_ = ("name", "params", "body", "decorators", "returns", "asynchronous", "type_parameters")
    name: Name
    params: Parameters
    body: BaseSuite
    decorators: Sequence[Decorator]
    returns: Annotation | None
    asynchronous: Asynchronous | None
    type_parameters: CSTNode | None

    def __init__(self, name: Any = None, params: Any = None, body: Any = None, decorators: Any = None, returns: Any = None, asynchronous: Any = None, type_parameters: Any = None) -> None:
        self.name = name
        self.params = params
        self.body = body
        self.decorators = decorators
        self.returns = returns
        self.asynchronous = asynchronous
        self.type_parameters = type_parameters


class GeneratorExp(BaseExpression):
    __slots__ = ("elt", "for_in")
    _fields_ = ("elt", "for_in")
    elt: BaseExpression
    for_in: CompFor

    def __init__(self, elt: Any = None, for_in: Any = None) -> None:
        self.elt = elt
        self.for_in = for_in


class Global(BaseSmallStatement):
    __slots__ = ("names",)
    _fields_ = ("names",)
    names: Sequence[NameItem]

    def __init__(self, names: Any = None) -> None:
        self.names = names


class GreaterThan(CSTNode):
    __slots__ = ()
    _fields_ = ()


class GreaterThanEqual(CSTNode):
    __slots__ = ()
    _fields_ = ()


class If(BaseStatement):
    __slots__ = ("test", "body", "orelse")
    _fields_ = ("test", "body", "orelse")
    test: BaseExpression
    body: BaseSuite
    orelse: If | Else | None

    def __init__(self, test: Any = None, body: Any = None, orelse: Any = None) -> None:
        self.test = test
        self.body = body
        self.orelse = orelse


class IfExp(BaseExpression):
    __slots__ = ("test", "body", "orelse")
    _fields_ = ("test", "body", "orelse")
    test: BaseExpression
    body: BaseExpression
    orelse: BaseExpression

    def __init__(self, test: Any = None, body: Any = None, orelse: Any = None) -> None:
        self.test = test
        self.body = body
        self.orelse = orelse


class Imaginary(BaseExpression):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: str

    def __init__(self, value: Any = None) -> None:
        self.value = value


class Import(BaseSmallStatement):
    __slots__ = ("names",)
    _fields_ = ("names",)
    names: Sequence[ImportAlias]

    def __init__(self, names: Any = None) -> None:
        self.names = names


class ImportAlias(CSTNode):
    __slots__ = ("name", "asname")
    _fields_ = ("name", "asname")
    name: Attribute | Name
    asname: AsName | None

    def __init__(self, name: Any = None, asname: Any = None) -> None:
        self.name = name
        self.asname = asname


class ImportFrom(BaseSmallStatement):
    __slots__ = ("module", "names", "relative")
    _fields_ = ("module", "names", "relative")
    module: Attribute | Name | None
    names: Sequence[ImportAlias] | ImportStar
    relative: Sequence[Dot]

    def __init__(self, module: Any = None, names: Any = None, relative: Any = None) -> None:
        self.module = module
        self.names = names
        self.relative = relative


class ImportStar(CSTNode):
    __slots__ = ()
    _fields_ = ()


class In(CSTNode):
    __slots__ = ()
    _fields_ = ()


class IndentedBlock(BaseSuite):
    __slots__ = ("body",)
    _fields_ = ("body",)
    body: Sequence[BaseStatement]

    def __init__(self, body: Any = None) -> None:
        self.body = body


class Index(CSTNode):
    __slots__ = ("value", "star")
    _fields_ = ("value", "star")
    value: BaseExpression
    star: Literal["*"] | None

    def __init__(self, value: Any = None, star: Any = None) -> None:
        self.value = value
        self.star = star


class Integer(BaseExpression):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: str

    def __init__(self, value: Any = None) -> None:
        self.value = value


class Is(CSTNode):
    __slots__ = ()
    _fields_ = ()


class IsNot(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Lambda(BaseExpression):
    __slots__ = ("params", "body")
    _fields_ = ("params", "body")
    params: Parameters
    body: BaseExpression

    def __init__(self, params: Any = None, body: Any = None) -> None:
        self.params = params
        self.body = body


class LeftShift(CSTNode):
    __slots__ = ()
    _fields_ = ()


class LeftShiftAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class LessThan(CSTNode):
    __slots__ = ()
    _fields_ = ()


class LessThanEqual(CSTNode):
    __slots__ = ()
    _fields_ = ()


class List(BaseExpression):
    __slots__ = ("elements",)
    _fields_ = ("elements",)
    elements: Sequence[Element | StarredElement]

    def __init__(self, elements: Any = None) -> None:
        self.elements = elements


class ListComp(BaseExpression):
    __slots__ = ("elt", "for_in")
    _fields_ = ("elt", "for_in")
    elt: BaseExpression
    for_in: CompFor

    def __init__(self, elt: Any = None, for_in: Any = None) -> None:
        self.elt = elt
        self.for_in = for_in


class Match(BaseStatement):
    __slots__ = ("subject", "cases")
    _fields_ = ("subject", "cases")
    subject: BaseExpression
    cases: Sequence[MatchCase]

    def __init__(self, subject: Any = None, cases: Any = None) -> None:
        self.subject = subject
        self.cases = cases


class MatchAs(CSTNode):
    __slots__ = ("pattern", "name")
    _fields_ = ("pattern", "name")
    pattern: CSTNode | None
    name: Name | None

    def __init__(self, pattern: Any = None, name: Any = None) -> None:
        self.pattern = pattern
        self.name = name


class MatchCase(CSTNode):
    __slots__ = ("pattern", "body", "guard")
    _fields_ = ("pattern", "body", "guard")
    pattern: CSTNode
    body: BaseSuite
    guard: BaseExpression | None

    def __init__(self, pattern: Any = None, body: Any = None, guard: Any = None) -> None:
        self.pattern = pattern
        self.body = body
        self.guard = guard


class MatchClass(CSTNode):
    __slots__ = ("cls", "patterns", "kwds")
    _fields_ = ("cls", "patterns", "kwds")
    cls: BaseExpression
    patterns: Sequence[MatchSequenceElement]
    kwds: Sequence[MatchKeywordElement]

    def __init__(self, cls: Any = None, patterns: Any = None, kwds: Any = None) -> None:
        self.cls = cls
        self.patterns = patterns
        self.kwds = kwds


class MatchKeywordElement(CSTNode):
    __slots__ = ("key", "pattern")
    _fields_ = ("key", "pattern")
    key: Name
    pattern: CSTNode

    def __init__(self, key: Any = None, pattern: Any = None) -> None:
        self.key = key
        self.pattern = pattern


class MatchList(CSTNode):
    __slots__ = ("patterns",)
    _fields_ = ("patterns",)
    patterns: Sequence[MatchSequenceElement | MatchStar]

    def __init__(self, patterns: Any = None) -> None:
        self.patterns = patterns


class MatchMapping(CSTNode):
    __slots__ = ("elements", "rest")
    _fields_ = ("elements", "rest")
    elements: Sequence[MatchMappingElement]
    rest: Name | None

    def __init__(self, elements: Any = None, rest: Any = None) -> None:
        self.elements = elements
        self.rest = rest


class MatchMappingElement(CSTNode):
    __slots__ = ("key", "pattern")
    _fields_ = ("key", "pattern")
    key: BaseExpression
    pattern: CSTNode

    def __init__(self, key: Any = None, pattern: Any = None) -> None:
        self.key = key
        self.pattern = pattern


class MatchOr(CSTNode):
    __slots__ = ("patterns",)
    _fields_ = ("patterns",)
    patterns: Sequence[MatchOrElement]

    def __init__(self, patterns: Any = None) -> None:
        self.patterns = patterns


class MatchOrElement(CSTNode):
    __slots__ = ("pattern", "separator")
    _fields_ = ("pattern", "separator")
    pattern: CSTNode
    separator: BitOr | None

    def __init__(self, pattern: Any = None, separator: Any = None) -> None:
        self.pattern = pattern
        self.separator = separator


class MatchSequenceElement(CSTNode):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: CSTNode

    def __init__(self, value: Any = None) -> None:
        self.value = value


class MatchSingleton(CSTNode):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: Name

    def __init__(self, value: Any = None) -> None:
        self.value = value


class MatchStar(CSTNode):
    __slots__ = ("name",)
    _fields_ = ("name",)
    name: Name | None

    def __init__(self, name: Any = None) -> None:
        self.name = name


class MatchTuple(CSTNode):
    __slots__ = ("patterns",)
    _fields_ = ("patterns",)
    patterns: Sequence[MatchSequenceElement | MatchStar]

    def __init__(self, patterns: Any = None) -> None:
        self.patterns = patterns


class MatchValue(CSTNode):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: BaseExpression

    def __init__(self, value: Any = None) -> None:
        self.value = value


class MatrixMultiply(CSTNode):
    __slots__ = ()
    _fields_ = ()


class MatrixMultiplyAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Minus(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Module(CSTNode):
    __slots__ = ("body", "encoding")
    _fields_ = ("body", "encoding")
    body: Sequence[SimpleStatementLine | BaseStatement]
    encoding: str

    def __init__(self, body: Any = None, encoding: Any = None) -> None:
        self.body = body
        self.encoding = encoding


class Modulo(CSTNode):
    __slots__ = ()
    _fields_ = ()


class ModuloAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Multiply(CSTNode):
    __slots__ = ()
    _fields_ = ()


class MultiplyAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Name(BaseExpression):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: str

    def __init__(self, value: Any = None) -> None:
        self.value = value


class NameItem(CSTNode):
    __slots__ = ("name",)
    _fields_ = ("name",)
    name: Name

    def __init__(self, name: Any = None) -> None:
        self.name = name


class NamedExpr(BaseExpression):
    __slots__ = ("target", "value")
    _fields_ = ("target", "value")
    target: BaseExpression
    value: BaseExpression

    def __init__(self, target: Any = None, value: Any = None) -> None:
        self.target = target
        self.value = value


class Nonlocal(BaseSmallStatement):
    __slots__ = ("names",)
    _fields_ = ("names",)
    names: Sequence[NameItem]

    def __init__(self, names: Any = None) -> None:
        self.names = names


class Not(CSTNode):
    __slots__ = ()
    _fields_ = ()


class NotEqual(CSTNode):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: str

    def __init__(self, value: Any = None) -> None:
        self.value = value


class NotIn(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Or(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Param(CSTNode):
    __slots__ = ("name", "annotation", "default", "star")
    _fields_ = ("name", "annotation", "default", "star")
    name: Name
    annotation: Annotation | None
    default: BaseExpression | None
    star: str | None

    def __init__(self, name: Any = None, annotation: Any = None, default: Any = None, star: Any = None) -> None:
        self.name = name
        self.annotation = annotation
        self.default = default
        self.star = star


class ParamSlash(CSTNode):
    __slots__ = ()
    _fields_ = ()


class ParamStar(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Parameters(CSTNode):
    __slots__ = ("params", "star_arg", "kwonly_params", "star_kwarg", "posonly_params", "posonly_ind")
    _fields_ = ("params", "star_arg", "kwonly_params", "star_kwarg", "posonly_params", "posonly_ind")
    params: Sequence[Param]
    star_arg: Param | ParamStar | None
    kwonly_params: Sequence[Param]
    star_kwarg: Param | None
    posonly_params: Sequence[Param]
    posonly_ind: ParamSlash | None

    def __init__(self, params: Any = None, star_arg: Any = None, kwonly_params: Any = None, star_kwarg: Any = None, posonly_params: Any = None, posonly_ind: Any = None) -> None:
        self.params = params
        self.star_arg = star_arg
        self.kwonly_params = kwonly_params
        self.star_kwarg = star_kwarg
        self.posonly_params = posonly_params
        self.posonly_ind = posonly_ind


class Pass(BaseSmallStatement):
    __slots__ = ()
    _fields_ = ()


class Plus(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Power(CSTNode):
    __slots__ = ()
    _fields_ = ()


class PowerAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Raise(BaseSmallStatement):
    __slots__ = ("exc", "cause")
    _fields_ = ("exc", "cause")
    exc: BaseExpression | None
    cause: From | None

    def __init__(self, exc: Any = None, cause: Any = None) -> None:
        self.exc = exc
        self.cause = cause


class Return(BaseSmallStatement):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: BaseExpression | None

    def __init__(self, value: Any = None) -> None:
        self.value = value


class RightShift(CSTNode):
    __slots__ = ()
    _fields_ = ()


class RightShiftAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Set(BaseExpression):
    __slots__ = ("elements",)
    _fields_ = ("elements",)
    elements: Sequence[Element | StarredElement]

    def __init__(self, elements: Any = None) -> None:
        self.elements = elements


class SetComp(BaseExpression):
    __slots__ = ("elt", "for_in")
    _fields_ = ("elt", "for_in")
    elt: BaseExpression
    for_in: CompFor

    def __init__(self, elt: Any = None, for_in: Any = None) -> None:
        self.elt = elt
        self.for_in = for_in


class SimpleStatementLine(BaseStatement):
    __slots__ = ("body",)
    _fields_ = ("body",)
    body: Sequence[BaseSmallStatement]

    def __init__(self, body: Any = None) -> None:
        self.body = body


class SimpleStatementSuite(BaseSuite):
    __slots__ = ("body", "leading_whitespace")
    _fields_ = ("body", "leading_whitespace")
    body: Sequence[BaseSmallStatement]
    leading_whitespace: Any

    def __init__(self, body: Any = None, leading_whitespace: Any = None) -> None:
        self.body = body
        self.leading_whitespace = leading_whitespace


class SimpleString(BaseExpression):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: str

    def __init__(self, value: Any = None) -> None:
        self.value = value


class Slice(CSTNode):
    __slots__ = ("lower", "upper", "step", "first_colon", "second_colon")
    _fields_ = ("lower", "upper", "step", "first_colon", "second_colon")
    lower: BaseExpression | None
    upper: BaseExpression | None
    step: BaseExpression | None
    first_colon: CSTNode
    second_colon: CSTNode | None

    def __init__(self, lower: Any = None, upper: Any = None, step: Any = None, first_colon: Any = None, second_colon: Any = None) -> None:
        self.lower = lower
        self.upper = upper
        self.step = step
        self.first_colon = first_colon
        self.second_colon = second_colon


class StarredDictElement(CSTNode):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: BaseExpression

    def __init__(self, value: Any = None) -> None:
        self.value = value


class StarredElement(BaseExpression):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: BaseExpression

    def __init__(self, value: Any = None) -> None:
        self.value = value


class Subscript(BaseExpression):
    __slots__ = ("value", "slice")
    _fields_ = ("value", "slice")
    value: BaseExpression
    slice: Sequence[SubscriptElement]

    def __init__(self, value: Any = None, slice: Any = None) -> None:
        self.value = value
        self.slice = slice


class SubscriptElement(CSTNode):
    __slots__ = ("slice",)
    _fields_ = ("slice",)
    slice: Index | Slice

    def __init__(self, slice: Any = None) -> None:
        self.slice = slice


class Subtract(CSTNode):
    __slots__ = ()
    _fields_ = ()


class SubtractAssign(CSTNode):
    __slots__ = ()
    _fields_ = ()


class Try(BaseStatement):
    __slots__ = ("body", "handlers", "orelse", "finalbody")
    _fields_ = ("body", "handlers", "orelse", "finalbody")
    body: BaseSuite
    handlers: Sequence[ExceptHandler]
    orelse: Else | None
    finalbody: Finally | None

    def __init__(self, body: Any = None, handlers: Any = None, orelse: Any = None, finalbody: Any = None) -> None:
        self.body = body
        self.handlers = handlers
        self.orelse = orelse
        self.finalbody = finalbody


class TryStar(BaseStatement):
    __slots__ = ("body", "handlers", "orelse", "finalbody")
    _fields_ = ("body", "handlers", "orelse", "finalbody")
    body: BaseSuite
    handlers: Sequence[ExceptStarHandler]
    orelse: Else | None
    finalbody: Finally | None

    def __init__(self, body: Any = None, handlers: Any = None, orelse: Any = None, finalbody: Any = None) -> None:
        self.body = body
        self.handlers = handlers
        self.orelse = orelse
        self.finalbody = finalbody


class Tuple(BaseExpression):
    __slots__ = ("elements",)
    _fields_ = ("elements",)
    elements: Sequence[Element | StarredElement]

    def __init__(self, elements: Any = None) -> None:
        self.elements = elements


class UnaryOperation(BaseExpression):
    __slots__ = ("operator", "expression")
    _fields_ = ("operator", "expression")
    operator: CSTNode
    expression: BaseExpression

    def __init__(self, operator: Any = None, expression: Any = None) -> None:
        self.operator = operator
        self.expression = expression


class While(BaseStatement):
    __slots__ = ("test", "body", "orelse")
    _fields_ = ("test", "body", "orelse")
    test: BaseExpression
    body: BaseSuite
    orelse: Else | None

    def __init__(self, test: Any = None, body: Any = None, orelse: Any = None) -> None:
        self.test = test
        self.body = body
        self.orelse = orelse


class With(BaseStatement):
    __slots__ = ("items", "body", "asynchronous")
    _fields_ = ("items", "body", "asynchronous")
    items: Sequence[WithItem]
    body: BaseSuite
    asynchronous: Asynchronous | None

    def __init__(self, items: Any = None, body: Any = None, asynchronous: Any = None) -> None:
        self.items = items
        self.body = body
        self.asynchronous = asynchronous


class WithItem(CSTNode):
    __slots__ = ("item", "asname")
    _fields_ = ("item", "asname")
    item: BaseExpression
    asname: AsName | None

    def __init__(self, item: Any = None, asname: Any = None) -> None:
        self.item = item
        self.asname = asname


class Yield(BaseExpression):
    __slots__ = ("value",)
    _fields_ = ("value",)
    value: BaseExpression | From | None

    def __init__(self, value: Any = None) -> None:
        self.value = value


__all__ = ["CSTNode", "BaseExpression", "BaseStatement", "BaseSmallStatement", "BaseSuite", "Add", "AddAssign", "And", "AnnAssign", "Annotation", "Arg", "AsName", "Assert", "Assign", "AssignTarget", "Attribute", "Asynchronous", "AugAssign", "Await", "BinaryOperation", "BitAnd", "BitAndAssign", "BitInvert", "BitOr", "BitOrAssign", "BitXor", "BitXorAssign", "BooleanOperation", "Break", "Call", "ClassDef", "CompFor", "CompIf", "Comparison", "ComparisonTarget", "Continue", "Decorator", "Del", "Dict", "DictComp", "DictElement", "Divide", "DivideAssign", "Dot", "Element", "Ellipsis", "Else", "Equal", "ExceptHandler", "ExceptStarHandler", "Expr", "Finally", "Float", "FloorDivide", "FloorDivideAssign", "For", "FormattedString", "FormattedStringExpression", "From", "FunctionDef", "GeneratorExp", "Global", "GreaterThan", "GreaterThanEqual", "If", "IfExp", "Imaginary", "Import", "ImportAlias", "ImportFrom", "ImportStar", "In", "IndentedBlock", "Index", "Integer", "Is", "IsNot", "Lambda", "LeftShift", "LeftShiftAssign", "LessThan", "LessThanEqual", "List", "ListComp", "Match", "MatchAs", "MatchCase", "MatchClass", "MatchKeywordElement", "MatchList", "MatchMapping", "MatchMappingElement", "MatchOr", "MatchOrElement", "MatchSequenceElement", "MatchSingleton", "MatchStar", "MatchTuple", "MatchValue", "MatrixMultiply", "MatrixMultiplyAssign", "Minus", "Module", "Modulo", "ModuloAssign", "Multiply", "MultiplyAssign", "Name", "NameItem", "NamedExpr", "Nonlocal", "Not", "NotEqual", "NotIn", "Or", "Param", "ParamSlash", "ParamStar", "Parameters", "Pass", "Plus", "Power", "PowerAssign", "Raise", "Return", "RightShift", "RightShiftAssign", "Set", "SetComp", "SimpleStatementLine", "SimpleStatementSuite", "SimpleString", "Slice", "StarredDictElement", "StarredElement", "Subscript", "SubscriptElement", "Subtract", "SubtractAssign", "Try", "TryStar", "Tuple", "UnaryOperation", "While", "With", "WithItem", "Yield"]

#: The light classes by name (``lighttree.py`` builds with these).
LIGHT: dict[str, type[CSTNode]] = {
    "Add": Add,
    "AddAssign": AddAssign,
    "And": And,
    "AnnAssign": AnnAssign,
    "Annotation": Annotation,
    "Arg": Arg,
    "AsName": AsName,
    "Assert": Assert,
    "Assign": Assign,
    "AssignTarget": AssignTarget,
    "Attribute": Attribute,
    "Asynchronous": Asynchronous,
    "AugAssign": AugAssign,
    "Await": Await,
    "BinaryOperation": BinaryOperation,
    "BitAnd": BitAnd,
    "BitAndAssign": BitAndAssign,
    "BitInvert": BitInvert,
    "BitOr": BitOr,
    "BitOrAssign": BitOrAssign,
    "BitXor": BitXor,
    "BitXorAssign": BitXorAssign,
    "BooleanOperation": BooleanOperation,
    "Break": Break,
    "Call": Call,
    "ClassDef": ClassDef,
    "CompFor": CompFor,
    "CompIf": CompIf,
    "Comparison": Comparison,
    "ComparisonTarget": ComparisonTarget,
    "Continue": Continue,
    "Decorator": Decorator,
    "Del": Del,
    "Dict": Dict,
    "DictComp": DictComp,
    "DictElement": DictElement,
    "Divide": Divide,
    "DivideAssign": DivideAssign,
    "Dot": Dot,
    "Element": Element,
    "Ellipsis": Ellipsis,
    "Else": Else,
    "Equal": Equal,
    "ExceptHandler": ExceptHandler,
    "ExceptStarHandler": ExceptStarHandler,
    "Expr": Expr,
    "Finally": Finally,
    "Float": Float,
    "FloorDivide": FloorDivide,
    "FloorDivideAssign": FloorDivideAssign,
    "For": For,
    "FormattedString": FormattedString,
    "FormattedStringExpression": FormattedStringExpression,
    "From": From,
    "FunctionDef": FunctionDef,
    "GeneratorExp": GeneratorExp,
    "Global": Global,
    "GreaterThan": GreaterThan,
    "GreaterThanEqual": GreaterThanEqual,
    "If": If,
    "IfExp": IfExp,
    "Imaginary": Imaginary,
    "Import": Import,
    "ImportAlias": ImportAlias,
    "ImportFrom": ImportFrom,
    "ImportStar": ImportStar,
    "In": In,
    "IndentedBlock": IndentedBlock,
    "Index": Index,
    "Integer": Integer,
    "Is": Is,
    "IsNot": IsNot,
    "Lambda": Lambda,
    "LeftShift": LeftShift,
    "LeftShiftAssign": LeftShiftAssign,
    "LessThan": LessThan,
    "LessThanEqual": LessThanEqual,
    "List": List,
    "ListComp": ListComp,
    "Match": Match,
    "MatchAs": MatchAs,
    "MatchCase": MatchCase,
    "MatchClass": MatchClass,
    "MatchKeywordElement": MatchKeywordElement,
    "MatchList": MatchList,
    "MatchMapping": MatchMapping,
    "MatchMappingElement": MatchMappingElement,
    "MatchOr": MatchOr,
    "MatchOrElement": MatchOrElement,
    "MatchSequenceElement": MatchSequenceElement,
    "MatchSingleton": MatchSingleton,
    "MatchStar": MatchStar,
    "MatchTuple": MatchTuple,
    "MatchValue": MatchValue,
    "MatrixMultiply": MatrixMultiply,
    "MatrixMultiplyAssign": MatrixMultiplyAssign,
    "Minus": Minus,
    "Module": Module,
    "Modulo": Modulo,
    "ModuloAssign": ModuloAssign,
    "Multiply": Multiply,
    "MultiplyAssign": MultiplyAssign,
    "Name": Name,
    "NameItem": NameItem,
    "NamedExpr": NamedExpr,
    "Nonlocal": Nonlocal,
    "Not": Not,
    "NotEqual": NotEqual,
    "NotIn": NotIn,
    "Or": Or,
    "Param": Param,
    "ParamSlash": ParamSlash,
    "ParamStar": ParamStar,
    "Parameters": Parameters,
    "Pass": Pass,
    "Plus": Plus,
    "Power": Power,
    "PowerAssign": PowerAssign,
    "Raise": Raise,
    "Return": Return,
    "RightShift": RightShift,
    "RightShiftAssign": RightShiftAssign,
    "Set": Set,
    "SetComp": SetComp,
    "SimpleStatementLine": SimpleStatementLine,
    "SimpleStatementSuite": SimpleStatementSuite,
    "SimpleString": SimpleString,
    "Slice": Slice,
    "StarredDictElement": StarredDictElement,
    "StarredElement": StarredElement,
    "Subscript": Subscript,
    "SubscriptElement": SubscriptElement,
    "Subtract": Subtract,
    "SubtractAssign": SubtractAssign,
    "Try": Try,
    "TryStar": TryStar,
    "Tuple": Tuple,
    "UnaryOperation": UnaryOperation,
    "While": While,
    "With": With,
    "WithItem": WithItem,
    "Yield": Yield,
}
