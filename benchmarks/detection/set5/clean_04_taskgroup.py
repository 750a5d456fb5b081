"""Crawler that keeps all of its work inside the task group.

Anti-pattern reminder (not code):
    async with asyncio.TaskGroup() as tg:
        asyncio.create_task(fetch(url))   # escapes the group!
"""
import asyncio
from urllib.parse import urljoin

import anyio


async def fetch(session, url: str) -> str:
    async with session.get(url) as resp:
        return await resp.text()


async def fetch_into(session, url: str, pages: dict[str, str]) -> None:
    pages[url] = await fetch(session, url)


async def write_audit(pages: dict[str, str]) -> None:
    await asyncio.sleep(0)


def extract_links(base: str, html: str) -> list[str]:
    return [urljoin(base, h.split('"', 1)[0]) for h in html.split('href="')[1:]]


async def crawl(session, root: str) -> dict[str, str]:
    pages: dict[str, str] = {}
    async with asyncio.TaskGroup() as tg:

        def on_link(url: str) -> None:
            tg.create_task(fetch_into(session, url, pages))

        first = await asyncio.create_task(fetch(session, root))
        pages[root] = first
        for link in extract_links(root, first):
            on_link(link)
    # The group has exited; an ordinary, awaited task is fine here.
    audit = asyncio.create_task(write_audit(pages))
    await audit
    return pages


async def crawl_many(session, roots: list[str]) -> list[str]:
    results: dict[str, str] = {}
    async with asyncio.TaskGroup() as tg:
        for r in roots:
            tg.create_task(fetch_into(session, r + "/robots.txt", results))
            results[r] = await asyncio.ensure_future(fetch(session, r))
    followups = [asyncio.create_task(fetch(session, u + "/sitemap.xml")) for u in roots]
    return [await h for h in followups]


async def mirror(session, urls: list[str]) -> dict[str, str]:
    pages: dict[str, str] = {}
    async with anyio.create_task_group() as tg:
        for url in urls:
            tg.start_soon(fetch_into, session, url, pages)
    return pages


async def bounded(session, urls: list[str], limit: int = 4) -> dict[str, str]:
    pages: dict[str, str] = {}
    sem = asyncio.Semaphore(limit)
    async with asyncio.timeout(60):
        async with sem:
            tasks = [asyncio.create_task(fetch_into(session, u, pages)) for u in urls]
            await asyncio.wait(tasks)
    return pages
