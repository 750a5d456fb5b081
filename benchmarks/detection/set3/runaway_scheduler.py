"""Periodic job scheduler for the billing worker."""
import asyncio
import logging
from asyncio import gather as run_all

log = logging.getLogger(__name__)


class Job:
    def __init__(self, name: str, func, interval: float) -> None:
        self.name = name
        self.func = func
        self.interval = interval
        self.last_run = 0.0

    async def run(self):
        return await self.func()


class Scheduler:
    def __init__(self, jobs: list[Job], tick: float = 1.0) -> None:
        self._jobs = jobs
        self._tick = tick
        self._history: list[tuple[str, bool]] = []
        self._batches: list[asyncio.Future] = []

    def _due(self, now: float) -> list[Job]:
        return [j for j in self._jobs if now - j.last_run >= j.interval]

    def _record(self, fut) -> None:
        self._history.append((fut.get_name(), fut.exception() is None))

    async def run_startup_jobs(self) -> None:
        startup = [j for j in self._jobs if j.interval == 0]
        await run_all(*(j.run() for j in startup))  # expect: LSC204

    async def run_batch(self, jobs: list[Job]) -> None:
        outcome = await asyncio.gather(*(j.run() for j in jobs), return_exceptions=True)  # expect: LSC202
        now = asyncio.get_running_loop().time()
        for job in jobs:
            job.last_run = now

    async def tick(self) -> None:
        now = asyncio.get_running_loop().time()
        futs = [asyncio.ensure_future(j.run()) for j in self._due(now)]
        if not futs:
            return
        done, pending = await asyncio.wait(futs, timeout=self._tick)  # expect: LSC203
        for fut in done:
            self._record(fut)
        log.debug("tick finished: %d jobs completed", len(done))

    async def run_pair(self, first: Job, second: Job) -> None:
        batch = asyncio.gather(first.run(), second.run())  # expect: LSC204
        self._batches.append(batch)
        await batch
