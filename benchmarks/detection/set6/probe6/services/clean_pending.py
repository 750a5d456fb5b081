"""Coroutines bound to names that are always consumed (raise paths excluded)."""
from __future__ import annotations

import asyncio

from .. import db
from ..db import fetch_user, save_user
from .worker import Worker


async def validated(uid: int) -> dict:
    coro = fetch_user(uid)
    if uid < 0:
        raise ValueError("negative id")
    return await coro


class Tracker:
    def __init__(self) -> None:
        self.current = None

    async def begin(self, uid: int) -> None:
        coro = fetch_user(uid)
        self.current = coro


def start(uid: int):
    coro = fetch_user(uid)
    return coro


def stream(ids: list[int]):
    for uid in ids:
        c = fetch_user(uid)
        yield c


async def handoff(uid: int, outbox: asyncio.Queue) -> None:
    coro = save_user({"id": uid})
    outbox.put_nowait(coro)


async def either(uid: int, fast: bool) -> dict:
    coro = fetch_user(uid) if fast else db.fetch_user(uid)
    return await coro


async def collect(users: list[dict]) -> None:
    pending = []
    for user in users:
        pending.append(save_user(user))
    await asyncio.gather(*pending)


async def timed(uid: int) -> dict | None:
    coro = fetch_user(uid)
    try:
        return await asyncio.wait_for(coro, timeout=1)
    except asyncio.TimeoutError:
        return None


async def drain_worker(dsn: str) -> None:
    worker = Worker(dsn)
    op = worker.drain()
    worker.stop()
    await op


async def as_task(uid: int) -> asyncio.Task:
    coro = fetch_user(uid)
    task = asyncio.create_task(coro)
    return task


async def not_coroutines(uid: int) -> None:
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, print, uid)
    task = asyncio.create_task(fetch_user(uid))
    data = {"id": uid}
    await asyncio.sleep(0)
