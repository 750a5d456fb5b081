"""Messages are short, say what is wrong here, and give advice that fits the place."""

from __future__ import annotations

import textwrap

from conftest import ROOT, fixture_files
from lint_structured.engine import lint_source
from lint_structured.settings import Settings

EVERYTHING = Settings(select=("LSC",))


def messages(source: str) -> list[str]:
    return [f.message for f in lint_source(textwrap.dedent(source), "m.py", EVERYTHING)]


def test_every_message_on_the_fixtures_and_probes_fits_in_90_characters():
    files = fixture_files() + sorted((ROOT / "benchmarks" / "detection").rglob("*.py"))
    found = [f for path in files for f in lint_source(path.read_bytes(), str(path), EVERYTHING)]
    assert len({f.code for f in found}) >= 11
    too_long = sorted({f.message for f in found if len(f.message) > 90})
    assert too_long == []


def test_a_plain_def_is_not_told_to_use_a_task_group():
    (sync,) = messages(
        """
        import asyncio

        def on_event(loop, coro):
            loop.create_task(coro)
        """
    )
    (inside,) = messages(
        """
        import asyncio

        async def handler(coro):
            asyncio.create_task(coro)
        """
    )
    assert "TaskGroup" not in sync and "keep a reference" in sync
    assert "TaskGroup" in inside


def test_a_future_from_another_thread_is_called_a_future():
    (message,) = messages(
        """
        import asyncio

        def submit(coro, loop):
            asyncio.run_coroutine_threadsafe(coro, loop)
        """
    )
    assert message.startswith("Future from `run_coroutine_threadsafe()`") and "Task" not in message


def test_an_unawaited_coroutine_in_a_plain_def_is_not_told_to_await():
    (message,) = messages(
        """
        async def save():
            pass

        def on_click():
            save()
        """
    )
    assert "never runs" in message and "await it" not in message


def test_a_method_is_told_to_keep_the_task_on_the_object():
    (sync,) = messages(
        """
        import asyncio

        class Client:
            def start(self):
                asyncio.get_running_loop().create_task(self.run())

            async def run(self):
                pass

            async def aclose(self):
                pass
        """
    )
    assert sync.endswith("keep it on self and cancel it in `aclose()`")


def test_a_method_of_a_class_without_a_closer_is_not_told_to_cancel_on_close():
    (sync,) = messages(
        """
        import asyncio

        class Client:
            def start(self):
                asyncio.get_running_loop().create_task(self.run())

            async def run(self):
                pass
        """
    )
    assert "close" not in sync and sync.endswith("keep a reference to it")
