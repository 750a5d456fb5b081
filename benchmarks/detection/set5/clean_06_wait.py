"""Connection racing and replica fan-out, with pending work always reaped."""
import asyncio
import logging
from typing import Any, Iterable

log = logging.getLogger("router")


async def open_conn(host: str, port: int):
    return await asyncio.open_connection(host, port)


async def connect_fastest(host: str, ports: Iterable[int]):
    attempts = [asyncio.create_task(open_conn(host, p)) for p in ports]
    try:
        done, pending = await asyncio.wait(attempts, return_when=asyncio.FIRST_COMPLETED)
        return done.pop().result()
    finally:
        for t in attempts:
            t.cancel()


async def drain(factories) -> list:
    pending = {asyncio.create_task(f()) for f in factories}
    results = []
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        results.extend(t.result() for t in done)
    return results


async def wait_any(futs: list[asyncio.Future], timeout: float) -> set:
    done, pending = await asyncio.wait(futs, timeout=timeout)
    return done


async def run_all(jobs) -> list:
    tasks = [asyncio.create_task(j()) for j in jobs]
    done, _ = await asyncio.wait(tasks)
    return [t.result() for t in done]


async def query_replicas(replicas: list[Any], sql: str, timeout: float = 2.0) -> Any:
    tasks = {asyncio.create_task(r.execute(sql)) for r in replicas}
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    for p in pending:
        p.cancel()
    if not done:
        raise TimeoutError(f"no replica answered within {timeout}s")
    return next(iter(done)).result()


class Supervisor:
    def __init__(self) -> None:
        self._children: set[asyncio.Task] = set()
        self._leftovers: set[asyncio.Task] = set()

    async def watch(self) -> None:
        done, _ = await asyncio.wait(self._children, return_when=asyncio.FIRST_EXCEPTION)
        for t in done:
            if t.exception() is not None:
                log.error("child %s died", t.get_name())

    async def race_and_keep(self, a, b) -> Any:
        ta, tb = asyncio.create_task(a()), asyncio.create_task(b())
        done, pending = await asyncio.wait((ta, tb), return_when=asyncio.FIRST_COMPLETED)
        self._leftovers.update(pending)
        return done.pop().result()
