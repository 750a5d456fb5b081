"""Loop callbacks that schedule coroutines instead of calling them bare."""
import asyncio
import functools
import logging
import signal

from .db import save_user
from .net import ping

log = logging.getLogger(__name__)


async def shutdown(loop: asyncio.AbstractEventLoop) -> None:
    log.warning("shutting down")
    loop.stop()


class Monitor:
    def __init__(self, hosts: list[str]) -> None:
        self.hosts = hosts
        self.tasks: set[asyncio.Task] = set()
        self.alive: dict[str, bool] = {}

    async def check(self, host: str) -> None:
        self.alive[host] = await ping(host)

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def report(self) -> None:
        up = sum(self.alive.values())
        log.info("%d/%d hosts up", up, len(self.alive))

    def stop_sync(self, reason: str) -> None:
        log.info("stop requested: %s", reason)
        for task in self.tasks:
            task.cancel()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for host in self.hosts:
            loop.call_soon(lambda h=host: self._spawn(self.check(h)))
        loop.call_later(10, self.report)
        loop.call_later(20, lambda: log.info("still running"))
        loop.call_later(30, lambda: self.report())
        loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(shutdown(loop)))
        loop.add_signal_handler(signal.SIGINT, functools.partial(self.stop_sync, "sigint"))
        fut = loop.create_future()
        fut.add_done_callback(lambda f: asyncio.create_task(save_user(f.result())))
        fut.add_done_callback(lambda f: self.stop_sync("future done"))
        loop.call_soon_threadsafe(lambda: asyncio.run_coroutine_threadsafe(self.check("localhost"), loop))


async def main() -> None:
    monitor = Monitor(["localhost", "127.0.0.1"])
    await monitor.start()
    await asyncio.sleep(0.5)
    monitor.report()


if __name__ == "__main__":
    asyncio.run(main())
