"""websockets-based proxy and hub: pump tasks are raced and cleaned up."""
import asyncio
import logging

import websockets

log = logging.getLogger("proxy")


async def pump(src, dst, label: str) -> None:
    async for message in src:
        await dst.send(message)
    log.debug("%s closed", label)


async def proxy(client, upstream_url: str) -> None:
    async with websockets.connect(upstream_url) as upstream:
        up = asyncio.create_task(pump(client, upstream, "client->upstream"))
        down = asyncio.create_task(pump(upstream, client, "upstream->client"))
        done, pending = await asyncio.wait([up, down], return_when=asyncio.FIRST_COMPLETED)
        for t in pending:
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for t in done:
            if t.exception():
                log.warning("pump failed: %r", t.exception())


class Hub:
    def __init__(self) -> None:
        self.clients: set = set()
        self.tasks: dict[object, asyncio.Task] = {}

    async def keepalive(self, ws) -> None:
        while True:
            await asyncio.sleep(20)
            await ws.ping()

    async def handler(self, ws) -> None:
        self.clients.add(ws)
        self.tasks[ws] = asyncio.create_task(self.keepalive(ws))
        try:
            async for msg in ws:
                websockets.broadcast(self.clients, msg)
        finally:
            self.clients.discard(ws)
            self.tasks.pop(ws).cancel()


async def main() -> None:
    hub = Hub()
    async with websockets.serve(hub.handler, "0.0.0.0", 8765):
        stop = asyncio.get_running_loop().create_future()
        await stop


if __name__ == "__main__":
    asyncio.run(main())
