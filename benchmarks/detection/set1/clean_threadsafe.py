"""GUI/worker-thread bridge where every cross-thread future is collected."""
import asyncio
import concurrent.futures
import threading
from typing import Any


class AsyncBridge:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._pending: set[concurrent.futures.Future] = set()

    def start(self) -> None:
        self._thread.start()

    def call(self, coro, timeout: float = 10.0) -> Any:
        fut = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return fut.result(timeout)

    def submit(self, coro) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def fire(self, coro) -> None:
        fut = asyncio.run_coroutine_threadsafe(coro, self.loop)
        self._pending.add(fut)
        fut.add_done_callback(self._pending.discard)

    def post(self, callback, *args) -> None:
        self.loop.call_soon_threadsafe(callback, *args)

    def stop(self) -> None:
        for fut in list(self._pending):
            fut.cancel()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()


async def compute(x: int) -> int:
    await asyncio.sleep(0)
    return x * 2


def run_batch(bridge: AsyncBridge, xs: list[int]) -> list[int]:
    futures = [bridge.submit(compute(x)) for x in xs]
    return [f.result() for f in concurrent.futures.as_completed(futures)]


async def offload(data: bytes) -> int:
    loop = asyncio.get_running_loop()
    digest = await loop.run_in_executor(None, hash, data)
    fut = loop.create_future()
    loop.call_soon(fut.set_result, digest)
    return await fut
