"""Line-oriented TCP client that keeps reconnecting with exponential backoff."""
import asyncio
import logging
import random

log = logging.getLogger("client")


class ReconnectingClient:
    def __init__(self, host: str, port: int, *, ping_interval: float = 15.0):
        self.host = host
        self.port = port
        self.ping_interval = ping_interval
        self._running = True
        self._inbox: asyncio.Queue[bytes] = asyncio.Queue()

    async def _heartbeat(self, writer: asyncio.StreamWriter) -> None:
        while True:
            await asyncio.sleep(self.ping_interval)
            writer.write(b"PING\n")
            await writer.drain()

    async def _read_loop(self, reader: asyncio.StreamReader) -> None:
        while line := await reader.readline():
            await self._inbox.put(line)
        raise ConnectionResetError("server closed the connection")

    async def run(self) -> None:
        backoff = 0.5
        while self._running:
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError as exc:
                log.warning("connect failed: %s", exc)
                await asyncio.sleep(backoff + random.random())
                backoff = min(backoff * 2, 30)
                continue
            backoff = 0.5
            pinger = asyncio.create_task(self._heartbeat(writer))  # expect: LSC102
            try:
                await self._read_loop(reader)
            except ConnectionResetError:
                log.info("connection reset, reconnecting")
                writer.close()
                continue
            pinger.cancel()
            writer.close()
            await writer.wait_closed()

    async def request(self, line: bytes, timeout: float = 5.0) -> bytes:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        reply = asyncio.create_task(reader.readline())  # expect: LSC102
        writer.write(line + b"\n")
        await writer.drain()
        if not self._running:
            writer.close()
            return b""
        try:
            return await asyncio.wait_for(reply, timeout)
        finally:
            writer.close()

    async def next_message(self) -> bytes:
        return await self._inbox.get()

    def stop(self) -> None:
        self._running = False
