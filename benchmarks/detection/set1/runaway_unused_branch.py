"""Cache warmer whose task handles are only settled on some paths."""
import asyncio
import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class WarmupConfig:
    keys: list[str] = field(default_factory=list)
    blocking: bool = False
    strict: bool = True


class CacheWarmer:
    def __init__(self, backend, config: WarmupConfig):
        self.backend = backend
        self.config = config

    async def _load(self, key: str) -> None:
        value = await self.backend.fetch(key)
        await self.backend.set(key, value, ttl=300)

    async def _load_all(self) -> None:
        for key in self.config.keys:
            await self._load(key)

    async def warm(self) -> None:
        task = asyncio.create_task(self._load_all())  # expect: LSC102
        if self.config.blocking:
            await task
        log.info("warmup started for %d keys", len(self.config.keys))

    async def warm_checked(self) -> bool:
        job = asyncio.create_task(self._load_all())  # expect: LSC102
        if not await self.backend.ping():
            log.error("backend down, skipping warmup")
            return False
        await job
        return True

    async def warm_one(self, key: str, wait: bool = False) -> None:
        if (t := asyncio.create_task(self._load(key))) and wait:  # expect: LSC102
            await t

    async def refresh(self, key: str) -> None:
        _ = asyncio.create_task(self._load(key))  # expect: LSC102
        log.debug("refresh scheduled for %s", key)

    async def prefetch(self, key: str) -> None:
        pending = asyncio.ensure_future(self._load(key))  # expect: LSC102
        pending.add_done_callback(lambda f: log.debug("prefetched %s", key))
