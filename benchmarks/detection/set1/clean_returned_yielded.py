"""Factories, generators and fixtures that hand task handles to the caller."""
import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest


async def tick(n: int) -> int:
    await asyncio.sleep(0)
    return n


def spawn_ticker(n: int) -> asyncio.Task[int]:
    return asyncio.create_task(tick(n))


def spawn_on(loop: asyncio.AbstractEventLoop, n: int) -> asyncio.Task[int]:
    task = loop.create_task(tick(n))
    task.add_done_callback(lambda t: None)
    return task


def spawn_many(ns: list[int]) -> Iterator[asyncio.Future[int]]:
    for n in ns:
        yield asyncio.ensure_future(tick(n))


async def stream_ticks(ns: list[int]) -> AsyncIterator[asyncio.Task[int]]:
    loop = asyncio.get_running_loop()
    for n in ns:
        t = loop.create_task(tick(n))
        yield t


@asynccontextmanager
async def running(n: int):
    task = asyncio.create_task(tick(n))
    try:
        yield task
    finally:
        task.cancel()


@pytest.fixture
async def background_server(unused_tcp_port):
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", unused_tcp_port)
    serve = asyncio.create_task(server.serve_forever())
    yield server
    serve.cancel()
    server.close()


def pair(a: int, b: int) -> tuple[asyncio.Task[int], asyncio.Task[int]]:
    first = asyncio.create_task(tick(a))
    second = asyncio.create_task(tick(b))
    return first, second


def as_future_threadsafe(loop: asyncio.AbstractEventLoop, n: int):
    return asyncio.run_coroutine_threadsafe(tick(n), loop)
