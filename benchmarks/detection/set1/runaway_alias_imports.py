"""Metrics pusher using aliased asyncio imports."""
import asyncio as aio
import time
from asyncio import create_task as spawn, ensure_future

import httpx

PUSH_URL = "https://metrics.internal/push"


class MetricsBuffer:
    def __init__(self, client: httpx.AsyncClient, flush_every: float = 10.0):
        self.client = client
        self.flush_every = flush_every
        self.points: list[tuple[str, float, float]] = []
        self._stopping = aio.Event()

    def record(self, name: str, value: float) -> None:
        self.points.append((name, value, time.time()))
        if len(self.points) > 5000:
            spawn(self.flush())  # expect: LSC101

    async def flush(self) -> None:
        batch, self.points = self.points, []
        if not batch:
            return
        body = [{"n": n, "v": v, "t": t} for n, v, t in batch]
        resp = await self.client.post(PUSH_URL, json=body)
        resp.raise_for_status()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await aio.wait_for(self._stopping.wait(), self.flush_every)
            except aio.TimeoutError:
                aio.ensure_future(self.flush())  # expect: LSC101

    async def stop(self) -> None:
        self._stopping.set()
        ensure_future(self.flush())  # expect: LSC101


async def main() -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        buf = MetricsBuffer(client)
        runner = spawn(buf.run())
        for i in range(100):
            buf.record("requests", float(i))
            await aio.sleep(0.01)
        await buf.stop()
        await runner


if __name__ == "__main__":
    aio.run(main())
