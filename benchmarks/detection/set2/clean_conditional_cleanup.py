"""Session runner with an optional heartbeat and an optional metrics sidecar."""
from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)


async def heartbeat(ws, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        await ws.ping()


async def metrics_sidecar(name: str) -> None:
    while True:
        await asyncio.sleep(10)
        log.debug("metrics for %s", name)


class Session:
    def __init__(self, ws, *, keepalive: float | None = None, metrics: bool = False):
        self.ws = ws
        self.keepalive = keepalive
        self.metrics = metrics

    async def run(self) -> int:
        use_hb = self.keepalive is not None
        if use_hb:
            hb = asyncio.create_task(heartbeat(self.ws, self.keepalive))
        sidecar = asyncio.create_task(metrics_sidecar("session")) if self.metrics else None
        count = 0
        try:
            async for msg in self.ws:
                if msg == "bye":
                    break
                count += 1
        finally:
            if use_hb:
                hb.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await hb
            if sidecar is not None:
                sidecar.cancel()
        return count

    async def send_all(self, items: list[str], *, progress: bool) -> None:
        if progress:
            reporter = asyncio.create_task(metrics_sidecar("send_all"))
        for item in items:
            await self.ws.send(item)
        if progress:
            reporter.cancel()
            await asyncio.gather(reporter, return_exceptions=True)

    async def send_traced(self, payload: str, *, trace: bool = False) -> None:
        tracer = None
        if trace:
            tracer = asyncio.create_task(metrics_sidecar("trace"))
        try:
            await self.ws.send(payload)
        finally:
            if tracer:
                tracer.cancel()
