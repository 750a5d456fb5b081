"""Database access layer (all I/O is async)."""
from __future__ import annotations

import asyncio
from typing import Generic, TypeVar

T = TypeVar("T")


class Database:
    def __init__(self, dsn: str = "sqlite://") -> None:
        self.dsn = dsn
        self._rows: list[dict] = []

    @classmethod
    async def connect(cls, dsn: str) -> "Database":
        await asyncio.sleep(0)
        return cls(dsn)

    @staticmethod
    async def ping(host: str) -> bool:
        await asyncio.sleep(0)
        return bool(host)

    async def execute(self, query: str, *params: object) -> int:
        await asyncio.sleep(0)
        self._rows.append({"q": query, "p": params})
        return len(self._rows)

    async def fetch_many(self, query: str) -> list[dict]:
        await asyncio.sleep(0)
        return [row for row in self._rows if row["q"] == query]

    def close(self) -> None:
        self._rows.clear()

    @property
    def row_count(self) -> int:
        return len(self._rows)


class BaseRepo(Generic[T]):
    table = "items"

    async def save(self, item: T) -> None:
        await asyncio.sleep(0)

    async def delete(self, item: T) -> None:
        await asyncio.sleep(0)

    def describe(self) -> str:
        return f"repo({self.table})"


class Repo(BaseRepo[dict]):
    table = "users"

    async def load(self, key: str) -> dict:
        await asyncio.sleep(0)
        return {"key": key}


async def fetch_user(user_id: int) -> dict:
    await asyncio.sleep(0)
    return {"id": user_id}


async def save_user(user: dict) -> None:
    await asyncio.sleep(0)
