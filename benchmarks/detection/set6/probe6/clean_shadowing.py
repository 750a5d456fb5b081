"""Names that look like async functions but are bound to something else."""
from __future__ import annotations

from . import cache
from .db import fetch_user, save_user
from .net import Client, SyncClient, send_packet


def replay(users: list[dict], save_user=cache.save_user) -> None:
    for user in users:
        save_user(user)


def warm(ids: list[int]) -> None:
    fetch_user = cache.fetch_user
    for uid in ids:
        fetch_user(uid)


def fan(payload: bytes, senders: list) -> None:
    for send_packet in senders:
        send_packet("h", payload)


def with_closure(ids: list[int]) -> None:
    fetch_user = cache.fetch_user

    def inner() -> None:
        for uid in ids:
            fetch_user(uid)

    inner()


def nested_sync() -> None:
    def save_user(user: dict) -> None:
        cache.save_user(user)

    save_user({"id": 1})


def offline(ids: list[int]) -> None:
    from .cache import fetch_user

    for uid in ids:
        fetch_user(uid)


async def run(repo, client) -> None:
    repo.save({"id": 2})
    client.send(b"x")


def sync_client() -> None:
    c = SyncClient()
    c.send(b"x")
    c = Client()
    c = SyncClient()
    c.send(b"y")


class Local:
    def save_user(self, user: dict) -> dict:
        return user

    def go(self) -> None:
        self.save_user({"id": 3})


def handlers() -> list:
    return [lambda fetch_user=cache.fetch_user: fetch_user(1)]


async def uses_module_names(uid: int) -> None:
    await fetch_user(uid)
    await save_user({"id": uid})
    await send_packet("h", b"")
