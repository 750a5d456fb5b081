"""Facts about the project's names: which are classes, which coroutine functions.

``ModuleAnalysis`` binds names as it walks a module; what a name imported
from elsewhere *is* comes from here: the module's outline (``summary``) and
its project's index (``coroutines.ProjectIndex``), resolved on demand and
remembered (a class's methods through its C3 MRO; a function through the
decorators that keep it, or make it, a coroutine function), and asyncio's
own API (``asyncio.Queue().get()`` is a coroutine).
"""

from __future__ import annotations

from typing import NamedTuple

from lint_structured import coroutines as co
from lint_structured.settings import Settings, matches_any


#: What a function annotated to return a task returns.
_TASK_CLASSES = frozenset({"asyncio.Task", "asyncio.tasks.Task", "asyncio.Future", "asyncio.futures.Future"})


class Unresolved:
    """A class reference not looked up yet."""


UNRESOLVED = Unresolved()


class Resolved(NamedTuple):
    """What a qualified name is in the project: a "function", a "method" (``info`` a
    ``FunctionInfo``) or a "class" (``info`` a ``ClassInfo``, ``name`` its name)."""

    kind: str
    info: co.FunctionInfo | co.ClassInfo
    summary: co.ModuleSummary
    name: str = ""
    #: For a method: the class it was looked up on (what ``Self`` means in its annotation).
    owner: tuple[co.ModuleSummary, str] | None = None


class ProjectFacts:
    """What the project's names are, resolved on first use and remembered."""

    def __init__(self, settings: Settings, summary: co.ModuleSummary | None, index: co.ProjectIndex | None) -> None:
        self.settings = settings
        self.summary = summary
        self.index = index
        #: Keys of the classes instances are made of (``ModuleAnalysis`` adds them): asyncio's
        #: API names, or a project class (its outline and name), or not looked up yet.
        self.refs: dict[str, tuple[co.ModuleSummary, str] | str | Unresolved | None] = {}
        self._qualified_cache: dict[str, bool] = {}
        self._resolutions: dict[str, Resolved | None] = {}
        self._mros: dict[tuple[int, str], list[tuple[co.ModuleSummary, str]]] = {}

    def instance_method_is_coroutine(self, ref_key: str, method: str) -> bool:
        ref = self.resolved_ref(ref_key)
        if isinstance(ref, str):
            return method in co.API_CLASS_COROUTINE_METHODS.get(ref, ())
        if ref is not None:
            found = self.method(ref[0], ref[1], method)
            return found is not None and (self.is_coroutine_function(*found) or self._returns_own_coroutine(ref, *found))
        return False

    def _returns_own_coroutine(self, ref: tuple[co.ModuleSummary, str], info: co.FunctionInfo, defined_in: co.ModuleSummary) -> bool:
        """A plain method that returns what another method of the same instance returns,
        when that one, looked up on the instance's own class, is a coroutine function:
        ``def set(self, k, v): return self.execute_command("SET", k, v)`` on a client whose
        ``execute_command`` is an ``async def`` (redis.asyncio), and not on one whose
        ``execute_command`` is plain (redis, or a pipeline that queues commands)."""
        if info.is_async or info.kind != "function" or not info.returned_calls:
            return False
        if not all(d in co.PRESERVING_DECORATORS or self.decorator_makes(d, defined_in) == "preserve" for d in info.decorators):
            return False  # a decorator may make something else of it
        for callee in info.returned_calls:
            owner, _, name = callee.partition(".")
            if owner != "self" or not name or "." in name:
                return False
            found = self.method(ref[0], ref[1], name)
            if found is None or found[0].kind != "function" or not self.is_coroutine_function(*found):
                return False
        return True

    def api_ref(self, api: str) -> str:
        self.refs[api] = api
        return api

    def resolved_ref(self, key: str) -> tuple[co.ModuleSummary, str] | str | None:
        """The class of the instances ``key`` stands for: "project:Q", what calling ``Q``
        makes (an instance of the class ``Q``, or what the function ``Q`` is annotated to
        return); "awaited:Q", what awaiting a call of the coroutine function ``Q`` gives;
        or a key ``api_ref`` or ``ModuleAnalysis`` added."""
        ref = self.refs.get(key)
        prefix, _, qualified = key.partition(":")
        if isinstance(ref, Unresolved) or (ref is None and prefix in ("project", "awaited") and key not in self.refs):
            resolved = self.resolve_qualified(qualified)
            found = self.made_by(resolved, awaited=prefix == "awaited") if resolved is not None else None
            self.refs[key] = found
            return found
        return None if isinstance(ref, Unresolved) else ref

    def made_by(self, resolved: Resolved, awaited: bool = False) -> tuple[co.ModuleSummary, str] | None:
        """The class of what calling ``resolved`` makes (awaited, for a coroutine function):
        a class's instance, or what a function's return annotation names."""
        if resolved.kind == "class":
            return None if awaited else (resolved.summary, resolved.name)
        info = resolved.info
        if not isinstance(info, co.FunctionInfo) or info.returns is None:
            return None
        if self.is_coroutine_function(info, resolved.summary) != awaited:
            return None  # a coroutine not awaited, or an awaited non-coroutine: unknown
        if info.returns == "Self":
            return resolved.owner
        return self.resolve_base(resolved.summary, info.returns)

    def returns_task(self, info: co.FunctionInfo, summary: co.ModuleSummary, depth: int = 0) -> bool:
        """A function that starts a task and hands it to its caller: it returns a loose spawn
        it does not keep; or it is annotated ``-> asyncio.Task`` / ``asyncio.Future`` and
        returns what such a function returns (a wrapper). An annotation alone says what is
        returned, not that it was started (``find_root_task() -> Task``, ``start() ->
        Task`` returning ``self._task``). Not a coroutine function: its caller gets a
        coroutine; not decorated: a decorator may keep the task."""
        if depth > 3 or info.decorators or self.is_coroutine_function(info, summary):
            return False
        if info.hands_out_task:
            return True
        if info.returns is None or not info.returned_calls:
            return False
        head, _, rest = info.returns.partition(".")
        qualified = summary.imports.get(head, head if head == "asyncio" else "")
        if (qualified + ("." + rest if rest else "")) not in _TASK_CLASSES:
            return False
        for callee in info.returned_calls:
            resolved = self.resolve_written(summary, callee)
            if resolved is None or not isinstance(resolved.info, co.FunctionInfo):
                return False
            if not self.returns_task(resolved.info, resolved.summary, depth + 1):
                return False
        return True

    def qualified_returns_task(self, qualified: str) -> bool:
        """``returns_task`` for a function named by its qualified name."""
        key = "task:" + qualified
        if key not in self._qualified_cache:
            resolved = self.resolve_qualified(qualified)
            self._qualified_cache[key] = (
                resolved is not None
                and resolved.kind in ("function", "method")
                and isinstance(resolved.info, co.FunctionInfo)
                and self.returns_task(resolved.info, resolved.summary)
            )
        return self._qualified_cache[key]

    def attribute_class(self, owner: tuple[co.ModuleSummary, str], attribute: str) -> tuple[co.ModuleSummary, str] | None:
        """The class of ``self.<attribute>`` in a method of the class ``owner``, when the
        class (or a base) makes it one way only (``ClassInfo.attributes``)."""
        for summary, name in self.mro(*owner):
            made = summary.classes[name].attributes.get(attribute)
            if made is None:
                continue
            resolved = self.resolve_written(summary, made)  # a class, or a factory function: what it returns
            return self.made_by(resolved) if resolved is not None else None
        return None

    def class_key(self, cls: tuple[co.ModuleSummary, str]) -> str:
        """A ``refs`` key for a class already found."""
        key = f"class:{id(cls[0])}:{cls[1]}"
        self.refs[key] = cls
        return key

    def qualified_is_coroutine(self, qualified: str) -> bool:
        if qualified not in self._qualified_cache:
            result = qualified in co.API_COROUTINE_FUNCTIONS or (
                bool(self.settings.extra_coroutine_functions)
                and matches_any([qualified], self.settings.extra_coroutine_functions)
            )
            if not result:
                resolved = self.resolve_qualified(qualified)
                if resolved is not None and isinstance(resolved.info, co.FunctionInfo):
                    result = self.is_coroutine_function(resolved.info, resolved.summary)
            self._qualified_cache[qualified] = result
        return self._qualified_cache[qualified]

    def resolve_qualified(self, qualified: str, depth: int = 0) -> Resolved | None:
        """What a qualified name is in the project (see ``Resolved``), worked out once: a
        name met again while it is being worked out (re-exports or star imports in a
        cycle) is nothing."""
        if depth > 5:
            return None
        if qualified in self._resolutions:
            return self._resolutions[qualified]
        self._resolutions[qualified] = None
        found = self._resolve_qualified(qualified, depth)
        self._resolutions[qualified] = found
        return found

    def _resolve_qualified(self, qualified: str, depth: int) -> Resolved | None:
        if self.summary is not None and self.summary.name and qualified.startswith(self.summary.name + "."):
            return self.resolve_in(self.summary, qualified[len(self.summary.name) + 1 :].split("."), depth)
        if self.index is None:
            return None
        split = self.index.split(qualified)
        if split is None:
            return None
        return self.resolve_in(split[0], split[1], depth)

    def resolve_in(self, summary: co.ModuleSummary, path: list[str], depth: int) -> Resolved | None:
        head, rest = path[0], path[1:]
        if head in summary.functions and not rest:
            return Resolved("function", summary.functions[head], summary)
        if head in summary.classes:
            if not rest:
                return Resolved("class", summary.classes[head], summary, head)
            if len(rest) == 1:
                found = self.method(summary, head, rest[0])
                return Resolved("method", found[0], found[1], owner=(summary, head)) if found else None
            return None
        if head in summary.imports:  # a re-export: `from .impl import save` in __init__.py
            return self.resolve_qualified(".".join([summary.imports[head], *rest]), depth + 1)
        if depth > 1:
            return None  # star imports of star imports: a package's own modules, not followed
        for star in summary.star_imports:  # `from .impl import *` in __init__.py
            through = self.resolve_qualified(".".join([star, *path]), depth + 2)
            if through is not None:
                return through
        return None

    def method(self, summary: co.ModuleSummary, class_name: str, method: str) -> tuple[co.FunctionInfo, co.ModuleSummary] | None:
        """``method`` as Python finds it on ``class_name``: the first class in its MRO defining it."""
        for owner_summary, owner in self.mro(summary, class_name):
            found = owner_summary.classes[owner].methods.get(method)
            if found is not None:
                return found, owner_summary
        return None

    def inherited_method(self, summary: co.ModuleSummary, class_name: str, method: str) -> tuple[co.FunctionInfo, co.ModuleSummary] | None:
        """``super().method`` inside ``class_name``: the MRO after the class itself."""
        for owner_summary, owner in self.mro(summary, class_name)[1:]:
            found = owner_summary.classes[owner].methods.get(method)
            if found is not None:
                return found, owner_summary
        return None

    def mro(self, summary: co.ModuleSummary, class_name: str, depth: int = 0) -> list[tuple[co.ModuleSummary, str]]:
        """C3 linearisation over the project classes that can be resolved (others are left out)."""
        key = (id(summary), class_name)
        cached = self._mros.get(key)
        if cached is not None:
            return cached
        self._mros[key] = [(summary, class_name)]  # a cycle stops here
        cls = summary.classes.get(class_name)
        if cls is None or depth > 20:
            return self._mros[key]
        bases = [b for b in (self.resolve_base(summary, base) for base in cls.bases) if b is not None]
        sequences = [list(self.mro(s, n, depth + 1)) for s, n in bases] + [list(bases)]
        result = [(summary, class_name)]
        while any(sequences):
            for seq in sequences:
                if not seq:
                    continue
                head = seq[0]
                if not any(head in other[1:] for other in sequences):
                    break
            else:
                break  # inconsistent hierarchy: Python would refuse it; keep what we have
            result.append(head)
            for other in sequences:
                if other and other[0] == head:
                    del other[0]
        self._mros[key] = result
        return result

    def resolve_written(self, summary: co.ModuleSummary, written: str) -> Resolved | None:
        """What a dotted name as written in ``summary``'s module is: defined there, or imported."""
        head, _, rest = written.partition(".")
        if head in summary.functions or head in summary.classes:
            return self.resolve_in(summary, written.split("."), 0)
        qualified = summary.imports.get(head)
        return self.resolve_qualified(qualified + ("." + rest if rest else "")) if qualified is not None else None

    def resolve_base(self, summary: co.ModuleSummary, base: str) -> tuple[co.ModuleSummary, str] | None:
        """The class a base (or an annotation) names in ``summary``'s module."""
        resolved = self.resolve_written(summary, base)
        return (resolved.summary, resolved.name) if resolved is not None and resolved.kind == "class" else None

    def is_coroutine_function(self, info: co.FunctionInfo, summary: co.ModuleSummary) -> bool:
        """An ``async def`` whose decorators all keep it one, or any function whose
        outermost decorator with an effect is a project decorator returning an
        ``async def``. Decorators apply innermost first; an unknown one makes the
        result unknown."""
        kind = "async" if info.is_async else "other"
        for decorator in reversed(info.decorators):  # the innermost decorator applies first
            if decorator in co.PRESERVING_DECORATORS or self._transparent(decorator, summary):
                continue
            made = self.decorator_makes(decorator, summary)
            if made == "async":
                kind = "async"
            elif made != "preserve":
                kind = "unknown"  # `@trace @to_async def f`: what trace makes of it is not known
        return kind == "async"

    def _transparent(self, decorator: str, summary: co.ModuleSummary) -> bool:
        """A decorator the ``transparent-decorators`` setting names (by its qualified name
        through the module's imports, or as written)."""
        if not self.settings.transparent_decorators:
            return False
        name = decorator[:-2] if decorator.endswith("()") else decorator
        head, _, rest = name.partition(".")
        qualified = summary.imports.get(head)
        names = [name] + ([qualified + ("." + rest if rest else "")] if qualified else [])
        if summary.name and head in summary.functions:
            names.append(f"{summary.name}.{name}")
        return matches_any(names, self.settings.transparent_decorators)

    def decorator_makes(self, decorator: str, summary: co.ModuleSummary) -> str | None:
        """What a project decorator makes of a function: "async", "preserve" or None."""
        factory = decorator.endswith("()")
        name = decorator[:-2] if factory else decorator
        resolved = self.resolve_in(summary, name.split("."), 0) if name and name != "?" else None
        if resolved is None or resolved.kind != "function" or not isinstance(resolved.info, co.FunctionInfo):
            return None
        info = resolved.info
        return info.factory_wrapper if factory else info.wrapper
