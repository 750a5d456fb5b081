"""Legacy daemon entry point using explicit event-loop management."""
import asyncio
import logging
import signal
import sys

log = logging.getLogger("daemon")


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    data = await reader.read(1024)
    writer.write(data)
    await writer.drain()
    writer.close()


async def serve_forever(port: int) -> None:
    server = await asyncio.start_server(handle, "0.0.0.0", port)
    async with server:
        await server.serve_forever()


async def flush_metrics() -> None:
    log.debug("flushing metrics")


async def shutdown(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    loop.stop()


class MetricsPump:
    def __init__(self, loop: asyncio.AbstractEventLoop, interval: float = 10.0):
        self.loop = loop
        self.interval = interval

    def tick(self) -> None:
        self.loop.create_task(flush_metrics())  # expect: LSC101
        self.loop.call_later(self.interval, self.tick)


def install_signal_handlers(loop: asyncio.AbstractEventLoop) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(
            sig, lambda: asyncio.ensure_future(shutdown(loop))  # expect: LSC101
        )


def schedule_warmup(ev_loop: asyncio.AbstractEventLoop, rounds: int = 3) -> None:
    for _ in range(rounds):
        ev_loop.create_task(flush_metrics())  # expect: LSC101


def main(argv: list[str]) -> int:
    port = int(argv[1]) if len(argv) > 1 else 8080
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    install_signal_handlers(loop)
    loop.create_task(serve_forever(port))  # expect: LSC101
    loop.call_soon(lambda: loop.create_task(flush_metrics()))  # expect: LSC101
    MetricsPump(loop).tick()
    schedule_warmup(loop)
    try:
        loop.run_forever()
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
