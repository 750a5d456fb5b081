"""Thread-bridged job worker.

Jobs arrive on a foreign thread (a Kafka consumer) and are executed on the
asyncio loop that owns this worker.
"""
import asyncio
import logging
import signal
import threading
from typing import Any, Awaitable, Callable

log = logging.getLogger("worker")

Handler = Callable[[dict], Awaitable[Any]]


async def heartbeat(interval: float) -> None:
    while True:
        log.debug("alive")
        await asyncio.sleep(interval)


def start_heartbeat(ev: asyncio.AbstractEventLoop, interval: float = 10.0) -> None:
    ev.create_task(heartbeat(interval))  # expect: LSC101


class JobWorker:
    def __init__(self, handler: Handler, loop: asyncio.AbstractEventLoop) -> None:
        self._handler = handler
        self._loop = loop
        self._queue: asyncio.Queue[dict] = asyncio.Queue()
        self._stopping = threading.Event()

    # Called from a non-asyncio thread.
    def submit_from_thread(self, job: dict) -> None:
        asyncio.run_coroutine_threadsafe(self._queue.put(job), self._loop)  # expect: LSC101

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._loop.add_signal_handler(
                sig,
                lambda: asyncio.create_task(self.stop()),  # expect: LSC101
            )

    async def stop(self) -> None:
        self._stopping.set()
        await self._queue.join()

    async def _run_one(self, job: dict) -> None:
        await self._handler(job)

    def _log_result(self, fut: "asyncio.Future[Any]") -> None:
        if not fut.cancelled() and fut.exception() is not None:
            log.error("job failed", exc_info=fut.exception())

    async def run(self) -> None:
        while not self._stopping.is_set():
            job = await self._queue.get()
            try:
                self._loop.create_task(self._run_one(job)).add_done_callback(self._log_result)  # expect: LSC101
            finally:
                self._queue.task_done()

    def schedule_retry(self, job: dict, delay: float) -> None:
        def _later() -> None:
            log.info("retrying job %s", job.get("id"))
            asyncio.ensure_future(self._run_one(job))  # expect: LSC101

        self._loop.call_later(delay, _later)
