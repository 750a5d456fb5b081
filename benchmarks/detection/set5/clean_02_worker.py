"""Thread-bridged worker that does its bookkeeping properly."""
import asyncio
import concurrent.futures
import logging
import signal
from typing import Any, Callable

log = logging.getLogger("worker")


class CronScheduler:
    """In-house cron scheduler -- not an event loop despite the method name."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[..., Any], int]] = []

    def create_task(self, fn: Callable[..., Any], every: int) -> int:
        self.jobs.append((fn, every))
        return len(self.jobs) - 1


class Worker:
    def __init__(self, loop: asyncio.AbstractEventLoop, scheduler: CronScheduler) -> None:
        self._loop = loop
        self._scheduler = scheduler
        self._tasks: set[asyncio.Task] = set()
        self._queue: asyncio.Queue = asyncio.Queue()

    def submit_from_thread(self, job: dict, timeout: float = 5.0) -> None:
        fut = asyncio.run_coroutine_threadsafe(self._queue.put(job), self._loop)
        try:
            fut.result(timeout)
        except concurrent.futures.TimeoutError:
            fut.cancel()
            raise

    def submit_nowait(self, job: dict) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(self._queue.put(job), self._loop)

    def submit_blocking(self, job: dict) -> None:
        asyncio.run_coroutine_threadsafe(self._queue.put(job), self._loop).result()

    def install(self) -> None:
        self._scheduler.create_task(self.compact, every=3600)
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._loop.add_signal_handler(sig, lambda: self._track(self._loop.create_task(self.stop())))
        self._loop.call_soon_threadsafe(self._queue.put_nowait, {"kind": "warmup"})

    def _track(self, task: asyncio.Task) -> asyncio.Task:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def compact(self) -> None:
        await asyncio.sleep(0)

    async def handle(self, job: dict) -> None:
        log.info("handling %s", job)
        await asyncio.sleep(0)

    async def stop(self) -> None:
        me = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not me]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def run(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                self._track(self._loop.create_task(self.handle(job)))
            finally:
                self._queue.task_done()
