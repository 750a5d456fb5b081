"""Async connection pool with health checks and lazy reconnection."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from asyncio import create_task as spawn, ensure_future

log = logging.getLogger(__name__)


class Connection:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.alive = False

    async def open(self) -> None:
        await asyncio.sleep(0.01)
        self.alive = True

    async def ping(self) -> bool:
        await asyncio.sleep(0)
        return self.alive

    async def close(self) -> None:
        self.alive = False


class Pool:
    def __init__(self, dsn: str, size: int = 5) -> None:
        self.dsn = dsn
        self.size = size
        self._idle: asyncio.Queue[Connection] = asyncio.Queue()
        self._all: list[Connection] = []

    async def _reconnect(self, conn: Connection) -> None:
        with contextlib.suppress(OSError):
            await conn.open()
        await self._idle.put(conn)

    async def fill(self) -> None:
        for _ in range(self.size):
            conn = Connection(self.dsn)
            self._all.append(conn)
            try:
                await conn.open()
            except OSError:
                spawn(self._reconnect(conn))  # expect: LSC101
                continue
            await self._idle.put(conn)

    @contextlib.asynccontextmanager
    async def acquire(self):
        conn = await self._idle.get()
        try:
            yield conn
        finally:
            if conn.alive:
                self._idle.put_nowait(conn)
            else:
                ensure_future(self._reconnect(conn))  # expect: LSC101

    async def health_check(self) -> None:
        def _on_result(conn: Connection, fut: asyncio.Future) -> None:
            if not fut.result():
                spawn(self._reconnect(conn))  # expect: LSC101

        for conn in self._all:
            check = spawn(conn.ping())
            check.add_done_callback(lambda f, c=conn: _on_result(c, f))
            await check

    async def close(self) -> None:
        closers = [spawn(c.close()) for c in self._all]
        await asyncio.gather(*closers)
        self._all.clear()
