"""Streaming helpers: prefetching iterators, merged streams and periodic ticks."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator, TypeVar

T = TypeVar("T")

_DONE = object()


async def prefetch(source: AsyncIterator[T], depth: int = 4) -> AsyncIterator[T]:
    queue: asyncio.Queue = asyncio.Queue(depth)

    async def pump() -> None:
        try:
            async for item in source:
                await queue.put(item)
        finally:
            await queue.put(_DONE)

    pumper = asyncio.create_task(pump())
    try:
        while (item := await queue.get()) is not _DONE:
            yield item
        await pumper  # surface exceptions raised by the source
    finally:
        pumper.cancel()


async def merge(*sources: AsyncIterator[T]) -> AsyncIterator[T]:
    nexts: dict[asyncio.Future, AsyncIterator[T]] = {}
    for src in sources:
        nexts[asyncio.ensure_future(anext(src))] = src
    try:
        while nexts:
            done, _ = await asyncio.wait(nexts, return_when=asyncio.FIRST_COMPLETED)
            for fut in done:
                src = nexts.pop(fut)
                try:
                    item = fut.result()
                except StopAsyncIteration:
                    continue
                nexts[asyncio.ensure_future(anext(src))] = src
                yield item
    finally:
        for fut in nexts:
            fut.cancel()


async def spawn_stream(coros) -> AsyncIterator[asyncio.Task]:
    for coro in coros:
        yield asyncio.create_task(coro)


async def ticks(interval: float) -> AsyncIterator[int]:
    n = 0
    timer = asyncio.create_task(asyncio.sleep(interval))
    try:
        while True:
            await timer
            n += 1
            yield n
            timer = asyncio.create_task(asyncio.sleep(interval))
    finally:
        timer.cancel()


async def with_lookahead(source: AsyncIterator[T]) -> AsyncIterator[tuple[T, bool]]:
    upcoming = asyncio.ensure_future(anext(source))
    while True:
        try:
            current = await upcoming
        except StopAsyncIteration:
            return
        upcoming = asyncio.ensure_future(anext(source))
        try:
            yield current, True
        except GeneratorExit:
            upcoming.cancel()
            raise
