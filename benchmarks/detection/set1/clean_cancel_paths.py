"""Request hedging and deadlines: every handle is settled on every path."""
import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)


async def query(replica: str, sql: str) -> list:
    await asyncio.sleep(0.05)
    return [replica, sql]


async def hedged(primary: str, backup: str, sql: str, delay: float = 0.1) -> list:
    first = asyncio.create_task(query(primary, sql))
    done, _ = await asyncio.wait({first}, timeout=delay)
    if done:
        return first.result()
    second = asyncio.create_task(query(backup, sql))
    done, pending = await asyncio.wait({first, second}, return_when=asyncio.FIRST_COMPLETED)
    for p in pending:
        p.cancel()
    return done.pop().result()


async def with_deadline(replica: str, sql: str, strict: bool) -> list | None:
    task = asyncio.create_task(query(replica, sql))
    if strict:
        return await asyncio.wait_for(task, timeout=1.0)
    else:
        try:
            return await asyncio.wait_for(task, timeout=5.0)
        except asyncio.TimeoutError:
            log.warning("slow replica %s", replica)
            return None


async def guarded(replica: str, sql: str, enabled: bool) -> list | None:
    job = asyncio.create_task(query(replica, sql))
    if not enabled:
        job.cancel()
        return None
    return await job


async def supervised(replica: str, sql: str) -> list:
    task = asyncio.create_task(query(replica, sql))
    try:
        return await task
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def poll_until_ready(replica: str) -> None:
    while True:
        probe = asyncio.create_task(query(replica, "SELECT 1"))
        try:
            await asyncio.wait_for(probe, timeout=0.5)
            return
        except asyncio.TimeoutError:
            probe.cancel()
        await asyncio.sleep(1)


async def sequential(replica: str) -> list:
    step = asyncio.create_task(query(replica, "BEGIN"))
    await step
    step = asyncio.create_task(query(replica, "COMMIT"))
    return await step
