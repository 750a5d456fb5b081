"""Pub/sub consumer that cooperates with cancellation."""
import asyncio
import contextlib
import logging

log = logging.getLogger("pubsub")


class Consumer:
    def __init__(self, client, channel: str, handler) -> None:
        self._client = client
        self._channel = channel
        self._handler = handler
        self._queue: asyncio.Queue = asyncio.Queue(maxsize=100)
        self._heartbeat: asyncio.Task | None = None
        self._fetcher: asyncio.Task | None = None
        self._closing = False

    async def _beat(self) -> None:
        while True:
            await self._client.ping()
            await asyncio.sleep(5)

    async def _fetch_loop(self) -> None:
        sub = await self._client.subscribe(self._channel)
        try:
            async for message in sub:
                await self._queue.put(message)
        except asyncio.CancelledError:
            await self._client.unsubscribe(self._channel)
            raise

    async def _process(self, message) -> None:
        try:
            await self._handler(message.data)
        except Exception:
            log.exception("handler failed for %s", message.id)
            await self._client.nack(self._channel, message.id)
        else:
            await self._client.ack(self._channel, message.id)

    async def run(self) -> None:
        self._heartbeat = asyncio.create_task(self._beat())
        self._fetcher = asyncio.create_task(self._fetch_loop())
        try:
            while True:
                try:
                    message = await asyncio.wait_for(self._queue.get(), 1.0)
                except asyncio.TimeoutError:
                    continue
                try:
                    await self._process(message)
                except asyncio.CancelledError:
                    if asyncio.current_task().cancelling():
                        raise
                    log.debug("handler cancelled itself; continuing")
        finally:
            await self._stop_children()

    async def _stop_children(self) -> None:
        if self._fetcher is not None:
            self._fetcher.cancel()
            try:
                await self._fetcher
            except asyncio.CancelledError:
                pass
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat

    async def drain(self) -> None:
        try:
            while not self._queue.empty():
                await self._process(self._queue.get_nowait())
        except (asyncio.CancelledError, KeyboardInterrupt):
            if self._closing:
                log.debug("drain interrupted while closing")
                raise
            else:
                log.warning("drain interrupted; %d messages left", self._queue.qsize())
                raise
