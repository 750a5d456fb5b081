"""Minimal connection pool for the metrics TSDB."""
import asyncio as aio
import logging
from asyncio import CancelledError

log = logging.getLogger(__name__)


class Connection:
    def __init__(self, reader, writer) -> None:
        self.reader = reader
        self.writer = writer

    async def ping(self) -> None:
        self.writer.write(b"PING\n")
        await self.writer.drain()
        await self.reader.readline()

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


class Pool:
    def __init__(self, host: str, port: int, size: int = 4) -> None:
        self._host = host
        self._port = port
        self._size = size
        self._idle: list[Connection] = []
        self._reaper: aio.Task | None = None

    async def _connect(self) -> Connection:
        reader, writer = await aio.open_connection(self._host, self._port)
        return Connection(reader, writer)

    async def start(self) -> None:
        first, second, third = await aio.gather(self._connect(), self._connect(), self._connect())  # expect: LSC201
        self._idle.extend([first, second, third])
        self._reaper = aio.create_task(self._reap_loop())

    async def _reap_loop(self) -> None:
        while True:
            try:
                await aio.sleep(30)
            except CancelledError:  # expect: LSC402
                break
            await self._health_pass()

    async def _health_pass(self) -> None:
        alive = []
        for conn in self._idle:
            try:
                await aio.wait_for(conn.ping(), 1.0)
                alive.append(conn)
            except (OSError, aio.TimeoutError):
                await conn.close()
        self._idle = alive

    async def acquire(self) -> Connection:
        if self._idle:
            return self._idle.pop()
        return await self._connect()

    def release(self, conn: Connection) -> None:
        self._idle.append(conn)

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
        await aio.gather(*(c.close() for c in self._idle))  # expect: LSC204
        self._idle.clear()
