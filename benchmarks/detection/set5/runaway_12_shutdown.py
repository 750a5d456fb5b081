"""Graceful shutdown coordinator for a multi-service process."""
import asyncio
import logging
import signal
from contextlib import asynccontextmanager
from typing import Protocol

log = logging.getLogger("coordinator")


class Service(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Coordinator:
    def __init__(self, services: list[Service]) -> None:
        self.services = services
        self._stop = asyncio.Event()

    async def start_all(self) -> None:
        for s in self.services:
            await s.start()

    async def stop_all(self, grace: float) -> None:
        stoppers = [asyncio.create_task(s.stop(), name=f"stop-{s.name}") for s in self.services]
        done, pending = await asyncio.wait(stoppers, timeout=grace)  # expect: LSC203
        for t in done:
            if not t.cancelled() and t.exception() is not None:
                raise RuntimeError(f"{t.get_name()} failed") from t.exception()
        for t in pending:
            t.cancel()

    @asynccontextmanager
    async def running(self):
        await self.start_all()
        waiter = asyncio.create_task(self._stop.wait())  # expect: LSC102
        try:
            yield self
        finally:
            await self.stop_all(grace=5.0)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(1)

    async def serve(self) -> None:
        async with self.running():
            stop = asyncio.create_task(self._stop.wait())
            crash = asyncio.create_task(self._watch())
            try:
                await asyncio.wait({stop, crash}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stop.cancel()
                crash.cancel()

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(self.reload()))  # expect: LSC101

    async def reload(self) -> None:
        log.info("reloading")
        await self.stop_all(grace=2.0)
        await self.start_all()


def run(services: list[Service]) -> None:
    loop = asyncio.new_event_loop()
    coord = Coordinator(services)
    coord.install(loop)
    try:
        loop.run_until_complete(coord.serve())
    finally:
        loop.close()
