"""Legacy module that bootstraps its event loop at import time."""
import asyncio
import logging

log = logging.getLogger(__name__)

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)


async def heartbeat(interval: float = 5.0) -> None:
    while True:
        log.debug("heartbeat")
        await asyncio.sleep(interval)


async def serve() -> None:
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    async with server:
        await server.serve_forever()


heartbeat_task = asyncio.ensure_future(heartbeat(), loop=loop)
server_task = loop.create_task(serve())


def stop() -> None:
    heartbeat_task.cancel()
    server_task.cancel()
    loop.call_soon(loop.stop)


def run() -> None:
    try:
        loop.run_until_complete(server_task)
    except asyncio.CancelledError:
        log.info("server cancelled")
    finally:
        loop.close()


if __name__ == "__main__":
    run()
