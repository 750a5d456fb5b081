"""Structured concurrency helpers: TaskGroup, anyio and trio."""
import asyncio

import anyio
import trio


async def fetch(url: str) -> str:
    await asyncio.sleep(0.01)
    return url.upper()


async def fetch_all(urls: list[str]) -> list[str]:
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(fetch(u)) for u in urls]
        tg.create_task(asyncio.sleep(0))
        first = await asyncio.create_task(fetch(urls[0]))
    return [first] + [t.result() for t in tasks]


async def fetch_after_group(urls: list[str]) -> str:
    async with asyncio.TaskGroup() as tg:
        for u in urls:
            tg.create_task(fetch(u))
    summary = asyncio.create_task(fetch("summary"))
    return await summary


async def anyio_download(urls: list[str]) -> dict[str, str]:
    results: dict[str, str] = {}

    async def one(u: str) -> None:
        results[u] = await fetch(u)

    async with anyio.create_task_group() as tg:
        for u in urls:
            tg.start_soon(one, u)
    return results


async def trio_ping(hosts: list[str]) -> None:
    async def ping(h: str) -> None:
        await trio.sleep(0.01)

    async with trio.open_nursery() as nursery:
        for h in hosts:
            nursery.start_soon(ping, h)


async def timeout_block(urls: list[str]) -> list[str]:
    async with asyncio.timeout(5):
        tasks = [asyncio.create_task(fetch(u)) for u in urls]
        return await asyncio.gather(*tasks)


async def lock_block(lock: asyncio.Lock, url: str) -> str:
    async with lock:
        t = asyncio.create_task(fetch(url))
        return await t
