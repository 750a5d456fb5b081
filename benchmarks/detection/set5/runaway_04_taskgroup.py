"""Site crawler built on structured concurrency (mostly)."""
import asyncio
from urllib.parse import urljoin

import anyio

MAX_DEPTH = 3


async def fetch(session, url: str) -> str:
    async with session.get(url) as resp:
        return await resp.text()


def extract_links(base: str, html: str) -> list[str]:
    return [urljoin(base, href.split('"', 1)[0]) for href in html.split('href="')[1:]]


async def crawl(session, root: str) -> dict[str, str]:
    pages: dict[str, str] = {}
    handles: list[asyncio.Task] = []
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch(session, root))
        for depth in range(MAX_DEPTH):
            if depth > 0:
                handles.append(asyncio.create_task(fetch(session, f"{root}?d={depth}")))  # expect: LSC103
        async with asyncio.timeout(30):
            pages[root] = await asyncio.create_task(fetch(session, root))
    for h in handles:
        pages[h.get_name()] = await h
    return pages


async def mirror(session, urls: list[str]) -> list[str]:
    results: list[str] = []
    async with anyio.create_task_group() as tg:
        for url in urls:
            fut = asyncio.ensure_future(fetch(session, url))  # expect: LSC103
            fut.add_done_callback(lambda f: results.append(f.result()))
            tg.start_soon(asyncio.wait_for, fut, 10)
    return results


async def sync_all(client_factory, ids: list[int]) -> None:
    loop = asyncio.get_running_loop()
    async with client_factory() as client, asyncio.TaskGroup() as tg:
        for i in ids:
            tg.create_task(client.sync(i))
        watchdog = loop.create_task(client.ping())  # expect: LSC103
        await watchdog


async def ingest(queue: asyncio.Queue, store) -> int:
    count = 0
    async with asyncio.TaskGroup() as group:
        try:
            while (item := await queue.get()) is not None:
                t = asyncio.create_task(  # expect: LSC103
                    store.put(item),
                    name=f"put-{count}",
                )
                await asyncio.shield(t)
                count += 1
        finally:
            queue.task_done()
        group.create_task(store.flush())
    return count
