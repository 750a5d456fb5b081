"""Async generators and async context managers: calling them never yields a coroutine."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator

from .decorators import logged
from .net import Client, stream_packets


async def ticker(n: int) -> AsyncIterator[int]:
    for i in range(n):
        await asyncio.sleep(0)
        yield i


async def drain_early(n: int) -> AsyncIterator[int]:
    if n <= 0:
        return
    yield n


@logged
async def audited_rows(n: int) -> AsyncIterator[int]:
    # logged() sees a non-coroutine function and returns its sync wrapper
    for i in range(n):
        yield i


@asynccontextmanager
async def session(host: str) -> AsyncIterator[Client]:
    client = Client(host)
    try:
        yield client
    finally:
        client.close()


class Feed:
    async def items(self) -> AsyncIterator[int]:
        yield 1

    def prime(self) -> None:
        self.items()


def prime() -> None:
    ticker(3)
    drain_early(1)
    audited_rows(2)
    stream_packets("h")
    session("h")
    gen = ticker(5)
    agen = stream_packets("h")
    client = Client("h")
    client.listen()
    Feed().prime()


async def consume() -> list[int]:
    async for chunk in stream_packets("h"):
        print(chunk)
    async with session("h") as client:
        await client.send(b"x")
    async for chunk in Client("h").listen():
        print(chunk)
    return [x async for x in ticker(3)] + [y async for y in audited_rows(2)]
