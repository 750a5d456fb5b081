"""Metrics exporter with batching, retries and debounced flushes (correct)."""
import asyncio
import functools
import logging
import time
from typing import Awaitable, Callable, Optional

MAX_BUFFER = 100
log = logging.getLogger("exporter")


def retry(times: int):
    def deco(fn):
        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return await fn(*args, **kwargs)
                except (ConnectionError, TimeoutError):
                    if attempt == times - 1:
                        raise
                    await asyncio.sleep(2 ** attempt)
        return wrapper
    return deco


class Exporter:
    def __init__(self, sink) -> None:
        self._sink = sink
        self._buffer: list[tuple[str, float, float]] = []
        self._flush_task: Optional[asyncio.Task] = None

    @property
    def flush_task(self) -> asyncio.Task:
        if self._flush_task is None or self._flush_task.done():
            self._flush_task = asyncio.get_running_loop().create_task(self.flush())
        return self._flush_task

    def record(self, name: str, value: float) -> None:
        self._buffer.append((name, value, time.time()))
        if 0 < MAX_BUFFER <= len(self._buffer):
            log.debug("flush scheduled as %s", self.flush_task.get_name())

    async def flush(self) -> None:
        batch, self._buffer = self._buffer, []
        await self._sink.write(batch)


def make_debouncer(delay: float, action: Callable[[], Awaitable[None]]):
    handle: Optional[asyncio.TimerHandle] = None
    task: Optional[asyncio.Future] = None

    def fire() -> None:
        nonlocal task
        task = asyncio.ensure_future(action())

    def trigger() -> None:
        nonlocal handle
        if handle is not None:
            handle.cancel()
        handle = asyncio.get_running_loop().call_later(delay, fire)

    def current() -> Optional[asyncio.Future]:
        return task

    return trigger, current


@retry(times=3)
async def push(exporter: Exporter, batch: list) -> int:
    t = asyncio.create_task(exporter._sink.write(batch)) if batch else None
    if t is None:
        return 0
    await t
    return len(batch)


async def push_named(exporter: Exporter, *batches: list, **labels: str) -> list:
    handles = [
        asyncio.create_task(coro=exporter._sink.write(b), name=labels.get("name", "push"))
        for b in batches
    ]
    done, _ = await asyncio.wait(handles) if handles else (set(), set())
    return [h.result() for h in done]
