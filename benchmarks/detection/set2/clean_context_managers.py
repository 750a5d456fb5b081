"""Async context managers and exit stacks that own background tasks."""
from __future__ import annotations

import asyncio
import contextlib


async def cancel_and_wait(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class Ticker:
    def __init__(self, interval: float, callback) -> None:
        self.interval = interval
        self.callback = callback
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.callback()

    async def __aenter__(self) -> "Ticker":
        task = asyncio.create_task(self._run())
        self._task = task
        return self

    async def __aexit__(self, exc_type, exc, tb) -> bool:
        task, self._task = self._task, None
        if task is not None:
            await cancel_and_wait(task)
        return False


class Duplex:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.outbox: asyncio.Queue[bytes] = asyncio.Queue()
        self.inbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._tasks: dict[str, asyncio.Task] = {}

    async def _read(self) -> None:
        while data := await self.reader.read(4096):
            await self.inbox.put(data)

    async def _write(self) -> None:
        while True:
            self.writer.write(await self.outbox.get())
            await self.writer.drain()

    async def __aenter__(self) -> "Duplex":
        loop = asyncio.get_running_loop()
        self._tasks["read"] = loop.create_task(self._read())
        self._tasks["write"] = loop.create_task(self._write())
        return self

    async def __aexit__(self, *exc_info) -> None:
        for t in self._tasks.values():
            t.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._tasks.clear()
        self.writer.close()


@contextlib.asynccontextmanager
async def background(coro):
    task = asyncio.ensure_future(coro)
    try:
        yield task
    finally:
        await cancel_and_wait(task)


async def run_pipeline(stages) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for stage in stages:
            t = asyncio.create_task(stage())
            stack.push_async_callback(cancel_and_wait, t)
        await asyncio.sleep(1)


async def run_guarded(stages) -> None:
    with contextlib.ExitStack() as stack:
        for stage in stages:
            t = asyncio.create_task(stage())
            stack.callback(t.cancel)
        await asyncio.sleep(1)
