"""Job worker."""
from __future__ import annotations

import asyncio

from .. import cache
from ..db import Database, save_user


async def process_job(job: dict) -> None:
    await save_user(job)
    cache.save_user(job)


def process_job_sync(job: dict) -> None:
    cache.save_user(job)


class Worker:
    def __init__(self, dsn: str = "sqlite://") -> None:
        self.db = Database(dsn)
        self.running = False

    async def run_once(self, job: dict) -> None:
        await process_job(job)

    async def drain(self) -> None:
        await asyncio.sleep(0)

    def stop(self) -> None:
        self.running = False
