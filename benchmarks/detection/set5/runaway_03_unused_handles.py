"""Cache-aside price lookup with background refresh."""
import asyncio
import logging
from typing import Optional

log = logging.getLogger(__name__)


class PriceService:
    def __init__(self, backend, cache) -> None:
        self.backend = backend
        self.cache = cache

    async def _refresh(self, sku: str) -> float:
        price = await self.backend.fetch(sku)
        await self.cache.set(sku, price)
        return price

    async def get_price(self, sku: str) -> Optional[float]:
        refresh = asyncio.create_task(self._refresh(sku))  # expect: LSC102
        cached = await self.cache.get(sku)
        if cached is not None:
            # stale-while-revalidate: return early, refresh "keeps going"
            return cached
        return await refresh

    async def warm(self, skus: list[str]) -> None:
        job: Optional[asyncio.Task] = None
        for sku in skus:
            job = asyncio.create_task(self._refresh(sku))  # expect: LSC102
        if job is not None:
            await job

    async def prefetch(self, skus: list[str]) -> int:
        _ = asyncio.create_task(self._refresh(skus[0]))  # expect: LSC102
        return len(skus)

    async def reprice(self, sku: str, strategy: str) -> Optional[float]:
        task = asyncio.create_task(self._refresh(sku))  # expect: LSC102
        match strategy:
            case "live":
                return await task
            case "cached" | "stale":
                return await self.cache.get(sku)
            case _:
                task.cancel()
                raise ValueError(f"unknown strategy {strategy!r}")

    async def audit(self, sku: str) -> None:
        t = asyncio.create_task(self._refresh(sku))  # expect: LSC102
        t.add_done_callback(lambda f: log.info("refreshed %s", sku))
        t.set_name(f"audit-{sku}")

    async def bulk(self, skus: list[str]) -> None:
        pending = [asyncio.create_task(self._refresh(s)) for s in skus]  # expect: LSC102
        log.info("started %d refreshes", len(skus))

    async def checked(self, sku: str) -> Optional[float]:
        try:
            probe = asyncio.create_task(self._refresh(sku))  # expect: LSC102
            await self.backend.ping()
        except ConnectionError:
            log.warning("backend down, not waiting for %s", sku)
            return None
        else:
            return await probe

    async def first_in_stock(self, skus: list[str]) -> Optional[str]:
        lookup = asyncio.create_task(self.backend.stock_levels(skus))  # expect: LSC102
        for sku in skus:
            if await self.cache.get(f"stock:{sku}"):
                break
        else:
            return None
        levels = await lookup
        return max(levels, key=levels.get)
