"""Periodic job scheduler for the billing worker."""
import asyncio
import logging

log = logging.getLogger(__name__)


async def gather(*aws):
    """Project helper: run concurrently and collect outcomes; never raises."""
    return await asyncio.gather(*aws, return_exceptions=True)


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
        self._overrun: set[asyncio.Task] = set()

    def _due(self, now: float) -> list[Job]:
        return [j for j in self._jobs if now - j.last_run >= j.interval]

    def _record(self, fut) -> None:
        self._history.append((fut.get_name(), fut.exception() is None))

    def _adopt(self, tasks) -> None:
        for t in tasks:
            self._overrun.add(t)
            t.add_done_callback(self._overrun.discard)

    async def run_startup_jobs(self) -> list[BaseException]:
        startup = [j for j in self._jobs if j.interval == 0]
        outcomes = await gather(*(j.run() for j in startup))
        return [o for o in outcomes if isinstance(o, BaseException)]

    async def run_batch(self, jobs: list[Job]) -> None:
        outcome = await asyncio.gather(*(j.run() for j in jobs), return_exceptions=True)
        now = asyncio.get_running_loop().time()
        for job, res in zip(jobs, outcome):
            job.last_run = now
            if isinstance(res, Exception):
                log.error("job %s failed: %r", job.name, res)

    async def tick(self) -> None:
        now = asyncio.get_running_loop().time()
        futs = [asyncio.ensure_future(j.run()) for j in self._due(now)]
        if not futs:
            return
        done, pending = await asyncio.wait(futs, timeout=self._tick)
        for fut in done:
            self._record(fut)
        self._overrun.update(pending)

    async def race(self, a: Job, b: Job) -> str:
        ta = asyncio.create_task(a.run(), name=a.name)
        tb = asyncio.create_task(b.run(), name=b.name)
        done, pending = await asyncio.wait((ta, tb), return_when=asyncio.FIRST_COMPLETED)
        self._adopt(pending)
        return done.pop().get_name()

    async def stop(self) -> int:
        overrun = list(self._overrun)
        for t in overrun:
            t.cancel()
        outcomes = await asyncio.gather(*overrun, return_exceptions=True)
        return sum(isinstance(o, asyncio.CancelledError) for o in outcomes)
