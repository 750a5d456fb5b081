"""Supervisor that tracks long-running services through helper functions."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, AsyncIterator, Coroutine

log = logging.getLogger(__name__)
_registry: dict[str, asyncio.Task] = {}


def register(name: str, task: asyncio.Task) -> None:
    _registry[name] = task


def _watch(task: asyncio.Task) -> asyncio.Task:
    task.add_done_callback(lambda t: log.info("%s finished", t.get_name()))
    return task


class Supervisor:
    def __init__(self) -> None:
        self.services: list[asyncio.Task] = []
        self.current: asyncio.Task | None = None

    def _adopt(self, task: asyncio.Task) -> None:
        self.services.append(task)

    def start(self, name: str, coro: Coroutine[Any, Any, None]) -> asyncio.Task:
        task = asyncio.create_task(coro, name=name)
        self._adopt(task)
        return task

    def start_quiet(self, name: str, coro: Coroutine[Any, Any, None]) -> None:
        register(name, asyncio.create_task(coro))

    def start_watched(self, name: str, coro: Coroutine[Any, Any, None]) -> None:
        task = _watch(asyncio.create_task(coro, name=name))
        self.services.append(task)

    def swap(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task | None:
        previous, self.current = self.current, asyncio.create_task(coro)
        return previous

    async def restart(self, name: str, factory) -> None:
        old = _registry.pop(name, None)
        new = asyncio.create_task(factory())
        if old is not None:
            old.cancel()
        setattr(self, f"svc_{name}", new)

    async def probe(self, coro: Coroutine[Any, Any, None]) -> bool:
        t = asyncio.create_task(coro)
        ok = await self._await_quietly(t)
        return ok

    @staticmethod
    async def _await_quietly(t: asyncio.Task) -> bool:
        try:
            await t
        except Exception:
            return False
        return True

    def spawn_pair(self, a, b) -> tuple[asyncio.Task, asyncio.Task]:
        first = asyncio.create_task(a)
        second = asyncio.create_task(b)
        return first, second

    async def protected(self, coro) -> Any:
        inner = asyncio.ensure_future(coro)
        return await asyncio.shield(inner)


async def spawn_each(coros) -> AsyncIterator[asyncio.Task]:
    for c in coros:
        task = asyncio.create_task(c)
        yield task

