"""Which callables are coroutine functions: the asyncio API, the module, the project.

A call is a coroutine call when its callee is *known*, by binding, to be a
coroutine function: an ``async def`` of the same module or of another module
of the same project (through its imports), a method found through ``self``,
``cls``, ``super()``, a class name or an instance created in scope, a
coroutine function of asyncio, anyio or trio, or one configured in
``extra-coroutine-functions``. Anything else is unknown, and unknown is
silence: a bare name match is never enough.

Other modules are summarised with ``ast`` (about a tenth of a LibCST parse)
and each file is summarised at most once per process (``ProjectIndex``).
"""

from __future__ import annotations

import ast
import collections
import contextlib
import dataclasses
import functools
import os
import re
from pathlib import Path
from typing import Iterable, Iterator

from lint_structured import environment
from lint_structured.environment import STAMP_NAME
from lint_structured.model import content_hash

#: Coroutine functions of asyncio, anyio and trio, by qualified name.
API_COROUTINE_FUNCTIONS = frozenset(
    {
        "asyncio.sleep",
        "asyncio.wait",
        "asyncio.wait_for",
        "asyncio.open_connection",
        "asyncio.open_unix_connection",
        "asyncio.start_server",
        "asyncio.start_unix_server",
        "asyncio.to_thread",
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "asyncio.tasks.sleep",
        "asyncio.tasks.wait",
        "asyncio.tasks.wait_for",
        "asyncio.streams.open_connection",
        "asyncio.streams.start_server",
        "anyio.sleep",
        "anyio.sleep_forever",
        "anyio.sleep_until",
        "anyio.connect_tcp",
        "anyio.connect_unix",
        "anyio.open_file",
        "anyio.open_process",
        "anyio.run_process",
        "anyio.wait_all_tasks_blocked",
        "anyio.to_thread.run_sync",
        "anyio.to_process.run_sync",
        "trio.sleep",
        "trio.sleep_forever",
        "trio.sleep_until",
        "trio.open_tcp_stream",
        "trio.open_file",
        "trio.run_process",
        "trio.serve_tcp",
        "trio.to_thread.run_sync",
        "trio.lowlevel.checkpoint",
    }
)

#: Objects the API creates, and which of their methods return coroutines.
API_CLASS_COROUTINE_METHODS: dict[str, frozenset[str]] = {
    "asyncio.Queue": frozenset({"get", "put", "join"}),
    "asyncio.PriorityQueue": frozenset({"get", "put", "join"}),
    "asyncio.LifoQueue": frozenset({"get", "put", "join"}),
    "asyncio.Lock": frozenset({"acquire"}),
    "asyncio.Semaphore": frozenset({"acquire"}),
    "asyncio.BoundedSemaphore": frozenset({"acquire"}),
    "asyncio.Event": frozenset({"wait"}),
    "asyncio.Condition": frozenset({"acquire", "wait", "wait_for"}),
    "asyncio.Barrier": frozenset({"wait", "reset", "abort"}),
    "asyncio.StreamReader": frozenset({"read", "readline", "readexactly", "readuntil"}),
    "asyncio.StreamWriter": frozenset({"drain", "wait_closed", "start_tls"}),
    "asyncio.subprocess.Process": frozenset({"wait", "communicate"}),
}
#: Constructors of those objects (and their aliases).
API_CONSTRUCTORS = {
    "asyncio.Queue": "asyncio.Queue",
    "asyncio.queues.Queue": "asyncio.Queue",
    "asyncio.PriorityQueue": "asyncio.PriorityQueue",
    "asyncio.LifoQueue": "asyncio.LifoQueue",
    "asyncio.Lock": "asyncio.Lock",
    "asyncio.locks.Lock": "asyncio.Lock",
    "asyncio.Semaphore": "asyncio.Semaphore",
    "asyncio.BoundedSemaphore": "asyncio.BoundedSemaphore",
    "asyncio.Event": "asyncio.Event",
    "asyncio.locks.Event": "asyncio.Event",
    "asyncio.Condition": "asyncio.Condition",
    "asyncio.Barrier": "asyncio.Barrier",
}
#: Coroutine functions whose result unpacks into API objects.
API_RESULTS = {
    "asyncio.open_connection": ("asyncio.StreamReader", "asyncio.StreamWriter"),
    "asyncio.open_unix_connection": ("asyncio.StreamReader", "asyncio.StreamWriter"),
    "asyncio.create_subprocess_exec": ("asyncio.subprocess.Process",),
    "asyncio.create_subprocess_shell": ("asyncio.subprocess.Process",),
}
#: Annotations that name those objects, by their last part.
API_ANNOTATIONS = {
    "Queue": "asyncio.Queue",
    "StreamReader": "asyncio.StreamReader",
    "StreamWriter": "asyncio.StreamWriter",
    "Lock": "asyncio.Lock",
    "Event": "asyncio.Event",
    "Semaphore": "asyncio.Semaphore",
    "Condition": "asyncio.Condition",
}
#: Event-loop methods that return coroutines.
LOOP_COROUTINE_METHODS = frozenset(
    {
        "sock_recv",
        "sock_recv_into",
        "sock_recvfrom",
        "sock_recvfrom_into",
        "sock_sendall",
        "sock_sendto",
        "sock_connect",
        "sock_accept",
        "sock_sendfile",
        "create_connection",
        "create_server",
        "create_unix_connection",
        "create_unix_server",
        "create_datagram_endpoint",
        "getaddrinfo",
        "getnameinfo",
        "connect_read_pipe",
        "connect_write_pipe",
        "subprocess_exec",
        "subprocess_shell",
        "start_tls",
        "sendfile",
        "shutdown_asyncgens",
        "shutdown_default_executor",
    }
)
# Not `run_in_executor`: it returns a future, and the work runs whether or not
# anyone awaits it; "never runs" would be false.
#: Decorators known to keep a coroutine function a coroutine function.
PRESERVING_DECORATORS = frozenset(
    {
        "staticmethod",
        "classmethod",
        "abstractmethod",
        "abc.abstractmethod",
        "override",
        "typing.override",
        "typing_extensions.override",
    }
)
#: Files or folders that mark a project's root (as ruff finds it, plus setup.py).
PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".git")


@dataclasses.dataclass(frozen=True)
class FunctionInfo:
    """What the index knows of one ``def``."""

    is_async: bool  # an `async def` that is not an async generator
    decorators: tuple[str, ...]  # dotted names; "name()" for a call such as @retry(3)
    kind: str = "function"  # "function", "staticmethod" or "classmethod"
    #: Used as a decorator, what it makes of the function: "async" (it returns an
    #: ``async def`` wrapper), "preserve" (async wrapper for coroutine functions,
    #: sync for others) or None (unknown).
    wrapper: str | None = None
    #: The same for a decorator factory (``@retry(3)``): what the decorator it returns makes.
    factory_wrapper: str | None = None
    #: What it returns, as written in its return annotation (a dotted name, quotes and
    #: ``Optional``/``| None`` taken off), "Self" for ``Self`` or a plain ``return self``.
    returns: str | None = None
    #: It starts a task and hands it to its caller without keeping it: ``return
    #: loop.create_task(coro)``, or a name bound to the spawn and only returned (see
    #: ``_hands_out_task``). With a ``-> asyncio.Task`` annotation, a caller that drops
    #: its result drops the task (``ProjectFacts.returns_task``).
    hands_out_task: bool = False
    #: The callees (dotted, as written) of the calls its ``return`` statements return,
    #: when every returned value is such a call: a wrapper of another helper.
    returned_calls: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class ClassInfo:
    methods: dict[str, FunctionInfo]
    bases: tuple[str, ...]  # dotted names as written
    #: Instance attributes whose value is known by one way of making it: ``x: Cls`` in the
    #: class body, or ``self.x = Cls(...)`` / ``self.x: Cls = ...`` in its methods (the
    #: dotted name as written: a class, or a function whose ``returns`` says).
    attributes: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ModuleSummary:
    """The async-relevant outline of a module: plain data, picklable."""

    name: str | None  # dotted module name, when known
    functions: dict[str, FunctionInfo]
    classes: dict[str, ClassInfo]
    imports: dict[str, str]  # local name -> absolute qualified name
    is_package: bool = False  # an __init__.py: relative imports start from the module itself
    #: Modules it imports everything from (``from .impl import *``), absolute.
    star_imports: tuple[str, ...] = ()


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        return (_dotted(node.func) or "?") + "()"
    return _dotted(node) or "?"


_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith)


def _own_statements(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.stmt]:
    """The statements of ``func``'s own scope, through if/for/while/try/with bodies
    but not into expressions or nested functions: a decorator's wrappers and its
    ``return wrapper`` are statements, and expressions are most of a function."""
    stack: list[ast.stmt] = list(func.body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _COMPOUND):
            for field in ("body", "orelse", "finalbody"):
                stack.extend(getattr(node, field, ()))
            for handler in getattr(node, "handlers", ()):
                stack.extend(handler.body)


def _returned_defs(func: ast.FunctionDef | ast.AsyncFunctionDef, own: list[ast.stmt] | None = None) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The defs nested in ``func`` that it returns by name (a decorator's wrappers)."""
    nested: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    returned_names = []
    for node in (own if own is not None else list(_own_statements(func))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            nested.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Name):
            returned_names.append(node.value.id)
    return [d for name in returned_names for d in nested.get(name, ())]


def _wrapper_kind(func: ast.FunctionDef | ast.AsyncFunctionDef, own: list[ast.stmt] | None = None) -> str | None:
    """As a decorator: "async" if every wrapper it returns is an ``async def``,
    "preserve" if it returns both kinds (async for coroutine functions only), the
    function it was given (``return func``, after registering it), or a synchronous
    wrapper that returns what the function returns (``@functools.wraps(func) def
    wrapper(*args, **kwargs): return func(*args, **kwargs)``): calling it gives the
    coroutine the function makes."""
    given = func.args.args[0].arg if func.args.args and isinstance(func, ast.FunctionDef) else None
    if given is not None:
        returns = [s.value for s in (own if own is not None else list(_own_statements(func))) if isinstance(s, ast.Return)]
        if returns and all(isinstance(v, ast.Name) and v.id == given for v in returns):
            return "preserve"
    returned = _returned_defs(func, own)
    if not returned:
        return None
    if given is not None and all(isinstance(d, ast.FunctionDef) and _passes_through(d, given) for d in returned):
        return "preserve"
    kinds = {isinstance(d, ast.AsyncFunctionDef) for d in returned}
    return "async" if kinds == {True} else "preserve" if kinds == {True, False} else None


def _passes_through(wrapper: ast.FunctionDef, given: str) -> bool:
    """A wrapper made with ``functools.wraps(given)`` whose every ``return`` returns a
    call of ``given``: what it returns is what the wrapped function returns."""
    if not any(_decorator_name(d) in ("functools.wraps()", "wraps()") for d in wrapper.decorator_list):
        return False
    returns = [s.value for s in _own_statements(wrapper) if isinstance(s, ast.Return)]
    return bool(returns) and all(
        isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == given for v in returns
    )


_YIELDS = frozenset({ast.Yield, ast.YieldFrom})
_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda})


def _is_generator(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A ``yield`` in the function's own scope: an ``async def`` with one is an async
    generator function, and calling it makes an async generator, not a coroutine."""
    from lint_structured.prefilter import walk

    return any(type(node) in _YIELDS for node in walk(*func.body, prune=_SCOPES))


def function_info(node: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionInfo:
    decorators = tuple(_decorator_name(d) for d in node.decorator_list)
    kind = "staticmethod" if "staticmethod" in decorators else "classmethod" if "classmethod" in decorators else "function"
    own = list(_own_statements(node))  # every question below reads the function's own statements
    factory_kinds = {_wrapper_kind(d) for d in _returned_defs(node, own) if isinstance(d, ast.FunctionDef)}
    return FunctionInfo(
        is_async=isinstance(node, ast.AsyncFunctionDef) and not _is_generator(node),
        decorators=decorators,
        kind=kind,
        wrapper=_wrapper_kind(node, own),
        factory_wrapper=factory_kinds.pop() if len(factory_kinds) == 1 else None,
        returns=_returns(node, own),
        hands_out_task=_hands_out_task(node, own),
        returned_calls=_returned_calls(node, own),
    )


def _returned_calls(node: ast.FunctionDef | ast.AsyncFunctionDef, own: list[ast.stmt] | None = None) -> tuple[str, ...]:
    returned = [s.value for s in (own if own is not None else list(_own_statements(node))) if isinstance(s, ast.Return)]
    callees = [_dotted(v.func) for v in returned if isinstance(v, ast.Call)]
    if not returned or len(callees) != len(returned) or None in callees:
        return ()
    return tuple(c for c in callees if c is not None)


_SPAWN_TAILS = frozenset({"create_task", "ensure_future"})


def _is_loose_spawn(value: ast.expr | None) -> bool:
    """``asyncio.create_task(...)``, ``loop.create_task(...)``, ``self._loop.create_task(...)``,
    ``asyncio.get_running_loop().create_task(...)``: a spawn no task group owns (the
    receiver is asyncio or named as a loop, by the analysis's conventions)."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in _SPAWN_TAILS):
        return False
    receiver = value.func.value
    if isinstance(receiver, ast.Call):
        return _dotted(receiver.func) in ("asyncio.get_running_loop", "asyncio.get_event_loop")
    written = _dotted(receiver) or ""
    return written == "asyncio" or written.rsplit(".", 1)[-1] in ("loop", "_loop", "event_loop", "_event_loop")


def _hands_out_task(node: ast.FunctionDef | ast.AsyncFunctionDef, own: list[ast.stmt] | None = None) -> bool:
    """Every ``return`` of a value returns a loose spawn: directly, or through a local
    name bound to one that the function reads nowhere else but in ``name.add_done_callback``
    and ``name.set_name`` (a name it also stores or awaits keeps the task)."""
    returns = [s.value for s in (own if own is not None else list(_own_statements(node))) if isinstance(s, ast.Return) and s.value is not None]
    if not returns:
        return False
    bound: set[str] = set()
    for stmt in (own if own is not None else list(_own_statements(node))):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and _is_loose_spawn(stmt.value):
            bound.add(stmt.targets[0].id)
    for value in returns:
        if _is_loose_spawn(value):
            continue
        if not (isinstance(value, ast.Name) and value.id in bound):
            return False
    names = {v.id for v in returns if isinstance(v, ast.Name)}
    if not names:
        return True
    from lint_structured.prefilter import walk

    allowed: set[int] = set()
    for inner in walk(*node.body, prune=_SCOPES):
        if isinstance(inner, ast.Attribute) and inner.attr in ("add_done_callback", "set_name") and isinstance(inner.value, ast.Name):
            allowed.add(id(inner.value))
        elif isinstance(inner, ast.Return) and isinstance(inner.value, ast.Name):
            allowed.add(id(inner.value))
    for inner in walk(*node.body):  # a closure that reads the name keeps the task too
        if isinstance(inner, ast.Name) and inner.id in names and isinstance(inner.ctx, ast.Load) and id(inner) not in allowed:
            return False
    return True


_SELF = frozenset({"Self", "typing.Self", "typing_extensions.Self"})


def annotated_name(annotation: ast.expr | None) -> str | None:
    """The class an annotation names: ``Cls``, ``"Cls"``, ``mod.Cls``, ``Optional[Cls]``,
    ``Cls | None``, ``Cls[T]`` (its generic class); "Self" for ``Self``. None for
    anything else (unions of classes, literals)."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotated_text(annotation.value)
    if isinstance(annotation, ast.Subscript):
        # `Optional[Cls]` is `Cls`; `Task[None]`, `list[Cls]` are their generic class.
        optional = _dotted(annotation.value) in ("Optional", "typing.Optional")
        annotation = annotation.slice if optional else annotation.value
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]
        others = [s for s in sides if not (isinstance(s, ast.Constant) and s.value is None)]
        if len(others) != 1:
            return None
        return annotated_name(others[0])
    name = _dotted(annotation) if annotation is not None else None
    return "Self" if name in _SELF else name


_DOTTED = re.compile(r"[A-Za-z_][\w.]*")


def annotated_text(text: str) -> str | None:
    """``annotated_name`` for a string annotation, read without parsing it (outlines read
    thousands): ``"Cls"``, ``"mod.Cls"``, ``"Cls | None"``, ``"Optional[Cls]"``, ``"Cls[T]"``."""
    text = text.strip()
    if text.startswith(("Optional[", "typing.Optional[")) and text.endswith("]"):
        text = text[text.index("[") + 1 : -1].strip()
    if "|" in text:
        parts = [p.strip() for p in text.split("|") if p.strip() != "None"]
        if len(parts) != 1:
            return None
        text = parts[0]
    if "[" in text:
        text = text[: text.index("[")].strip()
    if not _DOTTED.fullmatch(text):
        return None
    return "Self" if text in _SELF else text


def _returns(node: ast.FunctionDef | ast.AsyncFunctionDef, own: list[ast.stmt] | None = None) -> str | None:
    if node.returns is not None:
        return annotated_name(node.returns)
    returned = [s.value for s in (own if own is not None else list(_own_statements(node))) if isinstance(s, ast.Return)]
    if returned and all(isinstance(v, ast.Name) and v.id == "self" for v in returned):
        return "Self"  # `def __aenter__(self): return self`
    return None


def _attributes(cls: ast.ClassDef) -> dict[str, str]:
    """What ``ClassInfo.attributes`` records: an attribute made in more than one way is left out."""
    made: dict[str, set[str | None]] = {}
    for item in cls.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            made.setdefault(item.target.id, set()).add(annotated_name(item.annotation))
        elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for stmt in _own_statements(item):
                target: ast.expr
                if isinstance(stmt, ast.AnnAssign):
                    target, value = stmt.target, annotated_name(stmt.annotation)
                elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    if isinstance(stmt.value, ast.Constant) and stmt.value.value is None:
                        continue  # `self.x = None` until it is made
                    target = stmt.targets[0]
                    value = _dotted(stmt.value.func) if isinstance(stmt.value, ast.Call) else None
                else:
                    continue
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                    made.setdefault(target.attr, set()).add(value)
    known: dict[str, str] = {}
    for name, values in made.items():
        only = next(iter(values)) if len(values) == 1 else None
        if only is not None:
            known[name] = only
    return known


def package_of(name: str | None, is_package: bool) -> str:
    """The package relative imports start from: the module itself for an ``__init__``."""
    if not name:
        return ""
    if is_package:
        return name
    return name.rsplit(".", 1)[0] if "." in name else ""


def summarize(tree: ast.Module, name: str | None, is_package: bool = False) -> ModuleSummary:
    """Summarise a parsed module: its top-level functions, classes and imports."""
    functions: dict[str, FunctionInfo] = {}
    classes: dict[str, ClassInfo] = {}
    imports: dict[str, str] = {}
    stars: list[str] = []
    package = package_of(name, is_package)

    overloads: dict[str, list[FunctionInfo]] = {}
    bounds: dict[str, str] = {}  # type variables: the class they are bound to, as written

    def visit(body: Iterable[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                _define(functions, overloads, stmt)
            elif isinstance(stmt, ast.ClassDef):
                methods: dict[str, FunctionInfo] = {}
                method_overloads: dict[str, list[FunctionInfo]] = {}
                for item in stmt.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        _define(methods, method_overloads, item)
                _merge_overloads(methods, method_overloads, bounds)
                # `class Repo(BaseRepo[dict])`: a generic base is still the base.
                bases = tuple(
                    b for b in (_dotted(base.value if isinstance(base, ast.Subscript) else base) for base in stmt.bases) if b
                )
                classes[stmt.name] = ClassInfo(methods, bases, _attributes(stmt))
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        imports[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        imports[top] = top
            elif isinstance(stmt, ast.ImportFrom):
                base = resolve_relative(stmt.module, stmt.level, package)
                if base is None:
                    continue
                for alias in stmt.names:
                    if alias.name != "*":
                        imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
                    elif base:
                        stars.append(base)
            elif isinstance(stmt, ast.Assign):
                bound = _type_variable_bound(stmt)
                if bound is not None:  # `_C = TypeVar("_C", bound=Connection)`: for overloads only
                    bounds[bound[0]] = bound[1]
            elif isinstance(stmt, (ast.If, ast.Try)):
                # `if TYPE_CHECKING:` / `try: import x except ImportError:`
                visit(stmt.body)
                for handler in getattr(stmt, "handlers", ()):
                    visit(handler.body)
                visit(stmt.orelse)

    visit(tree.body)
    _merge_overloads(functions, overloads, bounds)
    return ModuleSummary(name, functions, classes, imports, is_package, tuple(stars))


_OVERLOAD = frozenset({"overload", "typing.overload", "typing_extensions.overload"})


def _define(table: dict[str, FunctionInfo], overloads: dict[str, list[FunctionInfo]], node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    """Record a ``def`` in ``table``; ``@overload`` variants also in ``overloads``, until
    an implementation follows them (and wins)."""
    info = function_info(node)
    if _OVERLOAD.isdisjoint(info.decorators):
        overloads.pop(node.name, None)
    else:
        overloads.setdefault(node.name, []).append(info)
    table[node.name] = info


def _merge_overloads(table: dict[str, FunctionInfo], overloads: dict[str, list[FunctionInfo]], bounds: dict[str, str]) -> None:
    """A stub's ``@overload`` variants with no implementation make one function: a
    coroutine function when every variant is an ``async def``, returning what they all
    return, a type variable read as its bound (unknown when they differ)."""
    for name, variants in overloads.items():
        returns = {bounds.get(v.returns, v.returns) if v.returns else None for v in variants}
        table[name] = FunctionInfo(
            is_async=all(v.is_async for v in variants),
            decorators=tuple(d for d in variants[0].decorators if d not in _OVERLOAD),
            kind=variants[0].kind,
            returns=returns.pop() if len(returns) == 1 else None,
        )


def _type_variable_bound(stmt: ast.Assign) -> tuple[str, str] | None:
    """The class a module-level type variable is bound to (``T = TypeVar("T", bound=Cls)``).
    Read only to tell whether overload variants agree (``-> Connection`` and ``-> _C``):
    elsewhere a type variable often stands for a subclass (``def __aenter__(self: _T) ->
    _T`` on a pipeline whose methods are not its base's coroutines), so it stays unknown."""
    value, target = stmt.value, stmt.targets[0]
    if len(stmt.targets) != 1 or not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
        return None
    if _dotted(value.func) not in ("TypeVar", "typing.TypeVar", "typing_extensions.TypeVar"):
        return None
    bound = next((k.value for k in value.keywords if k.arg == "bound"), None)
    name = annotated_name(bound) if bound is not None else None
    return (target.id, name) if name is not None else None


def resolve_relative(module: str | None, level: int, package: str) -> str | None:
    """The absolute name of ``from <level dots><module> import ...`` inside ``package``."""
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) if base else None


# ---------------------------------------------------------------------- project
def real_path(path: str) -> Path:
    """``Path(path).resolve()``, once per path (each resolve costs a stat per part)."""
    return _resolve(os.path.abspath(path))


@functools.lru_cache(maxsize=8192)
def _resolve(path: str) -> Path:
    return Path(path).resolve()


def clear_caches() -> None:
    """Forget what the file system looked like (a command starts with this)."""
    for cached in (_resolve, _project_root, _package_base, _directory_position, _stamp, environment.find):
        cached.cache_clear()
    _INDEXES.clear()
    _SUMMARIES.clear()
    from lint_structured import settings

    settings.clear_caches()


def project_root(path: Path) -> Path:
    """The nearest directory above ``path`` with a project marker, else the top of its packages."""
    return _project_root(path.parent)


def root_of(start: Path) -> Path:
    """The project root for a path given on the command line: a folder is its own start."""
    start = real_path(str(start))
    return _project_root(start if start.is_dir() else start.parent)


def package_base(path: Path) -> Path:
    """The directory above the outermost package containing ``path`` (a ``sys.path`` entry)."""
    return _package_base(path.parent)


# Both look at the file system once per directory and run: every file of a
# directory asks the same question, several times.
@functools.lru_cache(maxsize=4096)
def _project_root(start: Path) -> Path:
    for directory in (start, *start.parents):
        if any((directory / marker).exists() for marker in PROJECT_MARKERS):
            return directory
    return _package_base(start)


@functools.lru_cache(maxsize=4096)
def _package_base(directory: Path) -> Path:
    while (directory / "__init__.py").exists() and directory.parent != directory:
        directory = directory.parent
    return directory


def module_name(path: Path) -> str | None:
    """``pkg.sub.mod`` for ``.../pkg/sub/mod.py`` inside packages; the stem at the top level."""
    base = package_base(path)
    try:
        rel = path.with_suffix("").relative_to(base)
    except ValueError:
        return None
    parts = list(rel.parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) if parts else None


def position(path: str) -> tuple[str, str]:
    """(real path, module name) of the file at ``path``: what ``real_path`` and
    ``module_name`` say, with string operations and a look at the file system
    once per directory (the cache asks this of every file of a warm run)."""
    if os.path.islink(path):
        path = os.path.realpath(path)
    directory, filename = os.path.split(path)
    real_directory, prefix = _directory_position(directory)
    stem = os.path.splitext(filename)[0]
    if stem == "__init__":
        return os.path.join(real_directory, filename), prefix[:-1]
    return os.path.join(real_directory, filename), prefix + stem


@functools.lru_cache(maxsize=4096)
def _directory_position(directory: str) -> tuple[str, str]:
    """The real path of ``directory`` and the dotted prefix its modules' names start with
    (empty outside packages): an ``lstat`` and a ``stat`` per directory, its parents'
    answers reused."""
    directory = os.path.abspath(directory)
    parent, name = os.path.split(directory)
    if not name:
        return directory, ""
    if os.path.islink(directory):
        real = os.path.realpath(directory)
        parent, name = os.path.split(real)
        if not name:
            return real, ""
    real_parent, parent_prefix = _directory_position(parent)
    real = os.path.join(real_parent, name)
    return real, parent_prefix + name + "." if os.path.isfile(os.path.join(real, "__init__.py")) else ""


#: While ``tracking`` is on: every path a module lookup probed, found or not, with the
#: hash of the bytes its outline was made from (None: no file there). A cached answer
#: depends on exactly these: a module added, removed or edited at one of them can change
#: it (the cache's dependencies). The hash is taken when the file is read, so an edit
#: made while the run goes on cannot slip in under an answer made from the old bytes.
_PROBED: dict[str, str | None] | None = None


@contextlib.contextmanager
def tracking(into: dict[str, str | None] | None) -> Iterator[None]:
    """Collect into ``into`` the paths that module lookups probe while the block runs."""
    global _PROBED
    saved, _PROBED = _PROBED, into if into is not None else _PROBED
    try:
        yield
    finally:
        _PROBED = saved


#: What a dependency is recorded as when the file changed while one analysis read it.
CHANGED = "changed during the run"

#: (path, module name) -> (size and mtime when read, outline, hash of the bytes read): a
#: changed file is read again. The name is part of the key because relative imports
#: resolve from it: `src/pkg/mod.py` outlined as `pkg.mod` is not `src.pkg.mod`.
_SUMMARIES: dict[tuple[Path, str | None], tuple[tuple[int, int], "ModuleSummary | None", str | None]] = {}


class ProjectIndex:
    """Lazily summarised modules as seen from one ``sys.path`` (``search``).

    Each file is outlined at most once per process; a lookup's answer depends
    only on ``search`` and the file system, never on which files were checked
    before (so ``--jobs`` cannot change a finding).
    """

    def __init__(self, root: Path, search: tuple[Path, ...], libraries: tuple[Path, ...] = ()) -> None:
        self.root = root
        self.search = search  # directories that act as sys.path entries
        #: The environment's site-packages folders, searched after ``search`` (see
        #: ``environment.py``); a dependency on one is on its installed distributions.
        self.libraries = tuple(p for p in libraries if p not in search)
        self._library_prefixes = tuple(os.path.join(str(p), "") for p in self.libraries)
        # name -> (file found, every candidate path probed up to it)
        self._files: dict[str, tuple[Path | None, tuple[str, ...]]] = {}
        # (name, depth) -> (answer, paths probed to get it, with what they held)
        self._defines: dict[tuple[str, int], tuple[bool, dict[str, str | None]]] = {}
        self._defining: set[tuple[str, int]] = set()
        self._cycle = False

    def module_file(self, name: str) -> Path | None:
        hit = self._files.get(name)
        if hit is None:
            found: Path | None = None
            probed: list[str] = []
            rel = Path(*name.split("."))
            for base in self.search:
                for candidate in (base / rel.with_suffix(".py"), base / rel / "__init__.py"):
                    probed.append(str(candidate))
                    if candidate.is_file():
                        found = candidate
                        break
                if found:
                    break
            if found is None and self.libraries:
                found = _library_file(self.libraries, name)
                probed.extend(str(site / STAMP_NAME) for site in self.libraries)
            hit = self._files[name] = (found, tuple(probed))
        if _PROBED is not None:
            where = str(hit[0]) if hit[0] is not None else None
            for path in hit[1]:
                if path.endswith(STAMP_NAME):
                    _PROBED[path] = _stamp(path)
                elif path != where:
                    _PROBED[path] = None
        return hit[0]

    def is_library(self, path: Path) -> bool:
        """Whether ``path`` (a found module file) is an installed library's."""
        return bool(self._library_prefixes) and str(path).startswith(self._library_prefixes)

    def summary(self, name: str) -> ModuleSummary | None:
        path = self.module_file(name)
        if path is None:
            return None
        try:
            stat = path.stat()
        except OSError:
            if _PROBED is not None:
                _PROBED[str(path)] = None
            return None
        signature = (stat.st_size, stat.st_mtime_ns)
        cached = _SUMMARIES.get((path, name))
        if cached is None or cached[0] != signature:
            summary, digest = summarize_file(path, name)
            cached = _SUMMARIES[(path, name)] = (signature, summary, digest)
        if _PROBED is not None and not self.is_library(path):  # a library's file: its folder's stamp
            key = str(path)
            # A file that changed between two reads of one analysis (an editor saving
            # mid-run): the answer may rest on either, so the entry must never be valid.
            _PROBED[key] = CHANGED if key in _PROBED and _PROBED[key] != cached[2] else cached[2]
        return cached[1]

    def remember(self, path: Path, data: bytes, summary: ModuleSummary) -> None:
        """Keep the outline of ``path`` made from ``data``, if the file still holds ``data``."""
        if (path, summary.name) in _SUMMARIES:
            return
        try:
            stat = path.stat()
            if stat.st_size != len(data) or path.read_bytes() != data:
                return
        except OSError:
            return
        _SUMMARIES[(path, summary.name)] = ((stat.st_size, stat.st_mtime_ns), summary, content_hash(data))

    def defines_coroutines(self, name: str, depth: int = 2) -> bool:
        """Whether a project module (or one it imports, ``depth`` levels down, for
        re-exports) defines an ``async def`` or a decorated function (a decorator may
        make one). An over-approximation for the prefilter.

        Answers are cached with the paths probed to reach them (replayed to the
        tracker on a hit). An answer that met an import cycle depends on where the
        question started, so it is not kept: a cached answer never depends on order.
        """
        global _PROBED
        key = (name, depth)
        if key in self._defining:
            self._cycle = True
            return False
        hit = self._defines.get(key)
        if hit is None:
            outer, probed = _PROBED, dict[str, str | None]()
            _PROBED = probed
            outer_cycle, self._cycle = self._cycle, False
            self._defining.add(key)
            try:
                summary = self.summary(name)
                found = summary is not None and (
                    any(f.is_async or f.decorators for f in summary.functions.values())
                    or any(m.is_async or m.decorators for c in summary.classes.values() for m in c.methods.values())
                    or (depth > 0 and any(self.defines_coroutines(q.rsplit(".", 1)[0], depth - 1) or self.defines_coroutines(q, depth - 1) for q in summary.imports.values()))
                    or (depth > 0 and any(self.defines_coroutines(s, depth - 1) for s in summary.star_imports))
                )
            finally:
                self._defining.discard(key)
                _PROBED = outer
                met_cycle, self._cycle = self._cycle, outer_cycle or self._cycle
            hit = (found, probed)
            if not met_cycle:
                self._defines[key] = hit
        if _PROBED is not None:
            _PROBED.update(hit[1])
        return hit[0]

    def split(self, qualified: str) -> tuple[ModuleSummary, list[str]] | None:
        """The project module a qualified name lives in, and the attribute path inside it."""
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            summary = self.summary(".".join(parts[:cut]))
            if summary is not None:
                return summary, parts[cut:]
        return None


#: Trees parsed to outline a module, kept (up to a bound) for when this process checks
#: that module itself: each file is then parsed once, not twice. A tree takes about 26
#: bytes per byte of source, so the bound keeps this under about 50 MB.
_PARSED: "collections.OrderedDict[Path, tuple[bytes, ast.Module]]" = collections.OrderedDict()
_PARSED_LIMIT = 2_000_000
_parsed_size = 0


def summarize_file(path: Path, name: str | None) -> tuple[ModuleSummary | None, str | None]:
    """The outline of the module at ``path`` and the hash of the bytes it was made from
    (None for both when the file cannot be read; an outline of None when it does not parse)."""
    from lint_structured.prefilter import parse_quietly

    try:
        data = path.read_bytes()
    except OSError:
        return None, None
    try:
        tree = parse_quietly(data, filename=str(path))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None, content_hash(data)
    _keep_tree(path, data, tree)
    return summarize(tree, name, is_package=path.name in ("__init__.py", "__init__.pyi")), content_hash(data)


def _keep_tree(path: Path, data: bytes, tree: ast.Module) -> None:
    global _parsed_size
    if len(data) > _PARSED_LIMIT // 4:
        return
    _PARSED[path] = (data, tree)
    _parsed_size += len(data)
    while _parsed_size > _PARSED_LIMIT:
        _, (old, _) = _PARSED.popitem(last=False)
        _parsed_size -= len(old)


def take_tree(path: Path, data: bytes) -> ast.Module | None:
    """The tree of ``path``, if an outline parsed it from exactly ``data`` (handed out once)."""
    global _parsed_size
    entry = _PARSED.pop(path, None)
    if entry is None:
        return None
    _parsed_size -= len(entry[0])
    return entry[1] if entry[0] == data else None


_INDEXES: dict[tuple[Path, tuple[Path, ...], tuple[Path, ...]], ProjectIndex] = {}


def search_path(path: Path) -> tuple[Path, tuple[Path, ...]]:
    """The project root of the module at ``path`` and the ``sys.path`` its imports are
    resolved in: the top of its packages, the project root and ``root/src``."""
    root = project_root(path)
    return root, tuple(dict.fromkeys(p for p in (package_base(path), root, root / "src") if p.is_dir()))


def index_for(path: Path, python: str | None = None) -> ProjectIndex:
    """The (cached) index that resolves imports for the module at ``path`` (``search_path``),
    then into the installed libraries of the environment ``python`` (the setting) names."""
    root, search = search_path(path)
    libraries = environment.find(python, str(root)).site_dirs
    index = _INDEXES.get((root, search, libraries))
    if index is None:
        index = _INDEXES[(root, search, libraries)] = ProjectIndex(root, search, libraries)
    return index


def _library_file(sites: tuple[Path, ...], name: str) -> Path | None:
    """Where an installed library's module is: its own stub (``.pyi``) beside the code
    wins, then a stub-only ``<top>-stubs`` distribution, then the code."""
    parts = name.split(".")
    rel = Path(*parts)
    stubs = Path(parts[0] + "-stubs", *parts[1:])
    for site in sites:
        if not (site / parts[0]).exists() and not (site / (parts[0] + ".py")).exists() and not (site / stubs.parts[0]).is_dir():
            continue  # one stat for most names, which no library of this folder has
        for candidate in (
            site / rel.with_suffix(".pyi"), site / rel / "__init__.pyi",
            site / stubs.with_suffix(".pyi"), site / stubs / "__init__.pyi",
            site / rel.with_suffix(".py"), site / rel / "__init__.py",
        ):  # fmt: skip
            if candidate.is_file():
                return candidate
    return None


@functools.lru_cache(maxsize=64)
def _stamp(marker: str) -> str:
    """The stamp of the site-packages folder ``marker`` stands for (once per process)."""
    return environment.stamp_of(Path(marker).parent)
