"""Network helpers."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator


async def send_packet(host: str, payload: bytes) -> int:
    reader, writer = await asyncio.open_connection(host, 9000)
    writer.write(payload)
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    return len(payload)


async def stream_packets(host: str) -> AsyncIterator[bytes]:
    """Async generator: calling it returns an async generator, not a coroutine."""
    for i in range(3):
        await asyncio.sleep(0)
        yield bytes([i]) + host.encode()


def encode(payload: str) -> bytes:
    return payload.encode("utf-8")


class Client:
    def __init__(self, host: str = "localhost") -> None:
        self.host = host

    async def send(self, payload: bytes) -> int:
        return await send_packet(self.host, payload)

    async def listen(self) -> AsyncIterator[bytes]:
        async for chunk in stream_packets(self.host):
            yield chunk

    def close(self) -> None:
        self.host = ""


class SyncClient:
    def __init__(self, host: str = "localhost") -> None:
        self.host = host

    def send(self, payload: bytes) -> int:
        return len(payload)

    def close(self) -> None:
        self.host = ""
