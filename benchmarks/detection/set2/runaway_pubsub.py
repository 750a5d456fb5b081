"""In-process pub/sub broker with per-subscriber delivery queues."""
from __future__ import annotations

import asyncio as aio
import logging
from collections import defaultdict
from typing import Any, Awaitable, Callable

log = logging.getLogger(__name__)

Handler = Callable[[str, Any], Awaitable[None]]


class Broker:
    def __init__(self, max_queue: int = 1000) -> None:
        self._subs: dict[str, list[aio.Queue]] = defaultdict(list)
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._max_queue = max_queue
        self._closed = False

    def _log_failure(self, task: aio.Future) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery failed", exc_info=task.exception())

    async def publish(self, topic: str, payload: Any) -> int:
        if self._closed:
            raise RuntimeError("broker closed")
        delivered = 0
        for q in self._subs.get(topic, ()):
            try:
                q.put_nowait(payload)
                delivered += 1
            except aio.QueueFull:
                log.warning("dropping message for slow subscriber on %s", topic)
        for handler in self._handlers.get(topic, ()):
            aio.create_task(handler(topic, payload))  # expect: LSC101
        return delivered

    def on(self, topic: str, handler: Handler) -> None:
        self._handlers[topic].append(handler)

    async def subscribe(self, topic: str) -> aio.Queue:
        q: aio.Queue = aio.Queue(self._max_queue)
        self._subs[topic].append(q)
        watchdog = aio.create_task(self._watch(topic, q))  # expect: LSC102
        watchdog.add_done_callback(self._log_failure)
        watchdog.set_name(f"watch-{topic}")
        return q

    async def _watch(self, topic: str, q: aio.Queue) -> None:
        while not self._closed:
            await aio.sleep(5)
            if q.qsize() > self._max_queue * 0.9:
                log.warning("subscriber on %s is lagging (%d)", topic, q.qsize())

    async def broadcast(self, payload: Any) -> None:
        for topic in list(self._subs):
            aio.ensure_future(self.publish(topic, payload)).add_done_callback(  # expect: LSC101
                self._log_failure
            )

    async def close(self) -> None:
        self._closed = True
        for queues in self._subs.values():
            for q in queues:
                q.put_nowait(None)
        self._subs.clear()
