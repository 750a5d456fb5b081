#!/usr/bin/env python3
"""Mirror an S3 prefix to local disk.

usage: s3mirror.py PREFIX DEST [--concurrency N] [--interval SECONDS]
"""
import argparse
import asyncio
import logging
import signal
import sys
from asyncio import create_task as spawn, ensure_future

log = logging.getLogger("s3mirror")


async def heartbeat(interval: float) -> None:
    while True:
        log.info("still mirroring...")
        await asyncio.sleep(interval)


async def list_keys(prefix: str) -> list[str]:
    await asyncio.sleep(0)
    return [f"{prefix}/a.txt", f"{prefix}/sub/", f"{prefix}/sub/b.txt"]


async def copy_one(sem: asyncio.Semaphore, key: str, dest: str) -> None:
    async with sem:
        await asyncio.sleep(0.01)


async def write_manifest(dest: str, count: int) -> None:
    await asyncio.sleep(0)


async def mirror(prefix: str, dest: str, concurrency: int) -> int:
    sem = asyncio.Semaphore(concurrency)
    copied = 0
    for key in await list_keys(prefix):
        if key.endswith("/"):
            continue
        spawn(copy_one(sem, key, dest))  # expect: LSC101
        copied += 1
    else:
        ensure_future(write_manifest(dest, copied))  # expect: LSC101
    return 0


async def shutdown(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    loop.stop()


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("prefix")
    p.add_argument("dest")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--interval", type=float, default=30.0)
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.create_task(heartbeat(args.interval))  # expect: LSC101
    loop.add_signal_handler(signal.SIGINT, lambda: loop.create_task(shutdown(loop)))  # expect: LSC101
    try:
        return loop.run_until_complete(mirror(args.prefix, args.dest, args.concurrency))
    finally:
        loop.close()


if __name__ == "__main__":
    sys.exit(main())
