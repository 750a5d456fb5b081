#!/usr/bin/env python3
"""Mirror an S3 prefix to local disk, plus a tiny todo sub-command.

usage: s3mirror.py mirror PREFIX DEST | s3mirror.py todo TITLE
"""
import argparse
import asyncio
import json
import logging
import sys
from asyncio import create_task as spawn

log = logging.getLogger("s3mirror")
TODO_FILE = "todo.json"


def create_task(title: str) -> dict:
    """Todo-list entry -- nothing to do with asyncio."""
    with open(TODO_FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"title": title}) + "\n")
    return {"title": title}


async def heartbeat(interval: float) -> None:
    while True:
        log.info("still mirroring...")
        await asyncio.sleep(interval)


async def watch_config(path: str) -> None:
    await asyncio.sleep(3600)


async def list_keys(prefix: str) -> list[str]:
    return [f"{prefix}/a.txt", f"{prefix}/sub/"]


async def copy_one(sem: asyncio.Semaphore, key: str, dest: str) -> None:
    async with sem:
        await asyncio.sleep(0.01)


async def mirror(prefix: str, dest: str, concurrency: int) -> int:
    sem = asyncio.Semaphore(concurrency)
    watcher = spawn(watch_config(f"{dest}/.mirror.toml"))
    try:
        async with asyncio.TaskGroup() as tg:
            for key in await list_keys(prefix):
                if key.endswith("/"):
                    continue
                tg.create_task(copy_one(sem, key, dest))
    finally:
        watcher.cancel()
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("mirror")
    m.add_argument("prefix")
    m.add_argument("dest")
    m.add_argument("--concurrency", type=int, default=8)
    t = sub.add_parser("todo")
    t.add_argument("title")
    args = p.parse_args(argv)
    if args.cmd == "todo":
        create_task(args.title)
        return 0
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    hb = loop.create_task(heartbeat(30.0))
    try:
        return loop.run_until_complete(mirror(args.prefix, args.dest, args.concurrency))
    finally:
        hb.cancel()
        loop.run_until_complete(asyncio.gather(hb, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


if __name__ == "__main__":
    sys.exit(main())
