"""Connection pool with timer- and signal-driven maintenance."""
import asyncio
import functools
import logging
import signal

log = logging.getLogger(__name__)


class Pool:
    def __init__(self, dsn: str, size: int = 10):
        self.dsn = dsn
        self.size = size
        self.loop = asyncio.get_event_loop()
        self.conns: list[object] = []
        self._closing = False

    async def _open_one(self) -> None:
        await asyncio.sleep(0.01)
        self.conns.append(object())

    async def reap_idle(self) -> None:
        await asyncio.sleep(0)
        del self.conns[self.size:]

    async def close(self) -> None:
        self._closing = True
        self.conns.clear()

    def schedule_reaper(self, interval: float = 30.0) -> None:
        if self._closing:
            return
        self.loop.call_later(interval, lambda: asyncio.create_task(self.reap_idle()))  # expect: LSC101
        self.loop.call_later(interval, self.schedule_reaper, interval)

    def fill(self) -> None:
        for _ in range(self.size - len(self.conns)):
            self.loop.call_soon(lambda: self.loop.create_task(self._open_one()))  # expect: LSC101

    def install_signal_handlers(self) -> None:
        self.loop.add_signal_handler(
            signal.SIGHUP, lambda: asyncio.ensure_future(self.reap_idle())  # expect: LSC101
        )
        self.loop.add_signal_handler(signal.SIGTERM, functools.partial(self._on_term, "SIGTERM"))

    def _on_term(self, name: str) -> None:
        log.info("received %s, closing pool", name)
        asyncio.create_task(self.close()).add_done_callback(  # expect: LSC101
            lambda _t: self.loop.stop()
        )

    def _on_conn_lost(self, fut: asyncio.Future) -> None:
        if fut.exception() is not None:
            self.loop.create_task(self._open_one())  # expect: LSC101
