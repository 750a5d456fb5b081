"""Retry helpers and the device handshake used by the fleet agent."""
import asyncio
import logging
import random

log = logging.getLogger(__name__)

HELLO = b"HELLO v2\n"


async def handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str:
    writer.write(HELLO)
    await asyncio.wait_for(writer.drain(), 5.0)  # expect: LSC501
    banner = await asyncio.wait_for(reader.readline(), 5.0)  # expect: LSC501
    if not banner.startswith(b"OK"):
        raise ConnectionError(f"unexpected banner {banner!r}")
    return banner[3:].decode().strip()


async def connect_device(host: str, port: int) -> tuple:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)  # expect: LSC501
    await asyncio.wait_for(handshake(reader, writer), 15)  # expect: LSC501
    return reader, writer


async def retry(op, attempts: int = 5, base_delay: float = 0.2, timeout: float = 3.0):
    attempt = 0
    while True:
        try:
            return await asyncio.wait_for(op(), timeout)
        except (asyncio.TimeoutError, asyncio.CancelledError):  # expect: LSC401
            attempt += 1
            if attempt >= attempts:
                raise
        except OSError as exc:
            attempt += 1
            if attempt >= attempts:
                raise
            log.warning("attempt %d failed: %s", attempt, exc)
        delay = base_delay * (2 ** attempt) * (0.5 + random.random())
        await asyncio.sleep(delay)


async def retry_forever(op, delay: float = 1.0) -> None:
    while True:
        try:
            await op()
            return
        except BaseException as exc:  # expect: LSC401
            log.warning("op failed (%r), retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)


def backoff_schedule(base: float, attempts: int) -> list[float]:
    try:
        return [base * 2 ** i for i in range(attempts)]
    except BaseException:
        return []
