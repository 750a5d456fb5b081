"""A read-only, batched walk over a LibCST tree, in source order.

``libcst.visit_batched`` goes through ``CSTNode.visit``, which rebuilds every
node it passes (a new dataclass per node, validated) even for a visitor that
changes nothing, and recurses on the Python stack. This walk calls the same
``visit_<Type>``, ``leave_<Type>`` and ``visit_<Type>_<field>`` /
``leave_<Type>_<field>`` methods of ``BatchableCSTVisitor``s, parent before
children, children in source order, with an explicit stack. It skips the
fields that hold only tokens and whitespace (commas, parentheses,
operators, ...), which no rule looks at.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable, Sequence

import libcst as cst

from lint_structured.analysis import TOKEN_PREFIXES, is_node

# Where the dataclass field order is not the source order.
_SOURCE_ORDER = {
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.Parameters: ("posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.Arg: ("keyword", "value"),
}
_FIELDS: dict[type, tuple[str, ...]] = {}

_ENTER, _LEAVE, _ENTER_FIELD, _LEAVE_FIELD = 0, 1, 2, 3


def _fields(kind: type) -> tuple[str, ...]:
    fields = _FIELDS.get(kind)
    if fields is None:
        if kind in _SOURCE_ORDER:
            names = [n for n in _SOURCE_ORDER[kind] if n in kind.__dataclass_fields__]
        else:
            names = [f.name for f in dataclasses.fields(kind)]
        fields = _FIELDS[kind] = tuple(n for n in names if not n.startswith(TOKEN_PREFIXES))
    return fields


def walk_batched(root: cst.CSTNode, visitors: Iterable[cst.BatchableCSTVisitor]) -> None:
    """Run the visit/leave methods of ``visitors`` over ``root``, as ``visit_batched`` would."""
    methods: dict[str, list[Callable[..., object]]] = {}
    for visitor in visitors:
        for name, method in visitor.get_visitors().items():
            methods.setdefault(name, []).append(method)
    empty: Sequence[Callable[..., object]] = ()
    by_type: dict[type, tuple] = {}

    def hooks(kind: type) -> tuple:
        found = by_type.get(kind)
        if found is None:
            name = kind.__name__
            field_hooks = {
                field: (methods.get(f"visit_{name}_{field}", empty), methods.get(f"leave_{name}_{field}", empty))
                for field in _fields(kind)
                if f"visit_{name}_{field}" in methods or f"leave_{name}_{field}" in methods
            }
            found = by_type[kind] = (methods.get(f"visit_{name}", empty), methods.get(f"leave_{name}", empty), field_hooks)
        return found

    stack: list[tuple[int, cst.CSTNode, str]] = [(_ENTER, root, "")]
    push = stack.append
    while stack:
        action, node, field = stack.pop()
        kind = type(node)
        if action == _ENTER:
            visit, _, field_hooks = hooks(kind)
            for method in visit:
                method(node)
            push((_LEAVE, node, ""))
            for name in reversed(_fields(kind)):
                hooked = name in field_hooks
                if hooked:
                    push((_LEAVE_FIELD, node, name))
                value = getattr(node, name)
                if is_node(value):
                    push((_ENTER, value, ""))
                elif type(value) in (tuple, list):
                    for item in reversed(value):
                        if is_node(item):
                            push((_ENTER, item, ""))
                if hooked:
                    push((_ENTER_FIELD, node, name))
        elif action == _LEAVE:
            for method in hooks(kind)[1]:
                method(node)
        else:
            visit_field, leave_field = hooks(kind)[2][field]
            for method in visit_field if action == _ENTER_FIELD else leave_field:
                method(node)
