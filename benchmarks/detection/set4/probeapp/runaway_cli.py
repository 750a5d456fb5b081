"""Command-line entry point for maintenance tasks."""
import argparse
import asyncio
import logging
import sys

from . import net
from .decorators import retry
from .tasks import flaky_upload

log = logging.getLogger("probeapp.cli")


@retry
async def fetch_manifest(url: str) -> dict:
    await asyncio.sleep(0)
    return {"url": url, "files": []}


async def upload_all(paths: list[str]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as fh:
            data = fh.read()
        flaky_upload(path, data)  # expect: LSC301
        total += len(data)
    return total


async def run(args: argparse.Namespace) -> int:
    async def announce(msg: str) -> None:
        await net.send_message(args.host, {"msg": msg})

    announce("starting")  # expect: LSC301
    fetch_manifest(args.url)  # expect: LSC301
    net.ping(args.host)  # expect: LSC301
    size = await upload_all(args.paths)
    await announce(f"uploaded {size} bytes")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="probeapp")
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--url", default="http://localhost/manifest")
    parser.add_argument("paths", nargs="*")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    logging.basicConfig(level=logging.INFO)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
