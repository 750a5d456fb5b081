"""Keep a runaway task referenced until it is done, and log its failure.

The fix for a task owned by the application (or by an object): the spawn
``asyncio.create_task(work())`` becomes
``_keep_background_task(asyncio.create_task(work()))``, a helper the fix adds
to the module once::

    _background_tasks: set = set()


    def _keep_background_task(task, tasks=_background_tasks, log_failure=True):
        \"\"\"Keep ``task`` in ``tasks`` until it is done; log a failure if asked.\"\"\"

        def done(task):
            tasks.discard(task)
            if not log_failure or task.cancelled():
                return
            if task.exception() is not None:
                logger.error(
                    "Background task %r failed", task, exc_info=task.exception()
                )

        tasks.add(task)
        task.add_done_callback(done)
        return task

This is the idiom of the ``asyncio.create_task`` documentation: the event
loop keeps only weak references, so the set keeps the task alive, and the
done-callback retrieves its exception so that a failure is logged when it
happens instead of vanishing. Timing does not change, so it is safe. A
handle the function already gives a done-callback of its own
(``task.add_done_callback(on_done)``) that reads the task's outcome is kept
with ``log_failure=False``: its failures are the author's to report, and a
second report would be noise. The helper then does not read the exception
either, so asyncio's own "exception was never retrieved" still appears if
nobody does.

In a method of a class whose instances are closed by an async
``close``/``aclose``/``stop``/``shutdown``/``disconnect``/``__aexit__``, the
object owns the task instead: the set is an attribute made in ``__init__``
(``self._background_tasks = set()``), the spawn passes it
(``_keep_background_task(..., self._background_tasks)``), and the closing
method ends with ``await _cancel_background_tasks(self._background_tasks)``,
which cancels the tasks still running and waits for them (what the method
does first, such as telling the tasks to stop, still runs first; the cancel
also goes before each ``return`` of the method, and a closing method that
can raise before its end leaves the task to the application). That is unsafe: closing now stops
work that used to run on.
"""

from __future__ import annotations

import re
from typing import Mapping

import libcst as cst

from lint_structured.analysis import LOOSE_KINDS
from lint_structured.fixers.base import CstReport, Edit, FixContext, Import, Outcome, Plan, Replacement, Withheld, iter_nodes
from lint_structured.fixers.builders import TaskGroupBuilder, own_nodes, rewrite
from lint_structured.fixers.twins import CstSpawn
from lint_structured.model import Applicability
from lint_structured.rules.task_handles import CLOSING_METHODS

#: The first line of the helpers' docstrings: how a later fix finds them again.
KEEP_DOC = "Keep ``task`` in ``tasks`` until it is done; log a failure if asked."
#: How helpers are recognised, also those written by earlier versions (with another docstring).
KEEP_DOC_START = "Keep ``task`` in ``tasks`` until"
#: The helper's parameter that turns logging off (a name no module logger has).
NO_LOG = "log_failure"
CANCEL_DOC = "Cancel ``tasks`` (but the running one) and wait for them."
_LOGGER_NAMES = re.compile(r"_?(logger|log|LOGGER|LOG|_logger)$")
_KEEPABLE = LOOSE_KINDS | {"asyncio.run_coroutine_threadsafe", "helper"}


def plan(ctx: FixContext, info: CstSpawn, report: CstReport) -> Outcome:
    if info.kind not in _KEEPABLE:
        return Withheld(f"cannot tell what `{info.spawner}(...)` returns, so it cannot be kept as a task")
    obj = _object_owner(ctx, info)
    module_level = _top_statement(ctx, info.call)
    anchor = _Helpers(ctx).anchor(module_level)
    if obj is not None:
        cls, closer, init, self_name = obj
        message = (
            f"keep the task in a set on the object, and cancel and wait for it in `{closer.name.value}` "
            "(closing now stops the task)"
        )
        applicability = Applicability.UNSAFE
    else:
        message = "keep a reference until the task is done and log its failure (it still runs in the background)"
        applicability = Applicability.SAFE

    quiet = _has_own_callback(ctx, info)
    if quiet:
        message += "; its own done-callback reports failures, so this does not log them"

    def build() -> Edit:
        helpers = _Helpers(ctx)  # per build: the names it chooses are chosen again each time
        replacements: dict[cst.CSTNode, Replacement] = {}
        keep = helpers.keep_name()
        args = [cst.Arg(info.call)]
        if obj is not None:
            attr = helpers.object_set(cls, closer)
            args = [cst.Arg(info.call, comma=_comma()), cst.Arg(cst.Attribute(cst.Name(self_name), cst.Name(attr)))]
            if not helpers.closer_cancels(closer, attr):
                replacements[closer] = helpers.add_cancel(closer, attr, self_name)
            if not helpers.init_makes(init, attr, self_name):
                replacements[init] = helpers.add_set(init, attr, self_name)
        if quiet and helpers.keep_takes_flag:
            no_log = cst.Arg(cst.Name("False"), keyword=cst.Name(NO_LOG), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
            args = [*args[:-1], args[-1].with_changes(comma=_comma()), no_log]
        replacements[info.call] = _fitted_call(ctx, info.call, keep, args)
        return _with_helpers(ctx, helpers, replacements, anchor, need_cancel=obj is not None)

    return Plan(applicability, message, build)


def plan_local(ctx: FixContext, info: CstSpawn, function: cst.FunctionDef) -> Outcome | None:
    """Endless workers the function is done with when it returns: kept in a set made at the
    top of the function, cancelled and awaited before each ``return`` and at the end.
    None when that cannot be written (a generator, a ``return`` on a shared line)."""
    body = function.body
    if not isinstance(body, cst.IndentedBlock) or any(isinstance(n, (cst.Yield, cst.Raise)) for n in own_nodes(body)):
        return None
    returns = {_return_line(ctx, n) for n in own_nodes(body) if isinstance(n, cst.Return)}
    if None in returns:
        return None
    existing = _local_set(ctx, function)
    anchor = _Helpers(ctx).anchor(_top_statement(ctx, function))

    def build() -> Edit:
        helpers = _Helpers(ctx)
        keep, cancel = helpers.keep_name(), helpers.cancel_name()
        tasks = existing or ctx.fresh_name("background_tasks", function)
        kept = cst.Call(cst.Name(keep), args=[cst.Arg(info.call, comma=_comma()), cst.Arg(cst.Name(tasks))])
        nl, config = ctx.module.default_newline, ctx.module.config_for_parsing
        line = cst.parse_statement(f"await {cancel}({tasks}){nl}", config)
        if existing is not None:
            new_function = rewrite(function, {info.call: kept})
        else:
            new_function = _CancelBefore(returns, line, {info.call: kept}).run(function)
            if body.body[-1] not in returns:
                new_function = new_function.with_changes(
                    body=new_function.body.with_changes(body=[*new_function.body.body, line])
                )
            made = cst.parse_statement(f"{tasks}: {helpers.set_type()} = set(){nl}", config)
            new_function = _insert_first(new_function, made)
        replacements: dict[cst.CSTNode, Replacement] = {function: new_function}
        return _with_helpers(ctx, helpers, replacements, anchor, need_cancel=True)

    return Plan(
        Applicability.UNSAFE,
        f"keep the endless worker in a set and cancel it when `{function.name.value}` returns "
        "(nothing can reach it after that)",
        build,
    )


def _local_set(ctx: FixContext, function: cst.FunctionDef) -> str | None:
    """The set an earlier fix made for the function's workers: the one its
    ``await _cancel_background_tasks(name)`` cancels."""
    helpers = _Helpers(ctx)
    if helpers.cancel is None:
        return None
    for node in own_nodes(function.body):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == helpers.cancel:
            arg = node.args[0].value if node.args else None
            if isinstance(arg, cst.Name):
                return arg.value
    return None


def plan_run_in_background(ctx: FixContext, call: cst.Call) -> Outcome:
    """A coroutine made in a callback the event loop runs (``loop.call_soon(lambda:
    save())``), where no ``await`` can stand: ``_keep_background_task(asyncio.ensure_future(save()))``.
    The loop is running there, so the task starts; it is kept and its failure logged."""
    anchor = _Helpers(ctx).anchor(_top_statement(ctx, call))
    frame = ctx.analysis.frames[ctx.module]

    def build() -> Edit:
        helpers = _Helpers(ctx)
        keep = helpers.keep_name()
        spawner, imports = TaskGroupBuilder(ctx, frame).asyncio_member("ensure_future")
        spawned = cst.Call(cst.Name(keep), args=[cst.Arg(cst.Call(spawner, args=[cst.Arg(call)]))])
        replacements: dict[cst.CSTNode, Replacement] = {call: spawned}
        return _with_helpers(ctx, helpers, replacements, anchor, need_cancel=False, imports=imports)

    return Plan(
        Applicability.UNSAFE,
        "run it as a task the loop starts, kept until done, its failure logged (the coroutine now runs)",
        build,
    )


def plan_callback(ctx: FixContext, report: CstReport) -> Outcome:
    """A spawner passed as a callback (``loop.call_soon(asyncio.ensure_future, work())``): the
    callback becomes ``lambda coro=work(): _keep_background_task(asyncio.ensure_future(coro))``.
    The coroutine is still made where the registration is (a default is evaluated once,
    there), and the task it becomes is kept and its failure logged."""
    spawner = report.node
    arg = ctx.parent(spawner)
    registrar = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(registrar, cst.Call) or not isinstance(arg, cst.Arg) or arg.value is not spawner:
        return Withheld("a spawner passed as a callback: wrap it in a function that keeps a reference to the task")
    positional = [a for a in registrar.args if a.keyword is None]
    index = next(i for i, a in enumerate(positional) if a is arg)
    passed = positional[index + 1 :]
    if len(passed) != 1 or passed[0].star:
        return Withheld(
            f"`{ctx.source(spawner)}` is passed as a callback with {len(passed)} arguments to pass on; "
            "wrap it in a function that keeps a reference to the task"
        )
    coro = passed[0]
    used = {n.value for n in iter_nodes(spawner) if isinstance(n, cst.Name)}
    param = next(name for name in ("coro", "coroutine", "awaitable", "aw") if name not in used)
    anchor = _Helpers(ctx).anchor(_top_statement(ctx, registrar))

    def build() -> Edit:
        helpers = _Helpers(ctx)
        keep = helpers.keep_name()
        equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
        wrapper = cst.Lambda(
            params=cst.Parameters(params=[cst.Param(cst.Name(param), default=coro.value, equal=equal)]),
            body=cst.Call(cst.Name(keep), args=[cst.Arg(cst.Call(spawner, args=[cst.Arg(cst.Name(param))]))]),
        )
        args = []
        for a in registrar.args:
            if a is coro:
                continue
            if a is arg:
                after = [b for b in registrar.args if b is not coro]
                last = after[-1] is a
                a = a.with_changes(value=wrapper, comma=coro.comma if last else a.comma)
            args.append(a)
        replacements: dict[cst.CSTNode, Replacement] = {registrar: registrar.with_changes(args=args)}
        return _with_helpers(ctx, helpers, replacements, anchor, need_cancel=False)

    return Plan(
        Applicability.SAFE,
        "register a lambda that keeps a reference to the task until it is done and logs its failure",
        build,
    )


def _future_annotations(module: cst.Module) -> bool:
    for statement in module.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and statement.body else None
        if isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name) and small.module.value == "__future__":
            if not isinstance(small.names, cst.ImportStar) and any(
                isinstance(a.name, cst.Name) and a.name.value == "annotations" for a in small.names
            ):
                return True
    return False


def _annotated(module: cst.Module) -> bool:
    """Whether most functions of the module declare their return type."""
    functions = [n for n in iter_nodes(module) if isinstance(n, cst.FunctionDef)]
    return bool(functions) and 2 * sum(f.returns is not None for f in functions) >= len(functions)


def _fitted_call(ctx: FixContext, spawn: cst.Call, keep: str, args: list[cst.Arg]) -> cst.Call:
    """``keep(args)`` in place of ``spawn``, its arguments on lines of their own (as black
    writes them) when the one-line statement would pass the project's line length."""
    call = cst.Call(cst.Name(keep), args=args)
    statement = next((a for a in ctx.ancestors(spawn) if isinstance(a, cst.SimpleStatementLine)), None)
    if statement is None or not ctx.line_length_configured:
        return call
    code = ctx.source(statement).strip("\r\n")
    nl, step = ctx.module.default_newline, ctx.module.default_indent
    if "\n" in ctx.source(spawn):
        # A spawn over several lines: one argument per line, the spawn one level deeper, as black does.
        template = f"{keep}({nl}" + "".join(f"{step}_{i},{nl}" for i in range(len(args))) + ")"
        wrapped = cst.parse_expression(template, ctx.module.config_for_parsing)
        assert isinstance(wrapped, cst.Call)
        values = [a.value.visit(_Deeper(step)) if a.value is spawn else a.value for a in args]
        return wrapped.with_changes(args=[w.with_changes(value=v, keyword=a.keyword, equal=a.equal) for w, v, a in zip(wrapped.args, values, args)])
    if "\n" in code:
        return call  # a statement over several lines: its layout is the author's
    depth = sum(isinstance(a, cst.IndentedBlock) for a in ctx.ancestors(statement))
    indent = len(ctx.module.default_indent) * depth
    texts = [ctx.source(a.value) if a.keyword is None else f"{a.keyword.value}={ctx.source(a.value)}" for a in args]
    added = len(cst.Module([]).code_for_node(call)) - len(ctx.source(spawn))
    if indent + len(code) + added <= ctx.line_length:
        return call
    if indent + len(step) + len(", ".join(texts)) <= ctx.line_length:
        template = f"{keep}({nl}{step}" + ", ".join(f"_{i}" for i in range(len(args))) + f"{nl})"
    else:
        template = f"{keep}({nl}" + "".join(f"{step}_{i},{nl}" for i in range(len(args))) + ")"
    wrapped = cst.parse_expression(template, ctx.module.config_for_parsing)
    assert isinstance(wrapped, cst.Call)
    return wrapped.with_changes(args=[w.with_changes(value=a.value, keyword=a.keyword, equal=a.equal) for w, a in zip(wrapped.args, args)])


class _Deeper(cst.CSTTransformer):
    """Indents the continuation lines inside brackets one ``step`` deeper."""

    def __init__(self, step: str) -> None:
        super().__init__()
        self.step = step

    def leave_ParenthesizedWhitespace(
        self, original_node: cst.ParenthesizedWhitespace, updated_node: cst.ParenthesizedWhitespace
    ) -> cst.ParenthesizedWhitespace:
        if not updated_node.indent:
            return updated_node
        return updated_node.with_changes(last_line=cst.SimpleWhitespace(self.step + updated_node.last_line.value))


def _has_own_callback(ctx: FixContext, info: CstSpawn) -> bool:
    """Whether the spawn is bound to a name that the function gives a done-callback
    (``task = create_task(...)`` ... ``task.add_done_callback(on_done)``)."""
    assign = ctx.parent(info.call)
    if not (isinstance(assign, cst.Assign) and assign.value is info.call and len(assign.targets) == 1):
        return False
    target = assign.targets[0].target
    if not isinstance(target, cst.Name):
        return False
    scope = next((a for a in ctx.ancestors(info.call) if isinstance(a, (cst.FunctionDef, cst.Module))), ctx.module)
    for n in own_nodes(scope):
        if (
            isinstance(n, cst.Call)
            and isinstance(n.func, cst.Attribute)
            and n.func.attr.value == "add_done_callback"
            and isinstance(n.func.value, cst.Name)
            and n.func.value.value == target.value
            and n.args
            and _reads_outcome(ctx, n.args[0].value, scope)
        ):
            return True
    return False


def _reads_outcome(ctx: FixContext, callback: cst.BaseExpression, scope: cst.CSTNode) -> bool:
    """Whether the done-callback (a lambda, or a ``def`` of the scope or module) reads the
    task's outcome (``.exception()``/``.result()``): then it reports failures itself."""
    if isinstance(callback, cst.Lambda):
        body: cst.CSTNode = callback.body
    elif isinstance(callback, cst.Name):
        found = [n for n in iter_nodes(scope) if isinstance(n, cst.FunctionDef) and n.name.value == callback.value]
        if not found:
            found = [n for n in ctx.module.body if isinstance(n, cst.FunctionDef) and n.name.value == callback.value]
        if len(found) != 1:
            return False
        body = found[0].body
    else:
        return False
    return any(
        isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in ("exception", "result")
        for n in iter_nodes(body)
    )


def _with_helpers(
    ctx: FixContext,
    helpers: "_Helpers",
    replacements: dict[cst.CSTNode, Replacement],
    anchor: cst.BaseStatement,
    need_cancel: bool,
    imports: tuple[Import, ...] = (),
) -> Edit:
    """The edit: ``replacements``, plus the module's helpers before ``anchor`` when it has none yet."""
    new_top = helpers.new_definitions(need_cancel=need_cancel)
    if new_top:
        replacements[anchor] = cst.FlattenSentinel([*new_top, _after_helpers(ctx, anchor)])
    return Edit(_disjoint(ctx, replacements, anchor), (*imports, *helpers.imports), defines=bool(new_top))


def _comma() -> cst.Comma:
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _top_statement(ctx: FixContext, node: cst.CSTNode) -> cst.CSTNode:
    top = node
    for parent in ctx.ancestors(node):
        if isinstance(parent, cst.Module):
            return top
        top = parent
    return top


def _after_helpers(ctx: FixContext, anchor: cst.BaseStatement) -> cst.BaseStatement:
    """The anchor statement, two blank lines below the helpers, its own comments kept."""
    assert isinstance(anchor, (cst.SimpleStatementLine, cst.BaseCompoundStatement))  # every statement is one
    lines = list(anchor.leading_lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    blank = cst.EmptyLine(indent=False, whitespace=cst.SimpleWhitespace(""), comment=None)
    return anchor.with_changes(leading_lines=[blank, blank, *lines])


def _disjoint(ctx: FixContext, replacements: dict[cst.CSTNode, Replacement], anchor: cst.CSTNode) -> dict[cst.CSTNode, Replacement]:
    """The replacements with those inside ``anchor`` (the statement the helpers go before) folded into it.

    The spawn, ``__init__`` and the closing method are never inside one another
    (a spawn in either leaves the task to the application), but all of them can
    be inside the anchor, the first class or function of the module.
    """
    new_anchor = replacements.pop(anchor, None)
    if new_anchor is None:
        return replacements
    inside = {node: new for node, new in replacements.items() if any(a is anchor for a in ctx.ancestors(node))}
    outside = {node: new for node, new in replacements.items() if node not in inside}
    assert isinstance(new_anchor, cst.FlattenSentinel)
    *helpers, moved = new_anchor.nodes
    assert isinstance(moved, (cst.SimpleStatementLine, cst.BaseCompoundStatement))  # the anchor, moved
    rebuilt = rewrite(anchor, inside)
    assert isinstance(rebuilt, (cst.SimpleStatementLine, cst.BaseCompoundStatement))  # a statement stays one
    outside[anchor] = cst.FlattenSentinel([*helpers, rebuilt.with_changes(leading_lines=moved.leading_lines)])
    return outside


class _Helpers:
    """The module's helpers: found again if an earlier fix added them, else written now."""

    def __init__(self, ctx: FixContext) -> None:
        self.ctx = ctx
        self.imports: tuple[Import, ...] = ()
        self.top = ctx.module.body
        keep = self._find(KEEP_DOC_START)
        self.keep = keep.name.value if keep is not None else None
        #: Whether the helper can be told not to log (one written by an earlier version cannot).
        self.keep_takes_flag = keep is None or any(p.name.value == NO_LOG for p in keep.params.params)
        cancel = self._find(CANCEL_DOC)
        self.cancel = cancel.name.value if cancel is not None else None
        self._set_name: str | None = None
        self._need_keep = self.keep is None
        self._need_cancel = self.cancel is None
        #: Whether the module is type-annotated: then the new code is too (strict checkers pass).
        self.typed = ctx.memo("annotated", lambda: _annotated(ctx.module))

    def set_type(self) -> str:
        """The annotation of a set of tasks: ``"set[Any]"`` in an annotated module, else ``set``."""
        if not self.typed:
            return "set"
        self.imports = (*self.imports, Import("typing", "Any"))
        # Under `from __future__ import annotations` nothing is evaluated: no quotes (ruff's UP037).
        return "set[Any]" if _future_annotations(self.ctx.module) else self.ctx.string("set[Any]")

    def _find(self, doc_start: str) -> cst.FunctionDef | None:
        for statement in self.top:
            if isinstance(statement, cst.FunctionDef) and (statement.get_docstring(clean=True) or "").startswith(doc_start):
                return statement
        return None

    def anchor(self, spawn_top: cst.CSTNode) -> cst.BaseStatement:
        """The top-level statement the helpers go before: the first ``def``/``class``, or the spawn's own."""
        for statement in self.top:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) or statement is spawn_top:
                return statement
        assert isinstance(spawn_top, cst.BaseStatement)  # a statement of the module
        return spawn_top

    def keep_name(self) -> str:
        if self.keep is None:
            self.keep = self.ctx.fresh_name("_keep_background_task")
        return self.keep

    def cancel_name(self) -> str:
        if self.cancel is None:
            self.cancel = self.ctx.fresh_name("_cancel_background_tasks")
        return self.cancel

    def new_definitions(self, need_cancel: bool) -> list[cst.BaseStatement]:
        # Mostly the helpers' text, line by line, in the module's style: long, but read
        # top to bottom as the code it writes.
        ctx = self.ctx
        nl = ctx.module.default_newline
        ind = ctx.module.default_indent
        parts: list[str] = []
        if self._need_keep:
            tasks = ctx.fresh_name("_background_tasks")
            logger = self._logger()
            set_type = self.set_type()
            if self.typed:
                future = f"{self._asyncio('Future')}[Any]"
                if self._threadsafe():
                    # run_coroutine_threadsafe's concurrent.futures.Future is kept too.
                    self.imports = (*self.imports, Import("concurrent.futures"))
                    future += " | concurrent.futures.Future[Any]"
                bound = ctx.fresh_name("_F")
                self.imports = (*self.imports, Import("typing", "TypeVar"))
                typevar = ctx.call_lines("", f"{bound} = TypeVar", f"{ctx.string(bound)}, bound={ctx.string(future)}")
                params = f"task: {bound}, tasks: {set_type} = {tasks}, {NO_LOG}: bool = True"
                signature = f"def {self.keep_name()}({params}) -> {bound}:"
                if len(signature) > ctx.line_length:
                    signature = f"def {self.keep_name()}({nl}{ind}{params}{nl}) -> {bound}:"
                header = f"{typevar}{nl}{nl}{signature}{nl}"
                inner = f"{ind}def done(task: Any) -> None:{nl}"
            else:
                header = f"def {self.keep_name()}(task, tasks={tasks}, {NO_LOG}=True):{nl}"
                inner = f"{ind}def done(task):{nl}"
            parts.append(
                f"{tasks}: {set_type} = set(){nl}"
                + ("" if self.typed else f"{nl}{nl}")
                + header
                + f'{ind}"""{KEEP_DOC}"""{nl}{nl}'
                + inner
                + f"{ind}{ind}tasks.discard(task){nl}"
                + f"{ind}{ind}if not {NO_LOG} or task.cancelled():{nl}"
                + f"{ind}{ind}{ind}return{nl}"
                + f"{ind}{ind}if task.exception() is not None:{nl}"
                + ctx.call_lines(ind * 3, f"{logger}.error", f"{ctx.string('Background task %r failed')}, task, exc_info=task.exception()")
                + nl
                + f"{ind}tasks.add(task){nl}"
                + f"{ind}task.add_done_callback(done){nl}"
                + f"{ind}return task{nl}"
            )
            self._need_keep = False
        if need_cancel and self._need_cancel:
            self._need_cancel = False
            current, gather = self._asyncio("current_task"), self._asyncio("gather")
            signature = f"(tasks: {self.set_type()}) -> None" if self.typed else "(tasks)"
            parts.append(
                f"async def {self.cancel_name()}{signature}:{nl}"
                f'{ind}"""{CANCEL_DOC}"""{nl}'
                f"{ind}running = {current}(){nl}"
                f"{ind}pending = [task for task in tasks if task is not running]{nl}"
                f"{ind}for task in pending:{nl}"
                f"{ind}{ind}task.cancel(){nl}"
                f"{ind}await {gather}(*pending, return_exceptions=True){nl}"
            )
        if not parts:
            return []
        text = (nl + nl).join(parts)
        module = cst.parse_module(text, ctx.module.config_for_parsing)
        statements: list[cst.BaseStatement] = list(module.body)
        blank = cst.EmptyLine(indent=False, whitespace=cst.SimpleWhitespace(""), comment=None)
        first = statements[0]
        statements[0] = first.with_changes(leading_lines=[blank, blank])
        return statements

    def _threadsafe(self) -> bool:
        """Whether a runaway of the file comes from ``run_coroutine_threadsafe``."""
        for report in self.ctx.reports.values():
            info = self.ctx.analysis.spawn_info(report.node) if report.code in ("LSC101", "LSC102") else None
            if info is not None and info.kind == "asyncio.run_coroutine_threadsafe":
                return True
        return False

    def _asyncio(self, member: str) -> str:
        frame = self.ctx.analysis.frames[self.ctx.module]
        made, imports = TaskGroupBuilder(self.ctx, frame).asyncio_member(member)
        self.imports = (*self.imports, *imports)
        return self.ctx.module.code_for_node(made)

    def _logger(self) -> str:
        logger, imports = module_logger(self.ctx)
        self.imports = (*self.imports, *imports)
        return logger

    # ------------------------------------------------------------ objects
    def object_set(self, cls: cst.ClassDef, closer: cst.FunctionDef) -> str:
        """The attribute that holds the object's tasks: the one its closer already cancels, or a new one."""
        if self._set_name is None:
            existing = self._cancelled_attr(closer)
            if existing is None:
                used = {n.attr.value for n in iter_nodes(cls) if isinstance(n, cst.Attribute)}
                existing, n = "_background_tasks", 1
                while existing in used:
                    n += 1
                    existing = f"_background_tasks{n}"
            self._set_name = existing
        return self._set_name

    def _cancelled_attr(self, closer: cst.FunctionDef) -> str | None:
        cancel = self.cancel
        if cancel is None:
            return None
        for node in iter_nodes(closer):
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == cancel:
                arg = node.args[0].value if node.args else None
                if isinstance(arg, cst.Attribute):
                    return arg.attr.value
        return None

    def closer_cancels(self, closer: cst.FunctionDef, attr: str) -> bool:
        return self._cancelled_attr(closer) == attr

    def add_cancel(self, closer: cst.FunctionDef, attr: str, self_name: str) -> cst.FunctionDef:
        """The closing method with the cancel-and-wait as its last statement, and before each
        ``return``: whatever it does first (telling the tasks to stop, waiting for them to
        finish) still runs."""
        nl = self.ctx.module.default_newline
        line = cst.parse_statement(f"await {self.cancel_name()}({self_name}.{attr}){nl}", self.ctx.module.config_for_parsing)
        returns = {_return_line(self.ctx, n) for n in own_nodes(closer.body) if isinstance(n, cst.Return)}
        ends_with_return = closer.body.body[-1] in returns
        if returns:
            # Before each `return` too: a closing method that returns early still stops the tasks.
            closer = _CancelBefore(returns, line).run(closer)
        if ends_with_return:
            return closer
        body = closer.body
        return closer.with_changes(body=body.with_changes(body=[*body.body, line]))

    def init_makes(self, init: cst.FunctionDef, attr: str, self_name: str) -> bool:
        return any(
            isinstance(n, cst.Attribute) and n.attr.value == attr and isinstance(n.value, cst.Name) and n.value.value == self_name
            for n in iter_nodes(init)
        )

    def add_set(self, init: cst.FunctionDef, attr: str, self_name: str) -> cst.FunctionDef:
        nl = self.ctx.module.default_newline
        line = cst.parse_statement(f"{self_name}.{attr}: {self.set_type()} = set(){nl}", self.ctx.module.config_for_parsing)
        return _insert_first(init, line, after_super=True)


def module_logger(ctx: FixContext) -> tuple[str, tuple[Import, ...]]:
    """A module-level ``logging.getLogger(...)`` logger, else ``logging.getLogger(__name__)`` (with its import)."""
    for statement in ctx.module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and _LOGGER_NAMES.match(small.targets[0].target.value)
                and isinstance(small.value, cst.Call)
                and ctx.module.code_for_node(small.value.func) in ("logging.getLogger", "getLogger")
            ):
                return small.targets[0].target.value, ()
    return "logging.getLogger(__name__)", (Import("logging"),)


def _insert_first(function: cst.FunctionDef, line: cst.BaseStatement, after_super: bool = False) -> cst.FunctionDef:
    """``function`` with ``line`` as its first statement (after a docstring, and a leading ``super().__init__``)."""
    body = list(function.body.body)
    index = 0
    if body and function.get_docstring(clean=False) is not None:
        index = 1
    if after_super and index < len(body):
        code = cst.Module([]).code_for_node(body[index])
        if code.strip().startswith("super().__init__("):
            index += 1
    return function.with_changes(body=function.body.with_changes(body=[*body[:index], line, *body[index:]]))


def _object_owner(ctx: FixContext, info: CstSpawn) -> tuple[cst.ClassDef, cst.FunctionDef, cst.FunctionDef, str] | None:
    """(class, closing method, ``__init__``, self name) when an object should own the task; None when
    the application should (an object that cannot hold the task leaves it to the application)."""
    method = None
    for parent in ctx.ancestors(info.call):
        if isinstance(parent, cst.FunctionDef):
            method = parent
        if isinstance(parent, cst.ClassDef):
            break
        if isinstance(parent, cst.Module):
            return None
    else:
        return None
    cls = parent
    if method is None or ctx.parent(ctx.parent(method)) is not cls:
        return None  # a nested function of a method, or a def in a class-level block
    if method.decorators and any(_decorator(d) in ("staticmethod", "classmethod") for d in method.decorators):
        return None
    if cls.decorators or any(_assigns(s, "__slots__") for s in cls.body.body):
        return None  # a dataclass-like or slotted class: adding an attribute is not ours to do
    params = method.params.params
    if not params:
        return None
    self_name = params[0].name.value
    methods = {s.name.value: s for s in cls.body.body if isinstance(s, cst.FunctionDef)}
    if method.name.value in CLOSING_METHODS or method.name.value == "__init__":
        return None  # work started while closing, or in the constructor: the application's
    closer = next((methods[name] for name in CLOSING_METHODS if name in methods and methods[name].asynchronous is not None), None)
    init = methods.get("__init__")
    if closer is None or init is None or init.asynchronous is not None:
        return None
    if not isinstance(closer.body, cst.IndentedBlock) or any(isinstance(n, (cst.Raise, cst.Yield)) for n in own_nodes(closer.body)):
        return None  # a closing method that can raise early would skip the cancel at its end
    returns = [n for n in own_nodes(closer.body) if isinstance(n, cst.Return)]
    if any(_return_line(ctx, r) is None for r in returns):
        return None  # a `return` the cancel cannot go before (`if x: return`, `a(); return`)
    if closer.params.params and closer.params.params[0].name.value != self_name:
        return None
    return cls, closer, init, self_name


def _return_line(ctx: FixContext, node: cst.Return) -> cst.SimpleStatementLine | None:
    """The statement line of a ``return`` that stands alone on it in an indented block, and
    whose value (if any) is a name or a constant: the cancel goes before it, so a value
    computed there (``return await queue.join()``) would be computed after the cancel."""
    line = ctx.parent(node)
    simple = node.value is None or isinstance(node.value, (cst.Name, cst.BaseNumber, cst.SimpleString))
    if simple and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and isinstance(ctx.parent(line), cst.IndentedBlock):
        return line
    return None


class _CancelBefore(cst.CSTTransformer):
    """Puts ``line`` before each of ``returns`` (statement lines of the original tree),
    and makes the ``replace`` replacements on the way."""

    def __init__(self, returns: set[cst.SimpleStatementLine | None], line: cst.BaseStatement, replace: Mapping[cst.CSTNode, Replacement] | None = None) -> None:
        super().__init__()
        self.returns = returns
        self.line = line
        self.replace = replace or {}

    def on_leave(  # type: ignore[override]  # LibCST's is generic in the node's type; a replacement may change it
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Replacement | cst.RemovalSentinel:
        if original_node in self.replace:
            return self.replace[original_node]
        # LibCST's on_leave is typed for one node type at a time; it returns the node as left.
        left: Replacement | cst.RemovalSentinel = super().on_leave(original_node, updated_node)  # type: ignore[arg-type]
        return left

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.root

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = []
        for old, new in zip(original_node.body, updated_node.body):
            if old in self.returns:
                assert isinstance(new, (cst.SimpleStatementLine, cst.BaseCompoundStatement))  # a statement
                body.append(self.line.with_changes(leading_lines=new.leading_lines))
                new = new.with_changes(leading_lines=[])
            body.append(new)
        return updated_node.with_changes(body=body)

    def run(self, closer: cst.FunctionDef) -> cst.FunctionDef:
        self.root = closer
        return closer.visit(self)  # type: ignore[return-value]  # it only inserts statements into the function


def _decorator(decorator: cst.Decorator) -> str:
    d = decorator.decorator
    return d.value if isinstance(d, cst.Name) else ""


def _assigns(statement: cst.CSTNode, name: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target] if isinstance(small, cst.AnnAssign) else []
        if any(isinstance(t, cst.Name) and t.value == name for t in targets):
            return True
    return False
