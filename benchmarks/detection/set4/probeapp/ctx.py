"""Async context and iteration helpers."""
import asyncio
import contextlib
import logging

from .db import Repo

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def open_session(name: str = "default"):
    repo = Repo(name)
    log.debug("session %s opened", name)
    try:
        yield repo
    finally:
        repo.close()


async def iter_rows(repo: Repo, keys: list[str]):
    for key in keys:
        yield key, await repo.load(key)


class Ticker:
    def __init__(self, interval: float, count: int) -> None:
        self.interval = interval
        self.count = count

    def __aiter__(self):
        return self._ticks()

    async def _ticks(self):
        for i in range(self.count):
            await asyncio.sleep(self.interval)
            yield i
