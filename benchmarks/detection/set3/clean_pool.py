"""Connection pool for the metrics TSDB."""
import asyncio as aio
import contextlib
import json
import logging

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
        self._available = aio.Event()
        self._reaper: aio.Task | None = None

    async def _connect(self) -> Connection:
        reader, writer = await aio.open_connection(self._host, self._port)
        return Connection(reader, writer)

    async def start(self) -> None:
        tasks = [aio.create_task(self._connect()) for _ in range(self._size)]
        try:
            conns = await aio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
        self._idle.extend(conns)
        self._available.set()
        self._reaper = aio.create_task(self._reap_loop())

    async def _reap_loop(self) -> None:
        while True:
            await aio.sleep(30)
            for conn in list(self._idle):
                try:
                    await aio.wait_for(conn.ping(), 1.0)
                except (OSError, aio.TimeoutError):
                    self._idle.remove(conn)
                    await conn.close()

    async def acquire(self, timeout: float = 5.0) -> Connection:
        while not self._idle:
            self._available.clear()
            await aio.wait_for(self._available.wait(), timeout)
        conn = self._idle.pop()
        try:
            await conn.ping()
        except BaseException:
            try:
                await conn.close()
            except Exception:
                log.debug("close after failed ping also failed")
            raise
        return conn

    def release(self, conn: Connection) -> None:
        try:
            self._idle.append(conn)
            self._available.set()
        except:
            log.exception("release failed")

    async def parse_stats(self, raw: bytes) -> dict | None:
        try:
            stats = json.loads(raw)
        except BaseException:
            return None
        return stats

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(aio.CancelledError):
                await self._reaper
        results = await aio.gather(*(c.close() for c in self._idle), return_exceptions=True)
        failed = sum(isinstance(r, BaseException) for r in results)
        if failed:
            log.warning("%d connections failed to close", failed)
        self._idle.clear()
