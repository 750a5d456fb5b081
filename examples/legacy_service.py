"""A legacy notification service, written before asyncio.TaskGroup existed.

It works in the happy path and leaks tasks everywhere else: this is the file
the README's quick start runs lint-structured on.
"""

import asyncio
import logging
import signal

log = logging.getLogger("notifier")


class Notifier:
    def __init__(self, queue, loop=None):
        self.queue = queue
        self._loop = loop or asyncio.get_event_loop()
        self._consumer = None
        self._subscribers = {}

    def start(self):
        # The consumer is kept on self and cancelled in stop(): fine.
        self._consumer = self._loop.create_task(self._consume())
        # Nobody keeps the heartbeat: it can be garbage-collected mid-run.
        self._loop.create_task(self._heartbeat())
        self._loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(self.stop()))

    async def stop(self):
        if self._consumer is not None:
            self._consumer.cancel()

    async def _heartbeat(self):
        while True:
            await asyncio.sleep(30)
            log.info("alive, %d subscribers", len(self._subscribers))

    async def _consume(self):
        while True:
            event = await self.queue.get()
            for subscriber in self._subscribers.values():
                # Fire and forget: a failing subscriber's error is never seen.
                asyncio.create_task(self._deliver(subscriber, event))

    async def _deliver(self, subscriber, event):
        await subscriber.send(event)

    async def refresh(self, force=False):
        task = asyncio.create_task(self._reload_subscribers())
        if force:
            # Awaited on one path only: without force, the reload runs loose.
            await task

    async def broadcast(self, events):
        for event in events:
            pending = asyncio.ensure_future(self._fan_out(event))
        # Only the last fan-out is awaited; the others were overwritten.
        await pending

    async def _fan_out(self, event):
        async with asyncio.TaskGroup() as tg:
            for subscriber in self._subscribers.values():
                tg.create_task(self._deliver(subscriber, event))
            # This one escapes the group: no cancellation, no error propagation.
            asyncio.create_task(self._audit(event))

    async def _audit(self, event):
        log.info("delivered %r", event)

    async def _reload_subscribers(self):
        await asyncio.sleep(0)
