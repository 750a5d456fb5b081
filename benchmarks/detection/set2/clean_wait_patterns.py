"""Happy-eyeballs style racing connector and fan-in helpers around asyncio.wait."""
from __future__ import annotations

import asyncio
import socket


async def try_connect(host: str, port: int, family: int):
    return await asyncio.open_connection(host, port, family=family)


async def race_connect(host: str, port: int, delay: float = 0.25):
    v6 = asyncio.create_task(try_connect(host, port, socket.AF_INET6))
    done, _ = await asyncio.wait({v6}, timeout=delay)
    if done and v6.exception() is None:
        return v6.result()
    v4 = asyncio.create_task(try_connect(host, port, socket.AF_INET))
    racers = {v4} if done else {v4, v6}
    while racers:
        finished, racers = await asyncio.wait(racers, return_when=asyncio.FIRST_COMPLETED)
        for t in finished:
            if t.exception() is None:
                for loser in racers:
                    loser.cancel()
                return t.result()
    raise OSError(f"could not connect to {host}:{port}")


async def fetch_pair(a, b):
    left, right = asyncio.create_task(a), asyncio.create_task(b)
    try:
        return await asyncio.gather(left, right)
    except Exception:
        left.cancel()
        right.cancel()
        raise


async def run_all_or_nothing(coros) -> list:
    tasks = [asyncio.ensure_future(c) for c in coros]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    if pending:
        for t in pending:
            t.cancel()
        await asyncio.wait(pending)
    return [t.result() for t in done]


async def first_of(primary, fallback, grace: float):
    main_task = asyncio.create_task(primary)
    backup_task = None
    try:
        done, _ = await asyncio.wait([main_task], timeout=grace)
        if done:
            return main_task.result()
        backup_task = asyncio.create_task(fallback)
        done, pending = await asyncio.wait(
            (main_task, backup_task), return_when=asyncio.FIRST_COMPLETED
        )
        return next(iter(done)).result()
    finally:
        for t in (main_task, backup_task):
            if t is not None and not t.done():
                t.cancel()


async def drain_queue_with_stop(q: asyncio.Queue, stop: asyncio.Event) -> list:
    items = []
    stopper = asyncio.create_task(stop.wait())
    while True:
        getter = asyncio.create_task(q.get())
        done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            items.append(getter.result())
            continue
        getter.cancel()
        break
    return items
