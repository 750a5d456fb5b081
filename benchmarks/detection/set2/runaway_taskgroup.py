"""Fan-out crawler built on structured concurrency (TaskGroup / anyio / trio)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import anyio
import trio


@dataclass
class CrawlResult:
    url: str
    status: int
    links: list[str] = field(default_factory=list)


async def fetch(url: str) -> CrawlResult:
    await asyncio.sleep(0.01)
    return CrawlResult(url, 200)


class Crawler:
    def __init__(self, seeds: list[str]) -> None:
        self.seeds = seeds
        self.results: list[CrawlResult] = []
        self._stragglers: set[asyncio.Future] = set()
        self._progress: asyncio.Task | None = None

    async def _report_progress(self) -> None:
        while True:
            await asyncio.sleep(1)
            print(f"{len(self.results)} pages")

    async def _fetch_into(self, url: str) -> None:
        self.results.append(await fetch(url))

    async def crawl(self) -> list[CrawlResult]:
        async with asyncio.TaskGroup() as tg:
            self._progress = asyncio.create_task(self._report_progress())  # expect: LSC103
            for url in self.seeds:
                tg.create_task(self._fetch_into(url))
            slow = asyncio.ensure_future(fetch("https://slow.example/"))  # expect: LSC103
            self._stragglers.add(slow)
            slow.add_done_callback(self._stragglers.discard)
        self._progress.cancel()
        return self.results

    async def crawl_with_loop(self) -> None:
        loop = asyncio.get_running_loop()
        async with asyncio.TaskGroup() as group:
            for url in self.seeds:
                if url.endswith(".pdf"):
                    self._stragglers.add(loop.create_task(fetch(url)))  # expect: LSC103
                else:
                    group.create_task(self._fetch_into(url))

    async def crawl_bounded(self, deadline: float) -> None:
        async with asyncio.timeout(deadline), asyncio.TaskGroup() as tg:
            for url in self.seeds:
                tg.create_task(self._fetch_into(url))
            self._progress = asyncio.create_task(self._report_progress())  # expect: LSC103
        self._progress.cancel()


async def crawl_anyio(urls: list[str]) -> list[asyncio.Future]:
    futures = []
    async with anyio.create_task_group() as tg:
        for url in urls:
            tg.start_soon(fetch, url)
        futures.append(asyncio.ensure_future(fetch(urls[0])))  # expect: LSC103
    return futures


async def crawl_trio(urls: list[str]) -> asyncio.Task | None:
    async with trio.open_nursery() as nursery:
        for url in urls:
            nursery.start_soon(fetch, url)
        if urls:
            return asyncio.create_task(fetch(urls[-1]))  # expect: LSC103
    return None
