"""Fan-out HTTP client with partial-failure tolerance."""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


class MetricsCollector:
    """Tiny stand-in for a metrics registry; its `gather` is not asyncio's."""

    def __init__(self) -> None:
        self._samples: dict[str, float] = {}

    def gather(self, *names: str) -> dict[str, float]:
        return {n: self._samples.get(n, 0.0) for n in names}


class FanoutClient:
    def __init__(self, session, base_url: str) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self.collector = MetricsCollector()
        self.last_outcomes: list = []

    async def _fetch(self, path: str) -> bytes:
        async with self._session.get(f"{self._base}/{path}") as resp:
            resp.raise_for_status()
            return await resp.read()

    async def fetch_many(self, paths: list[str]) -> dict[str, bytes]:
        results = await asyncio.gather(*(self._fetch(p) for p in paths), return_exceptions=True)
        out: dict[str, bytes] = {}
        for path, result in zip(paths, results):
            if isinstance(result, BaseException):
                log.warning("fetch %s failed: %r", path, result)
                continue
            out[path] = result
        return out

    async def fetch_raw(self, paths: list[str]) -> list:
        return await asyncio.gather(*[self._fetch(p) for p in paths], return_exceptions=True)

    async def fetch_one(self, path: str) -> bytes:
        (body,) = await asyncio.gather(self._fetch(path))
        return body

    async def product_with_stock(self, sku: str) -> dict:
        async with asyncio.TaskGroup() as tg:
            product = tg.create_task(self._fetch(f"products/{sku}"))
            stock = tg.create_task(self._fetch(f"stock/{sku}"))
        stats = self.collector.gather("http.requests", "http.errors")
        return {"product": product.result(), "stock": stock.result(), "stats": stats}

    async def refresh(self, paths: list[str]) -> None:
        self.last_outcomes = await asyncio.gather(*(self._fetch(p) for p in paths), return_exceptions=True)

    async def debug_probe(self, a: str, b: str) -> None:
        outcome = await asyncio.gather(self._fetch(a), self._fetch(b), return_exceptions=True)
        log.debug("probe outcome: %r", outcome)

    async def first_ok(self, paths: list[str]) -> bytes | None:
        results = await asyncio.gather(*map(self._fetch, paths), return_exceptions=True)
        ok = [r for r in results if not isinstance(r, Exception)]
        return ok[0] if ok else None

    async def header_and_body(self, path: str) -> tuple:
        results = await asyncio.gather(
            self._fetch(f"{path}/meta"),
            self._fetch(path),
            return_exceptions=True,
        )
        return results[0], results[1]
