"""Graceful shutdown for the ingest service."""
import asyncio
import logging
import signal

log = logging.getLogger("shutdown")


class Service:
    def __init__(self, server, db, queue, grace: float = 10.0) -> None:
        self._server = server
        self._db = db
        self._queue = queue
        self._grace = grace
        self._workers: set[asyncio.Task] = set()
        self._stopping = asyncio.Event()

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self._workers.add(task)
        task.add_done_callback(self._workers.discard)
        return task

    def _on_signal(self, signame: str) -> None:
        try:
            log.warning("received %s", signame)
            self._stopping.set()
        except BaseException:
            pass

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_signal, sig.name)

    async def _cancel_all(self) -> None:
        tasks = list(self._workers)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _wait_workers(self) -> None:
        if not self._workers:
            return
        done, pending = await asyncio.wait(self._workers, timeout=self._grace)
        if pending:
            log.warning("%d workers still running after %.1fs", len(pending), self._grace)

    async def _close_resources(self) -> list:
        results = await asyncio.gather(self._queue.flush(), self._db.close(), return_exceptions=True)
        for name, res in zip(("queue", "db"), results):
            if isinstance(res, Exception):
                log.error("closing %s failed: %r", name, res)
        return results

    async def shutdown(self) -> None:
        self._server.close()
        try:
            await self._server.wait_closed()
        except BaseException:
            log.exception("server did not close cleanly")
            raise
        await self._wait_workers()
        await self._cancel_all()
        await self._close_resources()

    async def serve(self) -> None:
        try:
            await self._stopping.wait()
        except asyncio.CancelledError:
            log.info("serve cancelled; shutting down")
            await self.shutdown()
            raise
        await self.shutdown()
