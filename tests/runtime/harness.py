"""Run a program's ``async def main()`` and measure the asyncio work it leaks.

Usage: ``python tests/runtime/harness.py PROGRAM.py``

PROGRAM.py is loaded as the module ``__program__`` (so its ``if __name__ ==
"__main__"`` block does not run) and ``main()`` is run with ``asyncio.run``.
Right after ``main()`` returns or raises, still inside the running loop and
before ``asyncio.run`` cancels the leftovers, every other task that is not
done is recorded: as a leak (``pending_tasks``) when only the event loop's
machinery refers to it, so that nothing in the program can wait for it,
cancel it or see its error, and as ``kept_tasks`` (not a leak) when the
program holds it: in a set, a list, an attribute of an object, a task group,
the frame of another coroutine. A task kept in a set until it is done, with a
done-callback that retrieves its exception, is deliberate background work the
application owns, not a runaway. "coroutine ... was never awaited" warnings and reports
that reach the loop's exception handler ("Task exception was never
retrieved", "Task was destroyed but it is pending!", ...) are recorded too.

The program's stdout passes through untouched. The measurement is written as
one JSON line to the file named by ``LSC_HARNESS_REPORT`` (to stderr when it
is not set): ``{"pending_tasks": [...], "never_awaited": [...],
"loop_errors": [...], "kept_tasks": [...]}``, each a sorted list of strings. An exception from
``main()`` still propagates (non-zero exit) after the report is written.
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import inspect
import json
import os
import sys
import types
import warnings

#: Referrers that are the event loop's own machinery: a scheduled step or wake-up of the task.
_MACHINERY = (types.MethodType, types.BuiltinMethodType, types.MethodWrapperType)
_MACHINERY_NAMES = frozenset({"TaskStepMethWrapper", "TaskWakeupMethWrapper", "Handle", "TimerHandle"})


def load_program(path: str):
    spec = importlib.util.spec_from_file_location("__program__", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"harness: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["__program__"] = module
    spec.loader.exec_module(module)
    main = getattr(module, "main", None)
    if not inspect.iscoroutinefunction(main):
        raise SystemExit(f"harness: {path} does not define 'async def main()'")
    return main


def _name(task: asyncio.Task) -> str:
    coro = task.get_coro()
    return getattr(coro, "__qualname__", None) or repr(coro)


def _describe(context: dict) -> str:
    message = str(context.get("message", ""))
    exception = context.get("exception")
    if exception is not None:
        message += f" ({type(exception).__name__})"
    task = context.get("task") or context.get("future")
    if isinstance(task, asyncio.Task):
        message += f" [{_name(task)}]"
    return message


async def _measured(main, report: dict) -> None:
    asyncio.get_running_loop().set_exception_handler(
        lambda loop, context: report["loop_errors"].append(_describe(context))
    )
    try:
        await main()
    finally:
        _record_pending(report)
        gc.collect()


def _record_pending(report: dict) -> None:
    current = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    for task in pending:
        report["kept_tasks" if _kept(task, pending) else "pending_tasks"].append(_name(task))


def _kept(task: asyncio.Task, ours: list) -> bool:
    """Whether the program holds ``task``: a chain of references from a module's globals or
    from a live coroutine or frame, not only the event loop's machinery.

    Walks referrers upwards. It does not go through the loop's scheduled steps
    and wake-ups or through other futures (a ``gather`` that raised still lists
    its children, but nothing of the program can reach that future any more).
    """
    roots = {id(vars(m)) for m in list(sys.modules.values()) if hasattr(m, "__dict__")}
    harness = {_measured.__code__, _kept.__code__, _record_pending.__code__}
    seen = {id(task)}
    frontier = [task]
    own = {id(ours), id(frontier)}
    budget = 20000
    while frontier and budget > 0:
        referrers = gc.get_referrers(frontier.pop())
        own.add(id(referrers))
        for referrer in referrers:
            if id(referrer) in own or id(referrer) in seen:
                continue
            seen.add(id(referrer))
            budget -= 1
            if isinstance(referrer, types.FrameType):
                if referrer.f_code in harness:
                    continue
                return True
            if isinstance(referrer, (types.CoroutineType, types.GeneratorType, types.AsyncGeneratorType)):
                return True
            if isinstance(referrer, dict) and id(referrer) in roots:
                return True
            if isinstance(referrer, (_MACHINERY, asyncio.Future)) or type(referrer).__name__ in _MACHINERY_NAMES:
                continue
            frontier.append(referrer)
    return False


def run(path: str) -> dict:
    report: dict = {"pending_tasks": [], "never_awaited": [], "loop_errors": [], "kept_tasks": []}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            main = load_program(path)
            asyncio.run(_measured(main, report))
        finally:
            gc.collect()
            for warning in caught:
                text = str(warning.message)
                if issubclass(warning.category, RuntimeWarning) and "was never awaited" in text:
                    report["never_awaited"].append(text)
                else:  # not ours to judge: show it as Python would have
                    sys.stderr.write(warnings.formatwarning(
                        warning.message, warning.category, warning.filename, warning.lineno, warning.line
                    ))
            for key in report:
                report[key] = sorted(report[key])
            line = json.dumps(report, sort_keys=True) + "\n"
            target = os.environ.get("LSC_HARNESS_REPORT")
            if target:
                with open(target, "w", encoding="utf-8") as handle:
                    handle.write(line)
            else:
                sys.stderr.write(line)
    return report


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tests/runtime/harness.py PROGRAM.py")
    run(sys.argv[1])
    sys.stdout.flush()
