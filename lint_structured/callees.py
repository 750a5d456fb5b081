"""Which calls make coroutines, for ``ModuleAnalysis`` to record as it walks.

A call makes a coroutine when it calls an ``async def`` of this module or the
project (through imports and re-exports), a coroutine method of the enclosing
class (``self.save()``, ``super().save()``), a method of an instance whose class is
known (``Repo().save(x)``, a parameter annotated with a project class, a name
bound to a constructor call), an event loop's coroutine method, or a coroutine
function of asyncio's API. Anything else is unknown, and unknown is silence.
"""

from __future__ import annotations

from lint_structured import coroutines as co
from lint_structured import nodes as cst
from lint_structured.analysis import CLASS_PREFIX, COROFN, INSTANCE_PREFIX, ModuleAnalysis
from lint_structured.project import UNRESOLVED, Resolved
from lint_structured.settings import matches_any
from lint_structured.syntax import dotted_name


class Callees:
    """Answers "does this call make a coroutine?" in the scope ``analysis`` is in."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis

    def callee(self, call: cst.Call) -> str | None:
        """The callee as written, when ``call`` is known to return a coroutine."""
        func = call.func
        if isinstance(func, cst.Name):
            return func.value if self.names_coroutine_function(func) else None
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        base = func.value
        info = None
        if isinstance(base, cst.Name):
            if base.value in ("self", "cls"):
                owner = self.enclosing_class()
                info = self.analysis.project.method(owner[0], owner[1], method) if owner else None
            else:
                found = self.analysis.lookup(base.value)
                if found is not None and found[0] == "local":
                    kind = found[1]
                    if kind.startswith(INSTANCE_PREFIX):
                        return self.analysis.source(func) if self.analysis.project.instance_method_is_coroutine(kind[len(INSTANCE_PREFIX):], method) else None
                    if kind.startswith(CLASS_PREFIX) and self.analysis.summary is not None:
                        info = self.analysis.project.method(self.analysis.summary, kind[len(CLASS_PREFIX):], method)
        elif isinstance(base, cst.Attribute) and isinstance(base.value, cst.Name) and base.value.value == "self":
            # `self.session.close()`: an attribute the class makes one way (`self.session = ClientSession()`).
            owner = self.enclosing_class()
            made = self.analysis.project.attribute_class(owner, base.attr.value) if owner else None
            if made is not None:
                key = self.analysis.project.class_key(made)
                return self.analysis.source(func) if self.analysis.project.instance_method_is_coroutine(key, method) else None
        elif isinstance(base, cst.Call) and isinstance(base.func, cst.Name) and base.func.value == "super":
            owner = self.enclosing_class()
            if owner is not None:
                info = self.analysis.project.inherited_method(owner[0], owner[1], method)
        elif isinstance(base, cst.Call):
            # `Repo().save(x)`: a method of an instance made on the spot.
            ref = self.class_ref(base.func)
            if ref is not None:
                return self.analysis.source(func) if self.analysis.project.instance_method_is_coroutine(ref, method) else None
        if info is not None:
            return self.analysis.source(func) if self.analysis.project.is_coroutine_function(*info) else None
        if method in co.LOOP_COROUTINE_METHODS and self.analysis.is_loop(base):
            return self.analysis.source(func)
        qualified = self.analysis.qualify(func)
        if qualified is not None and self.analysis.project.qualified_is_coroutine(qualified):
            return self.analysis.source(func)
        return None

    def names_coroutine_function(self, value: cst.Name | cst.Attribute) -> bool:
        """``notify`` (a local ``async def``) or ``handlers.notify`` (a coroutine function of
        another module): what an alias bound to it calls."""
        if isinstance(value, cst.Name):
            found = self.analysis.lookup(value.value)
            if found == ("local", COROFN):
                return True
            return found is not None and found[0] == "import" and self.analysis.project.qualified_is_coroutine(found[1])
        qualified = self.analysis.qualify(value)
        return qualified is not None and self.analysis.project.qualified_is_coroutine(qualified)

    def keeps_coroutine(self, decorator: cst.BaseExpression) -> bool:
        """A decorator of a nested ``async def`` that keeps it a coroutine function."""
        written = dotted_name(decorator.func if isinstance(decorator, cst.Call) else decorator) or ""
        if written in co.PRESERVING_DECORATORS:
            return True
        transparent = self.analysis.settings.transparent_decorators
        return bool(transparent) and matches_any([n for n in (written, self.analysis.qualify_name(written) if written else None) if n], transparent)

    def entered(self, item: cst.BaseExpression, asynchronous: bool) -> str | None:
        """The ``refs`` key of what ``async with item as x`` (or ``with``) binds ``x`` to:
        what the class's ``__aenter__`` (``__enter__``) is annotated to return, or the
        instance itself when it returns ``self``."""
        if not isinstance(item, cst.Call):
            return None
        ref = self.class_ref(item.func)
        if ref is None and isinstance(item.func, cst.Attribute):
            ref = self.method_result(item.func, awaited=False)  # `async with pool.acquire() as conn`
        made = self.analysis.project.resolved_ref(ref) if ref is not None else None
        if not isinstance(made, tuple):
            return None
        enter = self.analysis.project.method(made[0], made[1], "__aenter__" if asynchronous else "__enter__")
        if enter is None or enter[0].returns is None:
            return None
        found = self.analysis.project.made_by(
            Resolved("method", enter[0], enter[1], owner=made), awaited=asynchronous and enter[0].is_async
        )
        return self.analysis.project.class_key(found) if found is not None else None

    def method_result(self, func: cst.Attribute, awaited: bool) -> str | None:
        """The ``refs`` key of what calling ``name.method`` gives (awaited, for a coroutine
        method) when ``name`` is bound to an instance of a known class and the method's
        return annotation names a class: ``pool.acquire()``, ``await session.get(url)``."""
        if not isinstance(func.value, cst.Name):
            return None
        found = self.analysis.lookup(func.value.value)
        if found is None or found[0] != "local" or not found[1].startswith(INSTANCE_PREFIX):
            return None
        project = self.analysis.project
        made = project.resolved_ref(found[1][len(INSTANCE_PREFIX) :])
        if not isinstance(made, tuple):
            return None
        method = project.method(made[0], made[1], func.attr.value)
        if method is None or method[0].returns is None:
            return None
        result = project.made_by(Resolved("method", method[0], method[1], owner=made), awaited=awaited)
        return project.class_key(result) if result is not None else None

    def _annotated(self, expr: cst.BaseExpression) -> str | None:
        """The class a string, ``Optional[X]`` or ``X | None`` annotation names."""
        if not isinstance(expr, (cst.SimpleString, cst.Subscript, cst.BinaryOperation)):
            return None
        text = self.analysis.source(expr)
        name = co.annotated_text(text.strip().strip("'\"") if isinstance(expr, cst.SimpleString) else text)
        return None if name == "Self" else name

    def enclosing_class(self) -> tuple[co.ModuleSummary, str] | None:
        """The module-level class whose method is being visited."""
        frame = self.analysis.frame
        while frame is not None and frame.kind == "function":
            if frame.parent is not None and frame.parent.kind == "class":
                cls = frame.parent
                if cls.parent is not None and cls.parent.kind == "module" and self.analysis.summary is not None:
                    name = cls.node.name.value if isinstance(cls.node, cst.ClassDef) else ""
                    if name in self.analysis.summary.classes:
                        return self.analysis.summary, name
                return None
            parent = frame.parent
            if parent is None:
                return None
            frame = parent
        return None

    def class_ref(self, expr: cst.BaseExpression, annotation: bool = False, lazy: bool = False) -> str | None:
        """A key into ``ProjectFacts.refs`` for the class ``expr`` names (a constructor or annotation).
        With ``lazy``, a name from another module is taken on trust and resolved on first use.
        An annotation may be a string, ``Optional[X]`` or ``X | None``."""
        written = dotted_name(expr)
        if written is None and annotation:
            written = self._annotated(expr)
        if written is None:
            return None
        qualified = self.analysis.qualify_name(written)
        if qualified in co.API_CONSTRUCTORS:
            return self.analysis.project.api_ref(co.API_CONSTRUCTORS[qualified])
        if annotation and qualified and qualified.startswith("asyncio."):
            api = co.API_ANNOTATIONS.get(qualified.rsplit(".", 1)[-1])
            if api:
                return self.analysis.project.api_ref(api)
        if "." not in written:
            found = self.analysis.lookup(written)
            if found is not None and found[0] == "local" and found[1].startswith(CLASS_PREFIX) and self.analysis.summary:
                key = found[1]
                self.analysis.project.refs[key] = (self.analysis.summary, found[1][len(CLASS_PREFIX):])
                return key
        if qualified is not None:
            key = "project:" + qualified
            if lazy:
                # Resolved when a method is called on the instance: most never are,
                # and resolving reads (and parses) the module the name comes from.
                # Until then it acts as an unknown value: a name that turns out not to
                # be a class answers "no coroutine" for every method, as unknown does.
                self.analysis.project.refs.setdefault(key, UNRESOLVED)
                return key
            return key if self.analysis.project.resolved_ref(key) is not None else None
        return None
