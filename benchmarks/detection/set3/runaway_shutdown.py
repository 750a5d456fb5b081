"""Graceful shutdown coordinator for the ingest service."""
import asyncio
import logging
import signal

log = logging.getLogger("shutdown")


class Service:
    def __init__(self, server, db, queue) -> None:
        self._server = server
        self._db = db
        self._queue = queue
        self._tasks: set[asyncio.Task] = set()
        self._stopping = False

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: self.spawn(self.shutdown()))

    async def _flush(self) -> None:
        await self._queue.flush()

    async def _close_db(self) -> None:
        await self._db.close()

    async def drain_workers(self) -> None:
        log.info("waiting for %d workers to finish", len(self._tasks))
        await asyncio.gather(*self._tasks, return_exceptions=True)  # expect: LSC202

    async def cancel_workers(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def stop_server(self) -> None:
        self._server.close()
        try:
            await self._server.wait_closed()
        except BaseException:  # expect: LSC401
            log.exception("server did not close cleanly")

    async def shutdown(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        await self.stop_server()
        await self.drain_workers()
        _ = await asyncio.gather(self._flush(), self._close_db(), return_exceptions=True)  # expect: LSC202
        log.info("shutdown complete")

    async def serve(self) -> None:
        try:
            await self._server.serve_forever()
        except asyncio.CancelledError:  # expect: LSC402
            if not self._stopping:
                raise
            log.info("serve loop cancelled during shutdown")
