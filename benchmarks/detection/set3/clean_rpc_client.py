"""JSON-RPC over TCP client used by the inventory sync job."""
import asyncio
import contextlib
import itertools
import json
import logging

log = logging.getLogger(__name__)

CALL_TIMEOUT = 30.0


class RpcClient:
    def __init__(self, host: str, port: int) -> None:
        self._host = host
        self._port = port
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._closed: asyncio.Future | None = None
        self._reader_task: asyncio.Task | None = None
        self._reader = None
        self._writer = None

    async def connect(self) -> None:
        self._reader, self._writer = await asyncio.wait_for(asyncio.open_connection(self._host, self._port), 10)
        self._closed = asyncio.get_running_loop().create_future()
        self._reader_task = asyncio.create_task(self._read_loop())

    async def call(self, method: str, *params, timeout: float = CALL_TIMEOUT):
        req_id = next(self._ids)
        fut = asyncio.get_running_loop().create_future()
        self._pending[req_id] = fut
        try:
            self._writer.write(json.dumps({"id": req_id, "method": method, "params": params}).encode() + b"\n")
            await self._writer.drain()
            reply = await asyncio.wait_for(fut, timeout)
        except asyncio.CancelledError:
            log.debug("call %s (%d) cancelled", method, req_id)
            raise
        finally:
            self._pending.pop(req_id, None)
        return reply["result"]

    async def _read_loop(self) -> None:
        try:
            while True:
                line = await self._reader.readline()
                if not line:
                    raise ConnectionError("server closed connection")
                msg = json.loads(line)
                fut = self._pending.get(msg["id"])
                if fut is not None and not fut.done():
                    fut.set_result(msg)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(exc)
            if not self._closed.done():
                self._closed.set_result(None)

    async def call_many(self, calls: list[tuple[str, tuple]]) -> dict:
        results = await asyncio.gather(*(self.call(m, *p) for m, p in calls), return_exceptions=True)
        return {m: r for (m, _), r in zip(calls, results)}

    async def wait_closed(self, grace: float) -> bool:
        done, _ = await asyncio.wait([self._closed], timeout=grace)
        return bool(done)

    async def last_error(self) -> BaseException | None:
        if self._reader_task is None or not self._reader_task.done():
            return None
        try:
            return self._reader_task.exception()
        except asyncio.CancelledError:
            return None

    async def close(self) -> None:
        self._writer.close()
        if self._reader_task is not None:
            self._reader_task.cancel()
            try:
                await self._reader_task
            except asyncio.CancelledError:
                pass
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()
