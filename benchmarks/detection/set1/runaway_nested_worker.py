"""Background job worker with retry scheduling."""
import asyncio
import logging
import random

log = logging.getLogger("worker")


class RetryableError(Exception):
    pass


class Worker:
    def __init__(self, queue: asyncio.Queue, max_retries: int = 3):
        self.queue = queue
        self.max_retries = max_retries
        self.running = True
        self._loop = None

    async def process(self, job: dict) -> None:
        await asyncio.sleep(random.random() / 10)
        if random.random() < 0.1:
            raise RetryableError(job["id"])

    async def retry_later(self, job: dict, attempt: int) -> None:
        await asyncio.sleep(2 ** attempt)
        await self.queue.put({**job, "attempt": attempt})

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while self.running:
            job = await self.queue.get()
            try:
                await self.process(job)
            except RetryableError:
                attempt = job.get("attempt", 0) + 1
                if attempt <= self.max_retries:
                    asyncio.create_task(self.retry_later(job, attempt))  # expect: LSC101
                else:
                    log.error("job %s failed permanently", job["id"])
            finally:
                self.queue.task_done()

    def on_job_done(self, fut: asyncio.Future) -> None:
        def _requeue() -> None:
            self._loop.create_task(self.queue.put({"id": "follow-up"}))  # expect: LSC101

        if not fut.cancelled() and fut.exception() is None:
            self._loop.call_soon(_requeue)

    async def spawn_helpers(self, n: int) -> list[asyncio.Task]:
        helpers = []
        for i in range(n):
            helper = Worker(self.queue)
            t = asyncio.create_task(helper.run(), name=f"helper-{i}")
            helpers.append(t)
        return helpers

    async def warm_pool(self, n: int) -> None:
        async def _start_one(i: int) -> None:
            w = Worker(self.queue)
            asyncio.create_task(w.run(), name=f"warm-{i}")  # expect: LSC101

        await asyncio.gather(*(_start_one(i) for i in range(n)))
