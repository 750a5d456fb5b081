"""A read-only, batched walk over the light tree, in source order.

It works as LibCST's ``visit_batched`` would (which, on LibCST's own trees, goes
through ``CSTNode.visit``: it rebuilds every node it passes, a new dataclass
per node, validated, even for a visitor that changes nothing, and recurses on
the Python stack). This walk calls the same
``visit_<Type>``, ``leave_<Type>`` and ``visit_<Type>_<field>`` /
``leave_<Type>_<field>`` methods of ``BatchableCSTVisitor``s, parent before
children, children in source order, with an explicit stack. It skips the
fields that hold only tokens and whitespace (commas, parentheses,
operators, ...), which no rule looks at.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from lint_structured import nodes as cst
from lint_structured.nodes import IS_NODE, TOKEN_PREFIXES, fields_of
from lint_structured.syntax import is_node

# Where the dataclass field order is not the source order.
_SOURCE_ORDER = {
    "FunctionDef": ("decorators", "name", "type_parameters", "params", "returns", "body"),
    "ClassDef": ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    "IfExp": ("body", "test", "orelse"),
    "MatchCase": ("pattern", "guard", "body"),
    "Parameters": ("posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg"),
    "ExceptHandler": ("type", "name", "body"),
    "ExceptStarHandler": ("type", "name", "body"),
    "Arg": ("keyword", "value"),
}
_FIELDS: dict[type, tuple[str, ...]] = {}

_ENTER, _LEAVE, _ENTER_FIELD, _LEAVE_FIELD = 0, 1, 2, 3


def _fields(kind: type) -> tuple[str, ...]:
    fields = _FIELDS.get(kind)
    if fields is None:
        declared = fields_of(kind)
        if kind.__name__ in _SOURCE_ORDER:
            names = [n for n in _SOURCE_ORDER[kind.__name__] if n in declared]
        else:
            names = list(declared)
        fields = _FIELDS[kind] = tuple(n for n in names if not n.startswith(TOKEN_PREFIXES))
    return fields


_VISITOR_NAMES: dict[type, tuple[str, ...]] = {}


class CachedVisitors:
    """Batched-visitor methods (``visit_<Type>``, ``leave_<Type>``, ``visit_<Type>_<field>``,
    as LibCST's ``BatchableCSTVisitor`` has them), found once per class for ``walk.py``."""

    def get_visitors(self) -> dict[str, Callable[..., object]]:
        kind = type(self)
        names = _VISITOR_NAMES.get(kind)
        if names is None:
            names = _VISITOR_NAMES[kind] = tuple(
                name
                for name in dir(kind)
                if name.startswith(("visit_", "leave_"))
                and callable(getattr(kind, name))
                and not getattr(getattr(kind, name), "_is_no_op", False)
            )
        return {name: getattr(self, name) for name in names}


def walk_batched(root: cst.CSTNode, visitors: Iterable[CachedVisitors]) -> None:
    """Run the visit/leave methods of ``visitors`` over ``root``, as ``visit_batched`` would."""
    # One function, its helpers nested, on purpose: this is the hottest loop of a check,
    # and local names are the cheapest to look up.
    methods: dict[str, list[Callable[..., object]]] = {}
    for visitor in visitors:
        for name, method in visitor.get_visitors().items():
            methods.setdefault(name, []).append(method)
    plans: dict[type, tuple[Any, ...]] = {}

    def plan(kind: type) -> tuple[Any, ...]:
        """The hooks for ``kind`` and its child fields, last first (the stack reverses them)."""
        name = kind.__name__
        field_hooks = {
            field: (tuple(methods.get(f"visit_{name}_{field}", ())), tuple(methods.get(f"leave_{name}_{field}", ())))
            for field in _fields(kind)
            if f"visit_{name}_{field}" in methods or f"leave_{name}_{field}" in methods
        }
        found = plans[kind] = (
            tuple(methods.get(f"visit_{name}", ())),
            tuple(methods.get(f"leave_{name}", ())),
            field_hooks,
            tuple(reversed(_fields(kind))),
        )
        return found

    known = IS_NODE
    stack: list[tuple[int, cst.CSTNode, str]] = [(_ENTER, root, "")]
    push = stack.append
    pop = stack.pop
    while stack:
        action, node, field = pop()
        kind = type(node)
        hooks = plans.get(kind) or plan(kind)
        if action == _ENTER:
            visit, leave, field_hooks, fields = hooks
            for method in visit:
                method(node)
            if leave or field_hooks:
                push((_LEAVE, node, ""))
            for name in fields:
                hooked = field_hooks and name in field_hooks
                if hooked:
                    push((_LEAVE_FIELD, node, name))
                value = getattr(node, name)
                value_kind = type(value)
                if value_kind is tuple or value_kind is list:
                    for item in reversed(value):
                        is_child = known.get(type(item))
                        if is_child or (is_child is None and is_node(item)):
                            push((_ENTER, item, ""))
                else:
                    is_child = known.get(value_kind)
                    if is_child or (is_child is None and is_node(value)):
                        push((_ENTER, value, ""))
                if hooked:
                    push((_ENTER_FIELD, node, name))
        elif action == _LEAVE:
            for method in hooks[1]:
                method(node)
        else:
            visit_field, leave_field = hooks[2][field]
            for method in visit_field if action == _ENTER_FIELD else leave_field:
                method(node)
