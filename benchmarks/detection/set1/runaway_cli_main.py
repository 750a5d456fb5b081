"""Command-line entry point for a tiny line-protocol job server."""
import argparse
import asyncio
import logging
import signal
import sys

log = logging.getLogger("jobd")


async def audit(peer, line: bytes) -> None:
    log.info("unexpected %r from %s", line, peer)


async def handle_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    line = await reader.readline()
    if line.strip() == b"ping":
        writer.write(b"pong\n")
    else:
        asyncio.create_task(audit(writer.get_extra_info("peername"), line))  # expect: LSC101
    await writer.drain()
    writer.close()


async def serve(host: str, port: int) -> None:
    server = await asyncio.start_server(handle_client, host, port)
    async with server:
        await server.serve_forever()


async def heartbeat() -> None:
    while True:
        await asyncio.sleep(10)
        log.debug("alive")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="jobd")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7000)
    p.add_argument("-v", "--verbose", action="store_true")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.create_task(serve(args.host, args.port))  # expect: LSC101
    if args.verbose:
        asyncio.ensure_future(heartbeat(), loop=loop)  # expect: LSC101
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    try:
        loop.run_forever()
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
