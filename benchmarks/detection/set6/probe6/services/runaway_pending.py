"""Coroutines bound to names (or collected) and then lost on some path."""
from __future__ import annotations

import asyncio
import logging

from ..db import Database, fetch_user, save_user
from ..net import Client

log = logging.getLogger(__name__)


def validate(uid: int) -> None:
    if uid < 0:
        raise ValueError(uid)


async def maybe_refresh(uid: int, force: bool) -> dict | None:
    pending = fetch_user(uid)  # expect: LSC302
    if force:
        return await pending
    return None


async def last_wins(uid: int) -> dict:
    result = fetch_user(uid)  # expect: LSC302
    result = fetch_user(uid + 1)
    return await result


async def batch(users: list[dict], dry_run: bool) -> int:
    jobs = []
    for user in users:
        jobs.append(save_user(user))  # expect: LSC302
    if dry_run:
        return 0
    await asyncio.gather(*jobs)
    return len(users)


async def prefetch(ids: list[int]) -> None:
    coros = [fetch_user(i) for i in ids]  # expect: LSC302
    log.info("prefetching %d users", len(ids))


async def unique_saves(users: list[dict], dry_run: bool) -> None:
    saves = {save_user(u) for u in users}  # expect: LSC302
    if dry_run:
        return
    await asyncio.gather(*saves)


async def save_each(users: list[dict]) -> None:
    for user in users:
        op = save_user(user)  # expect: LSC302
        log.debug("queued %s", user)
    await op


class Syncer:
    async def refresh(self) -> None:
        await asyncio.sleep(0)

    async def tick(self, force: bool) -> None:
        fut = self.refresh()  # expect: LSC302
        if force:
            await fut


async def probe(host: str, verbose: bool) -> None:
    client = Client(host)
    reply = client.send(b"hi")  # expect: LSC302
    if verbose:
        await reply


async def guarded_fetch(uid: int) -> dict | None:
    coro = fetch_user(uid)  # expect: LSC302
    try:
        validate(uid)
    except ValueError:
        return None
    return await coro


async def reconnect(dsn: str) -> Database:
    conn = Database.connect(dsn)  # expect: LSC302
    conn = Database(dsn)
    await conn.execute("SELECT 1")
    return conn
