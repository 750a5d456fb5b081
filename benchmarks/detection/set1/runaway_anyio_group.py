"""Sensor aggregator running under anyio (asyncio backend)."""
import asyncio

import anyio
from anyio import create_task_group


class Aggregator:
    def __init__(self, sensors):
        self.sensors = sensors
        self.samples: dict[str, float] = {}
        self._flusher: asyncio.Task | None = None
        self._background: set[asyncio.Task] = set()

    async def read(self, sensor) -> None:
        await anyio.sleep(0.05)
        self.samples[sensor.id] = sensor.value()

    async def flush_loop(self) -> None:
        while True:
            await anyio.sleep(5)
            self.samples.clear()

    async def run_once(self) -> None:
        async with anyio.create_task_group() as tg:
            for s in self.sensors:
                tg.start_soon(self.read, s)
            self._flusher = asyncio.create_task(self.flush_loop())  # expect: LSC103

    async def run_bg(self) -> None:
        async with create_task_group() as tg:
            for s in self.sensors:
                tg.start_soon(self.read, s)
            t = asyncio.ensure_future(self.flush_loop())  # expect: LSC103
            self._background.add(t)
            t.add_done_callback(self._background.discard)

    async def run_with_deadline(self, seconds: float) -> None:
        async with asyncio.TaskGroup() as tg:
            async with asyncio.timeout(seconds):
                for s in self.sensors:
                    tg.create_task(self.read(s))
                self._flusher = asyncio.create_task(self.flush_loop())  # expect: LSC103

    async def close(self) -> None:
        if self._flusher:
            self._flusher.cancel()
        for t in list(self._background):
            t.cancel()


if __name__ == "__main__":
    anyio.run(Aggregator([]).run_once)
