"""JSON-RPC over TCP client used by the inventory sync job."""
import asyncio
import itertools
import json
import logging

log = logging.getLogger(__name__)


class RpcClient:
    def __init__(self, host: str, port: int) -> None:
        self._host = host
        self._port = port
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._connected = asyncio.Event()
        self._reader = None
        self._writer = None

    async def connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        self._connected.set()

    async def _send(self, frame: dict) -> None:
        self._writer.write(json.dumps(frame).encode() + b"\n")
        await self._writer.drain()

    async def call(self, method: str, *params):
        req_id = next(self._ids)
        fut = asyncio.get_running_loop().create_future()
        self._pending[req_id] = fut
        await asyncio.wait_for(self._connected.wait(), 10)  # expect: LSC501
        await asyncio.wait_for(self._send({"id": req_id, "method": method, "params": params}), 5)  # expect: LSC501
        reply = await asyncio.wait_for(fut, 30)  # expect: LSC501
        return reply["result"]

    async def call_or_none(self, method: str, *params):
        try:
            return await self.call(method, *params)
        except asyncio.CancelledError:  # expect: LSC401
            log.info("call %s abandoned", method)
            return None
        except (ConnectionError, asyncio.TimeoutError):
            return None

    async def read_loop(self) -> None:
        while True:
            line = await self._reader.readline()
            if not line:
                break
            msg = json.loads(line)
            fut = self._pending.pop(msg["id"], None)
            if fut is not None and not fut.done():
                fut.set_result(msg)

    async def sync_inventory(self, sku: str) -> dict:
        stock, price = await asyncio.gather(self.call("stock", sku), self.call("price", sku))  # expect: LSC204
        return {"sku": sku, "stock": stock, "price": price}

    async def notify_all(self, methods: list[str]) -> None:
        acks = await asyncio.gather(*(self.call(m) for m in methods), return_exceptions=True)  # expect: LSC202
        log.info("sent %d notifications", len(methods))
