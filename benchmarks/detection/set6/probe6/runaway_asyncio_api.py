"""Low-level transport code using the asyncio API directly."""
from __future__ import annotations

import asyncio
import os
import socket
from asyncio import sleep as nap

from .db import fetch_user


async def heartbeat(host: str, port: int) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"PING\n")
    writer.drain()  # expect: LSC301
    asyncio.sleep(0.5)  # expect: LSC301
    nap(0.1)  # expect: LSC301
    writer.close()


async def pump(items: list[int]) -> None:
    queue = asyncio.Queue()
    for item in items:
        queue.put(item)  # expect: LSC301
        queue.put_nowait(item)
    queue.get()  # expect: LSC301
    queue.join()  # expect: LSC301
    queue.task_done()


async def guarded(counter: dict) -> None:
    lock = asyncio.Lock()
    lock.acquire()  # expect: LSC301
    try:
        counter["n"] = counter.get("n", 0) + 1
    finally:
        lock.release()
    ready = asyncio.Event()
    ready.set()
    ready.wait()  # expect: LSC301


async def offload(path: str) -> None:
    asyncio.to_thread(os.remove, path)  # expect: LSC301
    asyncio.create_subprocess_exec("gzip", path)  # expect: LSC301
    asyncio.wait_for(  # expect: LSC301
        fetch_user(1),
        timeout=2,
    )
    asyncio.open_connection("localhost", 80)  # expect: LSC301


async def raw_send(sock: socket.socket, payload: bytes) -> None:
    loop = asyncio.get_running_loop()
    loop.sock_sendall(sock, payload)  # expect: LSC301
    loop.sock_recv(sock, 1024)  # expect: LSC301
    loop.call_soon(print, "sent")
