"""Fan-out HTTP client used by the catalog aggregator."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class Response:
    url: str
    status: int
    body: bytes


class FanoutClient:
    def __init__(self, session, base_url: str, concurrency: int = 16) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._sem = asyncio.Semaphore(concurrency)

    async def _fetch(self, path: str) -> Response:
        async with self._sem:
            async with self._session.get(f"{self._base}/{path}") as resp:
                body = await resp.read()
                return Response(path, resp.status, body)

    async def product_with_stock(self, sku: str) -> dict:
        product, stock = await asyncio.gather(self._fetch(f"products/{sku}"), self._fetch(f"stock/{sku}"))  # expect: LSC204
        return {"product": product.body, "stock": stock.body}

    async def fetch_pages(self, paths: list[str]) -> list[Response]:
        return await asyncio.gather(*(self._fetch(p) for p in paths))  # expect: LSC204

    async def dashboard(self, user_id: int) -> dict:
        profile, orders, recs = await asyncio.gather(  # expect: LSC204
            self._fetch(f"users/{user_id}"),
            self._fetch(f"users/{user_id}/orders"),
            self._fetch(f"recommendations/{user_id}"),
            return_exceptions=False,
        )
        return {"profile": profile, "orders": orders, "recs": recs}

    async def warm_cache(self, paths: list[str]) -> None:
        started = asyncio.get_running_loop().time()
        results = await asyncio.gather(*(self._fetch(p) for p in paths), return_exceptions=True)  # expect: LSC202
        elapsed = asyncio.get_running_loop().time() - started
        log.info("warmed %d paths in %.2fs", len(paths), elapsed)

    async def ping_all(self, paths: list[str]) -> None:
        await asyncio.gather(*[self._fetch(p) for p in paths], return_exceptions=True)  # expect: LSC202
        log.debug("pinged %d endpoints", len(paths))

    async def single(self, path: str) -> Response:
        (resp,) = await asyncio.gather(self._fetch(path))
        return resp
