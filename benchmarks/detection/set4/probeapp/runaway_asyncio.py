"""Low-level connection pump with asyncio API misuse."""
import asyncio
import logging
import socket

log = logging.getLogger(__name__)


async def pump(host: str, port: int, chunks: list[bytes]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    for chunk in chunks:
        writer.write(chunk)
        writer.drain()  # expect: LSC301
    writer.close()
    await writer.wait_closed()


async def producer(items: list[str]) -> None:
    queue = asyncio.Queue()
    for item in items:
        queue.put(item)  # expect: LSC301
    queue.join()  # expect: LSC301


async def guarded(counter: dict) -> None:
    lock = asyncio.Lock()
    lock.acquire()  # expect: LSC301
    try:
        counter["n"] = counter.get("n", 0) + 1
    finally:
        lock.release()


async def wait_ready(timeout: float) -> None:
    ready = asyncio.Event()
    asyncio.get_running_loop().call_later(timeout / 2, ready.set)
    ready.wait()  # expect: LSC301
    log.info("ready")


async def backoff(attempt: int) -> None:
    log.debug("backing off, attempt %d", attempt)
    asyncio.sleep(0.1 * 2 ** attempt)  # expect: LSC301


async def blocking_hash(data: bytes) -> None:
    asyncio.to_thread(hash, data)  # expect: LSC301


async def raw_send(sock: socket.socket, data: bytes) -> None:
    loop = asyncio.get_running_loop()
    loop.sock_sendall(sock, data)  # expect: LSC301


async def bounded(host: str) -> None:
    asyncio.wait_for(asyncio.open_connection(host, 80), timeout=3)  # expect: LSC301
    log.info("connected to %s", host)


async def main() -> None:
    await producer(["a", "b"])
    await guarded({})
    await wait_ready(0.1)
    await backoff(1)
    await blocking_hash(b"x")


if __name__ == "__main__":
    asyncio.run(main())
