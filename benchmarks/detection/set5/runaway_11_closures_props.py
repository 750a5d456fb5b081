"""Metrics exporter with batching, retries and debounced flushes."""
import asyncio
import functools
import time
from typing import Awaitable, Callable

MAX_BUFFER = 100


def retry(times: int):
    def deco(fn):
        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return await fn(*args, **kwargs)
                except BaseException:  # expect: LSC401
                    if attempt == times - 1:
                        raise
                    await asyncio.sleep(2 ** attempt)
        return wrapper
    return deco


class Exporter:
    def __init__(self, sink) -> None:
        self._sink = sink
        self._buffer: list[tuple[str, float, float]] = []
        self._loop = asyncio.get_running_loop()

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def record(self, name: str, value: float) -> None:
        self._buffer.append((name, value, time.time()))
        if 0 < MAX_BUFFER <= len(self._buffer):
            self._loop.call_soon(lambda: self._loop.create_task(self.flush()))  # expect: LSC101

    async def flush(self) -> None:
        batch, self._buffer = self._buffer, []
        await self._sink.write(batch)


def make_debouncer(delay: float, action: Callable[[], Awaitable[None]]) -> Callable[[], None]:
    handle = None

    def trigger() -> None:
        nonlocal handle
        if handle is not None:
            handle.cancel()
        handle = asyncio.get_running_loop().call_later(
            delay, lambda: asyncio.ensure_future(action())  # expect: LSC101
        )

    return trigger


@retry(times=3)
async def push(exporter: Exporter, batch: list) -> int:
    flush_task = asyncio.create_task(exporter._sink.write(batch))  # expect: LSC102
    if not batch:
        return 0
    await flush_task
    return len(batch)


class Pipeline:
    def __init__(self, exporter: Exporter) -> None:
        self.exporter = exporter
        self.stages: list[Callable[[float], float]] = []

    def stage(self, fn: Callable[[float], float]) -> Callable[[float], float]:
        self.stages.append(fn)
        return fn

    async def feed(self, name: str, *values: float) -> None:
        for v in values:
            for s in self.stages:
                v = s(v)
            self.exporter.record(name, v)
        if self.exporter.pending:
            asyncio.ensure_future(self.exporter.flush())  # expect: LSC101
