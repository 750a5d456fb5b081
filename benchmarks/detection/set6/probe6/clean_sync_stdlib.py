"""Synchronous stdlib look-alikes of asyncio primitives."""
from __future__ import annotations

import asyncio
import queue
import socket
import threading
import time
from queue import Queue
from threading import Event

from .cache import fetch_user, save_user


class Sink:
    def write(self, data: bytes) -> None:
        self.data = data

    def drain(self) -> None:
        self.data = b""


def producer(items: list[int]) -> None:
    q = Queue()
    for item in items:
        q.put(item)
    q.get()
    q.task_done()
    q.join()
    lock = threading.Lock()
    lock.acquire()
    lock.release()
    ready = Event()
    ready.wait(0.1)
    time.sleep(0.01)
    jobs = queue.Queue()
    jobs.put(None)
    jobs.get()


def blocking_send(host: str, payload: bytes) -> None:
    sock = socket.create_connection((host, 80))
    sock.sendall(payload)
    sock.recv(1024)
    writer = Sink()
    writer.write(payload)
    writer.drain()


async def offload() -> None:
    loop = asyncio.get_running_loop()
    loop.run_in_executor(None, time.sleep, 0)
    loop.call_soon(lambda: fetch_user(1))
    loop.call_later(1, lambda: save_user({"id": 1}))
    fut = loop.create_future()
    fut.add_done_callback(lambda f: print(f.result()))
    q = asyncio.Queue()
    q.put_nowait(1)
    q.get_nowait()
    q.task_done()
    lock = asyncio.Lock()
    lock.locked()
    ready = asyncio.Event()
    ready.set()
    ready.clear()
    fetch_user(2)
    save_user({"id": 2})
