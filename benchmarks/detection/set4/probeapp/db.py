"""Async data-access layer."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_STORE: dict[int, "User"] = {}


@dataclass
class User:
    uid: int
    name: str
    tags: list[str] = field(default_factory=list)


async def fetch_user(uid: int) -> User | None:
    await asyncio.sleep(0)
    return _STORE.get(uid)


async def save_user(user: User) -> None:
    await asyncio.sleep(0)
    _STORE[user.uid] = user


async def delete_user(uid: int) -> bool:
    await asyncio.sleep(0)
    return _STORE.pop(uid, None) is not None


def count_users() -> int:
    return len(_STORE)


class Repo:
    """Generic key/value repository with an async API."""

    def __init__(self, name: str = "default") -> None:
        self.name = name
        self._data: dict[str, object] = {}
        self._closed = False

    async def save(self, key: str, value: object) -> None:
        await asyncio.sleep(0)
        self._data[key] = value

    async def load(self, key: str) -> object | None:
        await asyncio.sleep(0)
        return self._data.get(key)

    def close(self) -> None:
        self._closed = True

    def keys(self) -> list[str]:
        return list(self._data)

    @staticmethod
    async def migrate(version: int = 1) -> None:
        await asyncio.sleep(0)
        log.info("migrated to %s", version)

    @staticmethod
    def from_config(cfg: dict) -> Repo:
        return Repo(cfg.get("name", "default"))

    @classmethod
    async def create(cls, name: str) -> Repo:
        repo = cls(name)
        await repo.save("__created__", True)
        return repo


class CachedRepo(Repo):
    """Repo that also keeps a sync write-through cache."""

    def __init__(self, name: str = "cached") -> None:
        super().__init__(name)
        self.cache: dict[str, object] = {}

    def remember(self, key: str, value: object) -> None:
        self.cache[key] = value
