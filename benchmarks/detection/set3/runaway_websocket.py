"""Bidirectional websocket bridge between a client and an upstream feed."""
import asyncio
import json
import logging
from asyncio import FIRST_EXCEPTION, wait

log = logging.getLogger(__name__)


class BridgeError(Exception):
    pass


async def _pump_client(ws, upstream) -> None:
    async for raw in ws:
        msg = json.loads(raw)
        await upstream.send(msg)


async def _pump_upstream(ws, upstream) -> None:
    while True:
        msg = await upstream.recv()
        await ws.send(json.dumps(msg))


async def bridge(ws, upstream) -> None:
    reader = asyncio.create_task(_pump_client(ws, upstream))
    writer = asyncio.create_task(_pump_upstream(ws, upstream))
    done, pending = await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)  # expect: LSC203
    for task in done:
        exc = task.exception()
        if exc is not None:
            raise BridgeError("pump failed") from exc
    for task in pending:
        task.cancel()
    await ws.close()


async def relay(ws, upstream) -> str:
    client_side = asyncio.ensure_future(_pump_client(ws, upstream))
    feed_side = asyncio.ensure_future(_pump_upstream(ws, upstream))
    done, pending = await wait([client_side, feed_side], return_when=FIRST_EXCEPTION)  # expect: LSC203
    if client_side in done:
        for task in pending:
            task.cancel()
        return "client-closed"
    log.warning("feed side finished first")
    return "feed-closed"


async def keepalive(ws, interval: float = 15.0) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await ws.ping()
        except Exception:
            log.info("ping failed, closing")
            await ws.close()
            return


async def handler(ws, upstream_factory) -> None:
    upstream = await upstream_factory()
    ka = asyncio.create_task(keepalive(ws))
    try:
        await bridge(ws, upstream)
    finally:
        ka.cancel()
        await upstream.close()
