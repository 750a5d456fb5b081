"""Dispatch tables, partials, module-level and class-level sync instances."""
from __future__ import annotations

import asyncio
import functools

from .. import cache as db
from ..cache import SyncStore
from ..db import fetch_user, save_user
from ..net import SyncClient

ROUTES = {"fetch": fetch_user, "save": save_user}
client = SyncClient()


class Service:
    store = SyncStore()

    def persist(self, item: dict) -> None:
        self.store.save(item)
        Service.store.delete(item)


def lookup(uid: int) -> dict:
    # `db` here is probe6.cache (sync), not probe6.db
    db.fetch_user(uid)
    db.save_user({"id": uid})
    return db.fetch_user(uid)


def notify(payload: bytes) -> None:
    client.send(payload)
    client.close()


async def dispatch(kind: str, payload: dict) -> None:
    handler = ROUTES[kind]
    await handler(payload)
    await ROUTES.get(kind, save_user)(payload)
    task = asyncio.create_task(ROUTES["save"](payload))
    await task


def run_partial(user: dict) -> None:
    job = functools.partial(save_user, user)
    asyncio.run(job())
    functools.partial(save_user, user)


def schedule(loop: asyncio.AbstractEventLoop) -> None:
    loop.run_until_complete(functools.partial(fetch_user, 1)())


def register_callbacks(loop: asyncio.AbstractEventLoop, user: dict) -> None:
    loop.call_soon(lambda: asyncio.ensure_future(save_user(user)))
    loop.call_later(1.0, lambda: db.save_user(user))
