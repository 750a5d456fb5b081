"""Webhook dispatcher that keeps strong references to in-flight deliveries."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

_background: set[asyncio.Future] = set()


def fire_and_track(coro) -> None:
    task = asyncio.ensure_future(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)


class Dispatcher:
    def __init__(self) -> None:
        self._inflight: set[asyncio.Task] = set()
        self._by_id: dict[int, asyncio.Task] = {}

    async def deliver(self, url: str, body: dict[str, Any]) -> None:
        await asyncio.sleep(0.01)
        log.debug("delivered to %s", url)

    def dispatch(self, url: str, body: dict[str, Any]) -> None:
        self._inflight.add(t := asyncio.create_task(self.deliver(url, body)))
        t.add_done_callback(self._inflight.discard)

    def dispatch_keyed(self, url: str, body: dict[str, Any]) -> int:
        task = asyncio.create_task(self.deliver(url, body))
        key = id(task)
        self._by_id[key] = task
        task.add_done_callback(lambda _t, k=key: self._by_id.pop(k, None))
        return key

    def dispatch_many(self, targets: list[str], body: dict[str, Any]) -> None:
        for url in targets:
            task = asyncio.create_task(self.deliver(url, body))
            task.set_name(f"deliver:{url}")
            task.add_done_callback(self._inflight.discard)
            self._inflight.add(task)

    def retry_later(self, url: str, body: dict[str, Any], delay: float) -> None:
        loop = asyncio.get_running_loop()

        def _retry() -> None:
            fire_and_track(self.deliver(url, body))

        loop.call_later(delay, _retry)

    def cancel(self, key: int) -> bool:
        task = self._by_id.pop(key, None)
        if task is None:
            return False
        task.cancel()
        return True

    async def drain(self, timeout: float = 5.0) -> None:
        pending = {*self._inflight, *self._by_id.values(), *_background}
        if not pending:
            return
        done, still_running = await asyncio.wait(pending, timeout=timeout)
        for t in still_running:
            t.cancel()
        for t in done:
            if not t.cancelled() and t.exception():
                log.error("delivery failed", exc_info=t.exception())
