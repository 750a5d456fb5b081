"""Structured-concurrency helpers that look like group escapes but are not."""
from __future__ import annotations

import asyncio

import anyio


async def fetch(n: int) -> int:
    await asyncio.sleep(0)
    return n


async def gather_in_group(items: list[int]) -> tuple[int, dict[int, int]]:
    results: dict[int, asyncio.Task] = {}
    async with asyncio.TaskGroup() as tg:
        for i in items:
            results[i] = tg.create_task(fetch(i))
        first = await asyncio.create_task(fetch(-1))
    return first, {k: v.result() for k, v in results.items()}


async def group_with_factory(items: list[int]) -> list[int]:
    async with asyncio.TaskGroup() as tg:
        def later(n: int) -> asyncio.Task:
            return asyncio.create_task(fetch(n))

        for i in items:
            tg.create_task(fetch(i))
    handles = [later(i) for i in items]
    return await asyncio.gather(*handles)


async def deferred_spawns(items: list[int]) -> list[int]:
    loop = asyncio.get_running_loop()
    spawned: list[asyncio.Task] = []
    async with asyncio.TaskGroup() as tg:
        for i in items:
            tg.create_task(fetch(i))
            loop.call_soon(lambda n=i: spawned.append(asyncio.create_task(fetch(n))))
    await asyncio.sleep(0)
    return await asyncio.gather(*spawned)


async def spawn_after_group(items: list[int]) -> int:
    async with asyncio.TaskGroup() as tg:
        for i in items:
            tg.create_task(fetch(i))
    tail = asyncio.create_task(fetch(len(items)))
    return await tail


async def anyio_direct_await() -> int:
    async with anyio.create_task_group() as tg:
        tg.start_soon(fetch, 1)
        value = await asyncio.ensure_future(fetch(2))
    return value


async def locked_spawn(lock: asyncio.Lock, registry: list[asyncio.Task]) -> None:
    async with lock, asyncio.timeout(5):
        registry.append(asyncio.create_task(fetch(0)))


async def nested_groups(items: list[int]) -> list[int]:
    out: list[asyncio.Task] = []
    async with asyncio.TaskGroup() as outer:
        for i in items:
            async def child(n: int = i) -> None:
                out.append(asyncio.create_task(fetch(n)))
                await out[-1]

            outer.create_task(child())
    return [t.result() for t in out]
