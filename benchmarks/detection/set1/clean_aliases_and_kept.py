"""Rate-limited API client using aliased asyncio imports; all handles kept."""
import asyncio as aio
import time
from asyncio import create_task as spawn, ensure_future as schedule


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.tokens = float(burst)
        self.burst = burst
        self.updated = time.monotonic()
        self._refill: aio.Task | None = None

    async def _refill_loop(self) -> None:
        while True:
            await aio.sleep(1 / self.rate)
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def start(self) -> None:
        self._refill = spawn(self._refill_loop())

    def stop(self) -> None:
        if self._refill:
            self._refill.cancel()


class ApiClient:
    def __init__(self, session, bucket: TokenBucket) -> None:
        self.session = session
        self.bucket = bucket
        self.inflight: list[aio.Future] = []

    async def get(self, path: str) -> dict:
        while self.bucket.tokens < 1:
            await aio.sleep(0.01)
        self.bucket.tokens -= 1
        async with self.session.get(path) as resp:
            return await resp.json()

    async def get_many(self, paths: list[str]) -> list[dict]:
        futs = [schedule(self.get(p)) for p in paths]
        self.inflight.extend(futs)
        try:
            return await aio.gather(*futs)
        finally:
            self.inflight.clear()

    async def get_first(self, paths: list[str]) -> dict:
        loop = aio.get_running_loop()
        tasks = [loop.create_task(self.get(p)) for p in paths]
        for coro in aio.as_completed(tasks):
            result = await coro
            for t in tasks:
                t.cancel()
            return result
        raise LookupError("no paths")

    async def get_with_timeout(self, path: str, seconds: float) -> dict:
        return await aio.wait_for(fut=spawn(self.get(path)), timeout=seconds)

    def prefetch(self, path: str) -> aio.Task:
        return aio.get_running_loop().create_task(self.get(path))
