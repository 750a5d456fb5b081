"""Debounced file-watcher rebuilds using closures over task handles."""
from __future__ import annotations

import asyncio
import functools
import logging

log = logging.getLogger(__name__)


async def rebuild(path: str) -> None:
    await asyncio.sleep(0.1)
    log.info("rebuilt %s", path)


def _log_when_done(task: asyncio.Task) -> None:
    log.info("done: %s", task.get_name())


async def watch_with_timeout(path: str, seconds: float) -> None:
    loop = asyncio.get_running_loop()
    job = loop.create_task(rebuild(path))

    def _expire() -> None:
        if not job.done():
            log.warning("rebuild of %s took too long", path)
            job.cancel()

    handle = loop.call_later(seconds, _expire)
    loop.call_soon(functools.partial(_log_when_done, job))
    await asyncio.sleep(0)
    handle.cancel()


async def with_stop_signal(path: str, stop: asyncio.Event) -> None:
    job = asyncio.create_task(rebuild(path))
    stopper = asyncio.create_task(stop.wait())
    stopper.add_done_callback(lambda _: job.cancel())
    await asyncio.wait([job, stopper], return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()


async def chained(paths: list[str]) -> None:
    first = asyncio.create_task(rebuild(paths[0]))

    async def after_first() -> None:
        await first
        for p in paths[1:]:
            await rebuild(p)

    return await after_first()


class Debouncer:
    def __init__(self, delay: float = 0.3) -> None:
        self.delay = delay
        self.factory = lambda path: asyncio.create_task(rebuild(path))
        self.tasks: list[asyncio.Task] = []
        self._timers: dict[str, asyncio.TimerHandle] = {}

    def trigger(self, path: str) -> None:
        loop = asyncio.get_running_loop()
        if (old := self._timers.pop(path, None)) is not None:
            old.cancel()
        self._timers[path] = loop.call_later(
            self.delay, lambda: self.tasks.append(self.factory(path))
        )

    def trigger_now(self, path: str) -> None:
        loop = asyncio.get_running_loop()
        loop.call_soon(lambda: self.tasks.append(asyncio.create_task(rebuild(path))))

    def make_canceller(self, path: str):
        task = asyncio.create_task(rebuild(path))
        return lambda: task.cancel()

    async def flush(self) -> None:
        pending, self.tasks = self.tasks, []
        await asyncio.gather(*pending, return_exceptions=True)
