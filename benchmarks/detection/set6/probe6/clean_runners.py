"""Correct ways of driving coroutines. Nothing here may be reported."""
from __future__ import annotations

import asyncio

from . import db
from .db import Database, Repo, fetch_user, save_user
from .net import send_packet


def main() -> None:
    asyncio.run(fetch_user(1))


def legacy() -> None:
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(save_user({"id": 2}))
    finally:
        loop.close()


def from_thread(loop: asyncio.AbstractEventLoop, user: dict) -> None:
    asyncio.run_coroutine_threadsafe(save_user(user), loop)


async def fan_out(ids: list[int]) -> list[dict]:
    tasks = [asyncio.create_task(fetch_user(i)) for i in ids]
    asyncio.create_task(save_user({"id": 0}))
    asyncio.ensure_future(db.save_user({"id": -1}))
    results = await asyncio.gather(*tasks, fetch_user(0))
    await asyncio.wait_for(fetch_user(9), timeout=1.0)
    await asyncio.shield(save_user({"id": 9}))
    return list(results)


def make_job(uid: int):
    return fetch_user(uid)


def pick(uid: int, fresh: bool):
    if fresh:
        return fetch_user(uid)
    return db.fetch_user(uid - 1)


async def choose(uid: int, primary: bool) -> dict:
    return await (fetch_user(uid) if primary else db.fetch_user(-uid))


async def later(uid: int) -> dict:
    coro = fetch_user(uid)
    other = save_user({"id": uid})
    await other
    return await coro


async def session(dsn: str) -> int:
    conn = await Database.connect(dsn)
    await conn.execute("SELECT 1")
    repo = Repo()
    await repo.save({"k": 1})
    loop = asyncio.get_running_loop()
    loop.create_task(send_packet("h", b""))
    async with asyncio.timeout(1):
        await Database.ping("h")
    return conn.row_count


if __name__ == "__main__":
    main()
