"""Connection racing and replica fan-out for the query router."""
import asyncio
import logging
from asyncio import FIRST_COMPLETED
from typing import Any, Iterable

log = logging.getLogger("router")


async def open_conn(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(host, port)


async def connect_fastest(host: str, ports: Iterable[int]):
    """Try every port, use whichever answers first."""
    attempts = [asyncio.create_task(open_conn(host, p)) for p in ports]
    done, pending = await asyncio.wait(attempts, return_when=asyncio.FIRST_COMPLETED)  # expect: LSC203
    winner = done.pop()
    return winner.result()


async def query_replicas(replicas: list[Any], sql: str, timeout: float = 2.0) -> Any:
    tasks = {asyncio.create_task(r.execute(sql)) for r in replicas}
    done, pending = await asyncio.wait(tasks, timeout=timeout)  # expect: LSC203
    if not done:
        raise TimeoutError(f"no replica answered within {timeout}s")
    for p in pending:
        p.cancel()
    return next(iter(done)).result()


async def first_failure(jobs: list[Any]) -> bool:
    running = [asyncio.ensure_future(j.run()) for j in jobs]
    finished, still_running = await asyncio.wait(  # expect: LSC203
        running,
        return_when=asyncio.FIRST_EXCEPTION,
    )
    for f in finished:
        if f.exception() is not None:
            log.error("job failed: %r", f.exception())
            return False
    return True


async def pump(ws, stop_event: asyncio.Event) -> Any:
    reader = asyncio.create_task(ws.receive())
    stopper = asyncio.create_task(stop_event.wait())
    done, _ = await asyncio.wait({reader, stopper}, return_when=FIRST_COMPLETED)  # expect: LSC203
    if reader in done:
        return reader.result()
    return None


class Router:
    def __init__(self, replicas: list[Any]) -> None:
        self.replicas = replicas
        self._inflight: set[asyncio.Task] = set()

    async def route(self, sql: str) -> Any:
        # Only the primary path is shown; replicas handled in query_replicas.
        return await query_replicas(self.replicas, sql)
