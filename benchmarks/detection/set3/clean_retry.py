"""Retry helpers that respect cancellation."""
import asyncio
import logging
import random
from typing import NoReturn

log = logging.getLogger(__name__)

HELLO = b"HELLO v2\n"


class RetryAborted(Exception):
    pass


def _abort(reason: str) -> NoReturn:
    raise RetryAborted(reason)


async def handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str:
    async with asyncio.timeout(5.0):
        writer.write(HELLO)
        await writer.drain()
        banner = await reader.readline()
    if not banner.startswith(b"OK"):
        raise ConnectionError(f"unexpected banner {banner!r}")
    return banner[3:].decode().strip()


async def retry(op, attempts: int = 5, base_delay: float = 0.2, timeout: float = 3.0):
    for attempt in range(1, attempts + 1):
        try:
            return await asyncio.wait_for(op(), timeout)
        except asyncio.CancelledError:
            _abort(f"cancelled on attempt {attempt}")
        except (asyncio.TimeoutError, OSError) as exc:
            if attempt == attempts:
                raise
            log.warning("attempt %d failed: %r", attempt, exc)
        await asyncio.sleep(base_delay * (2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


async def connect_device(host: str, port: int, secure: bool) -> tuple:
    if secure:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port, ssl=True), 10)
    else:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5)
    await handshake(reader, writer)
    return reader, writer


async def fetch_config(client, key: str):
    await asyncio.wait_for(client.ready(), timeout=None)
    value = await asyncio.wait_for(client.get(key), timeout=2.0)
    return value


async def read_frames(reader: asyncio.StreamReader, count: int) -> list[bytes]:
    frames = []
    for _ in range(count):
        frames.append(await asyncio.wait_for(reader.readexactly(16), 1.5))
    return frames


async def poll_until(predicate, interval: float = 0.5, timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise TimeoutError("condition not met")
        await asyncio.sleep(min(interval, remaining))
