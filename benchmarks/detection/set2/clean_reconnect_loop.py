"""Message consumer with a reconnect loop; every keepalive is torn down in finally."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import random

log = logging.getLogger(__name__)


class Consumer:
    def __init__(self, connect, handler, *, max_failures: int = 10) -> None:
        self.connect = connect
        self.handler = handler
        self.max_failures = max_failures
        self._stop = asyncio.Event()

    async def _keepalive(self, conn) -> None:
        while True:
            await asyncio.sleep(20)
            await conn.ping()

    async def run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                conn = await self.connect()
            except OSError:
                failures += 1
                if failures >= self.max_failures:
                    raise
                await asyncio.sleep(min(2 ** failures, 60) * random.random())
                continue
            failures = 0
            keepalive = asyncio.create_task(self._keepalive(conn))
            try:
                while True:
                    msg = await conn.recv()
                    if msg is None:
                        break  # server closed the stream; reconnect
                    if msg == b"":
                        continue
                    if msg == b"SHUTDOWN":
                        self._stop.set()
                        return
                    await self.handler(msg)
            except ConnectionError:
                log.info("connection lost; reconnecting")
                continue
            finally:
                keepalive.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keepalive
                await conn.close()

    async def run_until(self, deadline: float) -> None:
        runner = asyncio.create_task(self.run())
        stopper = asyncio.create_task(self._stop.wait())
        try:
            done, _ = await asyncio.wait(
                {runner, stopper}, timeout=deadline, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for t in (runner, stopper):
                if not t.done():
                    t.cancel()
        if runner in done:
            runner.result()

    async def consume_batch(self, conn, size: int) -> list[bytes]:
        batch: list[bytes] = []
        while len(batch) < size:
            recv = asyncio.create_task(conn.recv())
            try:
                msg = await asyncio.wait_for(recv, timeout=1.0)
            except asyncio.TimeoutError:
                break
            if msg is None:
                break
            batch.append(msg)
        return batch

    def stop(self) -> None:
        self._stop.set()
