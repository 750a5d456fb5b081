"""Reconnecting websocket client that respects cancellation."""
import asyncio
import contextlib
import json
import logging
from typing import NoReturn, Optional

log = logging.getLogger("ws")


def _reraise_logged(msg: str, exc: BaseException) -> NoReturn:
    log.info(msg)
    raise exc


class ConnectionClosed(Exception):
    pass


class ReconnectingClient:
    def __init__(self, connect) -> None:
        self._connect = connect
        self._closing = False
        self._ws = None
        self._reader_task: Optional[asyncio.Task] = None

    async def _session(self) -> None:
        ws = await self._connect()
        try:
            async for raw in ws:
                try:
                    msg = json.loads(raw)
                except BaseException:  # no await in this try body
                    log.warning("bad frame %r", raw)
                    continue
                await self.on_message(msg)
        except asyncio.CancelledError:
            await ws.close()
            raise
        except Exception as exc:  # CancelledError is not an Exception
            log.warning("session ended: %r", exc)

    async def on_message(self, msg: dict) -> None:
        log.debug("msg %s", msg)

    async def read_one(self, ws) -> Optional[dict]:
        try:
            return await asyncio.wait_for(ws.recv(), timeout=5)
        except asyncio.TimeoutError:
            return None
        except asyncio.CancelledError as e:
            _reraise_logged("read cancelled", e)

    async def handshake(self, ws) -> None:
        try:
            async with asyncio.timeout(10):
                await ws.send("hello")
        except asyncio.CancelledError as exc:
            if self._closing:
                raise
            else:
                raise ConnectionClosed("cancelled mid-handshake") from exc

    async def poll(self, ws) -> None:
        while not self._closing:
            try:
                await ws.ping()
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():
                    raise
                log.info("ping interrupted by an inner timeout; retrying")
            await asyncio.sleep(1)

    async def poll_until_quiet(self, ws) -> None:
        try:
            await ws.wait_quiet()
        except asyncio.CancelledError:
            asyncio.current_task().uncancel()
            log.info("quiet wait abandoned")

    async def close(self) -> None:
        self._closing = True
        if self._reader_task is not None:
            self._reader_task.cancel()
            try:
                await self._reader_task
            except asyncio.CancelledError:
                pass
        with contextlib.suppress(asyncio.CancelledError):
            exc = self._reader_task.exception() if self._reader_task else None
            log.debug("reader ended with %r", exc)
