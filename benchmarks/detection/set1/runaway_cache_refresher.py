"""Stale-while-revalidate cache for an async HTTP backend."""
from __future__ import annotations

import time
from asyncio import Lock, create_task, ensure_future, get_running_loop
from typing import Any, Awaitable, Callable

Loader = Callable[[str], Awaitable[Any]]


class SWRCache:
    def __init__(self, loader: Loader, ttl: float = 60.0, stale_ttl: float = 300.0):
        self.loader = loader
        self.ttl = ttl
        self.stale_ttl = stale_ttl
        self._data: dict[str, tuple[float, Any]] = {}
        self._locks: dict[str, Lock] = {}
        self._refreshing: set[str] = set()

    async def _refresh(self, key: str) -> None:
        lock = self._locks.setdefault(key, Lock())
        async with lock:
            try:
                value = await self.loader(key)
                self._data[key] = (time.monotonic(), value)
            finally:
                self._refreshing.discard(key)

    async def get(self, key: str) -> Any:
        entry = self._data.get(key)
        if entry is None:
            await self._refresh(key)
            return self._data[key][1]
        stamp, value = entry
        age = time.monotonic() - stamp
        if age > self.stale_ttl:
            await create_task(self._refresh(key))
            return self._data[key][1]
        if age > self.ttl and key not in self._refreshing:
            self._refreshing.add(key)
            create_task(self._refresh(key))  # expect: LSC101
        return value

    async def prime(self, keys: list[str]) -> None:
        loop = get_running_loop()
        for key in keys:
            fut = loop.create_task(self._refresh(key))  # expect: LSC102
            fut.add_done_callback(lambda f: f.exception())

    def invalidate_soon(self, key: str, delay: float) -> None:
        get_running_loop().call_later(delay, lambda: ensure_future(self._refresh(key)))  # expect: LSC101
