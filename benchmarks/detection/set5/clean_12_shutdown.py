"""Graceful shutdown coordinator (correct version)."""
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
        self._reloads: set[asyncio.Task] = set()

    async def start_all(self) -> None:
        for s in self.services:
            await s.start()

    async def stop_all(self, grace: float) -> None:
        stoppers = [asyncio.create_task(s.stop(), name=f"stop-{s.name}") for s in self.services]
        done, pending = await asyncio.wait(stoppers, timeout=grace)
        for t in pending:
            t.cancel()
        errors = [t.exception() for t in done if not t.cancelled() and t.exception() is not None]
        if errors:
            raise BaseExceptionGroup("services failed to stop", errors)

    @asynccontextmanager
    async def running(self):
        await self.start_all()
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
                done, _ = await asyncio.wait({stop, crash}, return_when=asyncio.FIRST_COMPLETED)
                if crash in done:
                    crash.result()
            finally:
                stop.cancel()
                crash.cancel()

    async def shutdown_everything(self) -> None:
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for t in tasks:
            t.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for t, r in zip(tasks, results):
            if isinstance(r, Exception):
                log.error("%s raised during shutdown: %r", t.get_name(), r)

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: self._reloads.add(loop.create_task(self.reload())))

    async def reload(self) -> None:
        log.info("reloading")
        try:
            await self.stop_all(grace=2.0)
            await self.start_all()
        finally:
            self._reloads.discard(asyncio.current_task())


def run(services: list[Service]) -> None:
    loop = asyncio.new_event_loop()
    coord = Coordinator(services)
    coord.install(loop)
    try:
        loop.run_until_complete(coord.serve())
    finally:
        loop.close()
