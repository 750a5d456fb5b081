"""Handlers that operate on duck-typed objects supplied by the framework."""
import asyncio
import logging

from .db import save_user

log = logging.getLogger(__name__)


async def relay(client, message: dict) -> None:
    client.send(message)
    client.close()
    log.debug("relayed %r", message)


async def handle_connection(reader, writer) -> None:
    data = await reader.read(1024)
    writer.write(data.upper())
    await writer.drain()
    writer.close()


class Plugin:
    def __init__(self, host) -> None:
        self.host = host

    async def on_event(self, event, bus) -> None:
        bus.publish(event)
        self.host.notify(event)
        self.host.refresh()


def apply_all(save_user, records) -> None:
    """`save_user` here is the caller's callback, not probeapp.db.save_user."""
    for record in records:
        save_user(record)


async def dispatch(handlers, event) -> None:
    for handler in handlers:
        handler(event)
    await asyncio.sleep(0)


async def serve(host: str = "127.0.0.1", port: int = 8888) -> None:
    server = await asyncio.start_server(handle_connection, host, port)
    async with server:
        await server.serve_forever()


def export(records: list) -> None:
    apply_all(print, records)
    log.info("export done; async saver is %s", save_user.__name__)


if __name__ == "__main__":
    asyncio.run(serve())
