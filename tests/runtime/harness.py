"""Run a program's ``async def main()`` and measure the asyncio work it leaks.

Usage: ``python tests/runtime/harness.py PROGRAM.py``

PROGRAM.py is loaded as the module ``__program__`` (so its ``if __name__ ==
"__main__"`` block does not run) and ``main()`` is run with ``asyncio.run``.
Right after ``main()`` returns or raises, still inside the running loop and
before ``asyncio.run`` cancels the leftovers, every other task that is not
done is recorded. "coroutine ... was never awaited" warnings and reports
that reach the loop's exception handler ("Task exception was never
retrieved", "Task was destroyed but it is pending!", ...) are recorded too.

The program's stdout passes through untouched. The measurement is written as
one JSON line to the file named by ``LSC_HARNESS_REPORT`` (to stderr when it
is not set): ``{"pending_tasks": [...], "never_awaited": [...],
"loop_errors": [...]}``, each a sorted list of strings. An exception from
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
import warnings


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
        current = asyncio.current_task()
        report["pending_tasks"] = [_name(t) for t in asyncio.all_tasks() if t is not current and not t.done()]
        gc.collect()


def run(path: str) -> dict:
    report: dict = {"pending_tasks": [], "never_awaited": [], "loop_errors": []}
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
