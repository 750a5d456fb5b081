"""Cache-aside price lookup; every background refresh is accounted for."""
import asyncio
import logging
from typing import Optional

log = logging.getLogger(__name__)

_warmup_task: Optional[asyncio.Task] = None


class PriceService:
    def __init__(self, backend, cache) -> None:
        self.backend = backend
        self.cache = cache
        self._inflight: dict[str, asyncio.Task] = {}

    async def _refresh(self, sku: str) -> float:
        price = await self.backend.fetch(sku)
        await self.cache.set(sku, price)
        return price

    async def get_price(self, sku: str) -> Optional[float]:
        refresh = asyncio.create_task(self._refresh(sku))
        try:
            cached = await self.cache.get(sku)
        except BaseException:
            refresh.cancel()
            raise
        if cached is not None:
            self._inflight[sku] = refresh
            return cached
        return await refresh

    async def shared_refresh(self, sku: str) -> float:
        if (t := self._inflight.get(sku)) is None:
            t = self._inflight[sku] = asyncio.create_task(self._refresh(sku))
        return await t

    async def checked(self, sku: str) -> Optional[float]:
        probe = asyncio.create_task(self._refresh(sku))
        try:
            await self.backend.ping()
        except ConnectionError:
            log.warning("backend down")
            return None
        else:
            return await probe
        finally:
            if not probe.done():
                probe.cancel()

    async def reprice(self, sku: str, strategy: str) -> Optional[float]:
        task = asyncio.create_task(self._refresh(sku))
        match strategy:
            case "live":
                return await task
            case "cached" | "stale":
                task.cancel()
                return await self.cache.get(sku)
            case _:
                task.cancel()
                raise ValueError(strategy)

    async def refresh_stream(self, skus: list[str]):
        for sku in skus:
            t = asyncio.create_task(self._refresh(sku))
            yield t

    async def with_progress(self, sku: str, report) -> float:
        t = asyncio.create_task(self._refresh(sku))
        while not t.done():
            report(sku)
            await asyncio.sleep(0.5)
        return t.result()

    async def warm(self, skus: list[str]) -> None:
        last: Optional[asyncio.Task] = None
        for sku in skus:
            last = asyncio.create_task(self._refresh(sku))
            self._inflight[sku] = last
        if last is not None:
            await last


async def start_warmup(service: PriceService, skus: list[str]) -> None:
    global _warmup_task
    _warmup_task = asyncio.create_task(service.warm(skus))
