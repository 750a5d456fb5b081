"""Crawler that mixes asyncio.TaskGroup with loose tasks."""
import asyncio
from asyncio import TaskGroup

import aiohttp


class Crawler:
    def __init__(self, session: aiohttp.ClientSession, concurrency: int = 8):
        self.session = session
        self.sem = asyncio.Semaphore(concurrency)
        self.pages: dict[str, str] = {}
        self._progress: asyncio.Task | None = None

    async def fetch(self, url: str) -> None:
        async with self.sem:
            async with self.session.get(url) as resp:
                self.pages[url] = await resp.text()

    async def report_progress(self, total: int) -> None:
        while True:
            await asyncio.sleep(1)
            print(f"{len(self.pages)}/{total}")

    async def crawl(self, urls: list[str]) -> dict[str, str]:
        async with asyncio.TaskGroup() as tg:
            for url in urls:
                tg.create_task(self.fetch(url))
            progress = asyncio.create_task(self.report_progress(len(urls)))  # expect: LSC103
        progress.cancel()
        return self.pages

    async def crawl_with_sitemap(self, root: str, urls: list[str]) -> None:
        async with TaskGroup() as group:
            sitemap = asyncio.ensure_future(self.fetch(root + "/sitemap.xml"))  # expect: LSC103
            for url in urls:
                group.create_task(self.fetch(url))
            await asyncio.create_task(self.fetch(root))
        await sitemap

    async def crawl_tracked(self, urls: list[str]) -> None:
        loop = asyncio.get_running_loop()
        async with asyncio.TaskGroup() as tg:
            self._progress = loop.create_task(self.report_progress(len(urls)))  # expect: LSC103
            for url in urls:
                tg.create_task(self.fetch(url))
        self._progress.cancel()


async def main(urls: list[str]) -> None:
    async with aiohttp.ClientSession() as session:
        crawler = Crawler(session)
        pages = await crawler.crawl(urls)
        print(len(pages), "pages")


if __name__ == "__main__":
    asyncio.run(main(["https://example.com"]))
