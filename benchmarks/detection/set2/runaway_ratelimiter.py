"""Token-bucket rate limiter with background refill and burst workers."""
import asyncio
import time
from typing import Awaitable, Callable


class TokenBucket:
    def __init__(self, rate: float, capacity: int) -> None:
        self.rate = rate
        self.capacity = capacity
        self._tokens = float(capacity)
        self._updated = time.monotonic()
        self._cond = asyncio.Condition()

    async def _refill_forever(self) -> None:
        while True:
            await asyncio.sleep(1 / self.rate)
            async with self._cond:
                now = time.monotonic()
                elapsed = now - self._updated
                self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
                self._updated = now
                self._cond.notify_all()

    def start(self) -> None:
        _ = asyncio.create_task(self._refill_forever())  # expect: LSC102

    async def acquire(self) -> None:
        async with self._cond:
            while self._tokens < 1:
                await self._cond.wait()
            self._tokens -= 1


async def run_burst(
    bucket: TokenBucket, jobs: list[Callable[[], Awaitable[None]]], workers: int = 4
) -> None:
    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            job = queue.get_nowait()
            await bucket.acquire()
            await job()
            queue.task_done()

    pool = []
    for _ in range(workers):
        pool.append(asyncio.create_task(worker()))  # expect: LSC102
    await queue.join()


async def probe_latency(bucket: TokenBucket, samples: int) -> float:
    timings = {}
    start = time.monotonic()
    for i in range(samples):
        timings[i] = asyncio.create_task(bucket.acquire())  # expect: LSC102
    await asyncio.sleep(0.5)
    return time.monotonic() - start


async def warm_up(bucket: TokenBucket) -> None:
    first = asyncio.create_task(bucket.acquire())  # expect: LSC102
    first = asyncio.create_task(bucket.acquire())
    await first


async def discard_pending(bucket: TokenBucket) -> None:
    pending = asyncio.create_task(bucket.acquire())  # expect: LSC102
    del pending
    await asyncio.sleep(0)
