"""Signal and timer wiring where every spawned task is retained."""
import asyncio
import functools
import logging
import signal

log = logging.getLogger(__name__)


class App:
    def __init__(self) -> None:
        self._bg: set[asyncio.Task] = set()
        self._refresh_task: asyncio.Task | None = None
        self.stopping = asyncio.Event()

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self._bg.add(task)
        task.add_done_callback(self._bg.discard)
        return task

    async def shutdown(self, sig: signal.Signals) -> None:
        log.info("got %s", sig.name)
        self.stopping.set()

    async def refresh(self) -> None:
        await asyncio.sleep(0)

    def _schedule_refresh(self) -> None:
        self._refresh_task = asyncio.create_task(self.refresh())

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda s=sig: self.spawn(self.shutdown(s)))
        loop.add_signal_handler(signal.SIGUSR1, self.stopping.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: self._bg.add(asyncio.create_task(self.refresh())))
        loop.call_later(60, self._schedule_refresh)
        loop.call_soon(functools.partial(self.spawn, self.refresh()))

    async def run(self) -> None:
        self.install()
        await self.stopping.wait()
        if self._refresh_task:
            self._refresh_task.cancel()
        await asyncio.gather(*self._bg, return_exceptions=True)


def on_done_log(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception():
        log.error("task failed", exc_info=task.exception())


async def main() -> None:
    app = App()
    runner = asyncio.create_task(app.run())
    runner.add_done_callback(on_done_log)
    await runner


if __name__ == "__main__":
    asyncio.run(main())
