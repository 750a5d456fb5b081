"""Report builder whose gathers are all either cancel-safe or inspected."""
import asyncio
import logging
from typing import Awaitable, Callable

log = logging.getLogger("reports")


class Metrics:
    def gather(self, *names: str) -> dict[str, float]:
        """Collects gauges -- unrelated to asyncio.gather."""
        return {n: 0.0 for n in names}


metrics = Metrics()


async def build_sales(day: str) -> list[dict]:
    await asyncio.sleep(0)
    return []


async def build_refunds(day: str) -> list[dict]:
    await asyncio.sleep(0)
    return []


async def build_report(day: str) -> dict:
    (sales,) = await asyncio.gather(build_sales(day))
    snapshot = metrics.gather("cpu", "mem")
    return {"day": day, "sales": sales, "metrics": snapshot}


async def build_all(days: list[str]) -> list[dict]:
    results = await asyncio.gather(*(build_report(d) for d in days), return_exceptions=True)
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        raise ExceptionGroup("report build failed", failures)
    return results


async def fetch_pair(a: Callable[[], Awaitable], b: Callable[[], Awaitable]) -> list:
    ta = asyncio.create_task(a())
    tb = asyncio.create_task(b())
    try:
        return await asyncio.gather(ta, tb)
    except BaseException:
        ta.cancel()
        tb.cancel()
        raise


async def fanout(jobs: list[Callable[[], Awaitable]]) -> list:
    tasks = [asyncio.create_task(j()) for j in jobs]
    try:
        return await asyncio.gather(*tasks)
    finally:
        for t in tasks:
            t.cancel()


async def shutdown(tasks: list[asyncio.Task]) -> None:
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def fetch_all(fetch, urls: list[str]) -> list:
    return await asyncio.gather(*map(fetch, urls), return_exceptions=True)


async def both(day: str) -> tuple[list, list]:
    sales, refunds = await asyncio.gather(build_sales(day), build_refunds(day), return_exceptions=True)
    for name, r in (("sales", sales), ("refunds", refunds)):
        if isinstance(r, BaseException):
            log.error("%s failed: %r", name, r)
    return sales, refunds


def main() -> None:
    loop = asyncio.new_event_loop()
    try:
        out = loop.run_until_complete(build_all(["2024-01-01"]))
        log.info("done: %s", out)
    finally:
        loop.close()
