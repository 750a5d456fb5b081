"""Service classes mixing sync and async methods with overlapping names."""
import asyncio
import logging

from .db import CachedRepo, Repo
from .net import HttpClient

log = logging.getLogger(__name__)


async def notify(channel: str, msg: str) -> None:
    await asyncio.sleep(0)
    log.info("[%s] %s", channel, msg)


class AsyncCache:
    async def save(self, key: str, value: object) -> None:
        await asyncio.sleep(0)

    async def flush(self) -> None:
        await asyncio.sleep(0)


class MemoryCache:
    """Sync cache whose API mirrors the async ones."""

    def __init__(self) -> None:
        self.data: dict[str, object] = {}

    def save(self, key: str, value: object) -> None:
        self.data[key] = value

    def flush(self) -> None:
        self.data.clear()

    def warm(self, keys: list[str]) -> None:
        for key in keys:
            self.save(key, None)
        self.flush()


class OfflineClient(HttpClient):
    """Offline client: overrides the async close() with a sync one."""

    def close(self) -> None:  # type: ignore[override]
        self.open = False

    def reset(self) -> None:
        self.close()
        log.info("reset %s", self.url_for("/"))


class Service:
    def __init__(self) -> None:
        self.cache = MemoryCache()

    async def handle(self, key: str, value: object) -> None:
        cache = MemoryCache()
        cache.save(key, value)
        repo = Repo("handle")
        repo.keys()
        crepo = CachedRepo()
        crepo.remember(key, value)
        crepo.close()
        await repo.save(key, value)
        repo.close()

    async def shutdown(self) -> None:
        client = OfflineClient("http://offline")
        client.close()
        Repo.from_config({"name": "final"}).close()
        await notify("ops", "service stopped")


def cli_report(lines: list[str]) -> None:
    def notify(channel: str, msg: str) -> None:
        print(f"{channel}: {msg}")

    for line in lines:
        notify("stdout", line)
