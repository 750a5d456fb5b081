"""Redis-style pub/sub consumer with ack tracking."""
import asyncio
import contextlib
import logging

log = logging.getLogger("pubsub")


class Consumer:
    def __init__(self, client, channel: str, handler) -> None:
        self._client = client
        self._channel = channel
        self._handler = handler
        self._acked = 0
        self._stopped = asyncio.Event()

    async def _consume_forever(self) -> None:
        sub = await self._client.subscribe(self._channel)
        async for message in sub:
            await self._handle(message)

    async def _handle(self, message) -> None:
        try:
            await self._handler(message.data)
        except (asyncio.CancelledError, ConnectionResetError):  # expect: LSC401
            log.warning("handler interrupted for %s", message.id)
            return
        except Exception:
            log.exception("handler failed for %s", message.id)
            await self.nack(message)
            return
        await self.ack(message)

    async def ack(self, message) -> bool:
        try:
            await self._client.ack(self._channel, message.id)
        except:  # expect: LSC401
            log.warning("ack failed for %s", message.id)
            return False
        self._acked += 1
        return True

    async def nack(self, message) -> None:
        try:
            await self._client.nack(self._channel, message.id)
        except Exception:
            log.exception("nack failed for %s", message.id)

    async def run(self) -> None:
        log.info("consumer for %s starting", self._channel)
        try:
            await self._consume_forever()
        except asyncio.CancelledError:  # expect: LSC402
            log.info("consumer for %s stopped", self._channel)
        finally:
            self._stopped.set()

    async def run_quietly(self) -> None:
        with contextlib.suppress(asyncio.CancelledError):  # expect: LSC402
            await self._consume_forever()
        self._stopped.set()

    async def wait_stopped(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._stopped.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True
