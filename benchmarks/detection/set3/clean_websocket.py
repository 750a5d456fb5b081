"""Websocket bridge that always tears down both pumps."""
import asyncio
import json
import logging

log = logging.getLogger(__name__)


class BridgeClosed(Exception):
    pass


async def _pump_client(ws, upstream) -> None:
    async for raw in ws:
        await upstream.send(json.loads(raw))


async def _pump_upstream(ws, upstream) -> None:
    while True:
        msg = await upstream.recv()
        await ws.send(json.dumps(msg))


async def bridge(ws, upstream) -> None:
    reader = asyncio.create_task(_pump_client(ws, upstream))
    writer = asyncio.create_task(_pump_upstream(ws, upstream))
    try:
        done, pending = await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            exc = task.exception()
            if exc is not None:
                raise BridgeClosed("pump failed") from exc
    finally:
        reader.cancel()
        writer.cancel()
    await ws.close()


async def relay(ws, upstream) -> str:
    client_side = asyncio.ensure_future(_pump_client(ws, upstream))
    feed_side = asyncio.ensure_future(_pump_upstream(ws, upstream))
    done, pending = await asyncio.wait([client_side, feed_side], return_when=asyncio.FIRST_EXCEPTION)
    for task in pending:
        task.cancel()
    if client_side in done:
        return "client-closed"
    return "feed-closed"


async def run_pumps(ws, upstream) -> None:
    tasks = [
        asyncio.create_task(_pump_client(ws, upstream)),
        asyncio.create_task(_pump_upstream(ws, upstream)),
    ]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise


async def handler(ws, upstream_factory) -> None:
    upstream = await upstream_factory()
    try:
        await bridge(ws, upstream)
    except asyncio.CancelledError as exc:
        await ws.close(code=1001)
        raise BridgeClosed("server shutting down") from exc
    except Exception:
        log.exception("bridge crashed")
    finally:
        await upstream.close()


async def send_json(ws, payload: dict) -> bool:
    try:
        await ws.send(json.dumps(payload))
    except (ConnectionError, asyncio.TimeoutError):
        return False
    return True
