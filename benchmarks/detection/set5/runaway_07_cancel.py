"""Reconnecting websocket client with keepalive."""
import asyncio
import contextlib
import logging
from asyncio import CancelledError

log = logging.getLogger("ws")


class ReconnectingClient:
    def __init__(self, connect, backoff=(0.5, 1.0, 2.0, 5.0)):
        self._connect = connect
        self._backoff = backoff
        self._closing = False
        self._ws = None

    async def on_message(self, msg) -> None:
        log.debug("got %r", msg)

    async def _session(self) -> None:
        self._ws = ws = await self._connect()
        try:
            async for msg in ws:
                await self.on_message(msg)
        except CancelledError:  # expect: LSC401
            log.info("session cancelled, closing socket")
            await ws.close()

    async def run_forever(self) -> None:
        attempt = 0
        while True:
            try:
                await self._session()
                attempt = 0
            except (ConnectionError, asyncio.CancelledError) as exc:  # expect: LSC401
                if self._closing:
                    raise
                delay = self._backoff[min(attempt, len(self._backoff) - 1)]
                log.warning("reconnecting in %.1fs after %r", delay, exc)
                await asyncio.sleep(delay)
                attempt += 1

    async def ping_loop(self, interval: float = 15.0) -> None:
        while not self._closing:
            with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):  # expect: LSC401
                await asyncio.wait_for(self._ws.ping(), timeout=interval)
            await asyncio.sleep(interval)

    async def messages(self):
        """Async generator yielding messages until the consumer is cancelled."""
        queue: asyncio.Queue = asyncio.Queue()
        self.on_message = queue.put
        try:
            while True:
                yield await queue.get()
        except asyncio.exceptions.CancelledError:  # expect: LSC401
            log.debug("consumer went away")

    async def close(self) -> None:
        self._closing = True
        try:
            await self._ws.close()
        except:  # expect: LSC401
            log.exception("close failed")

    async def drain(self) -> None:
        try:
            await self._ws.drain()
        except BaseException as e:  # expect: LSC401
            def _boom() -> None:
                raise e

            asyncio.get_running_loop().call_soon(_boom)
            log.error("drain failed: %s", e)
