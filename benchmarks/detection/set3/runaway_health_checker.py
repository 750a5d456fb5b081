"""Active health checker for upstream backends."""
import asyncio
import logging
import time

log = logging.getLogger(__name__)


class HealthCheckTimeout(Exception):
    pass


class HealthChecker:
    def __init__(self, hosts: list[str], port: int = 8080, deadline: float = 2.0) -> None:
        self.hosts = hosts
        self.port = port
        self.deadline = deadline
        self.healthy: set[str] = set()

    async def _probe(self, host: str) -> str:
        reader, writer = await asyncio.open_connection(host, self.port)
        try:
            writer.write(b"GET /healthz HTTP/1.0\r\n\r\n")
            await writer.drain()
            status = await reader.readline()
            if b" 200 " not in status:
                raise RuntimeError(f"{host}: {status!r}")
            return host
        finally:
            writer.close()

    async def first_healthy(self) -> str:
        probes = [asyncio.create_task(self._probe(h)) for h in self.hosts]
        done, _ = await asyncio.wait(probes, return_when=asyncio.FIRST_COMPLETED)  # expect: LSC203
        winner = done.pop()
        return winner.result()

    async def check_all(self, strict: bool = False) -> set[str]:
        tasks = [asyncio.create_task(self._probe(h), name=f"probe-{h}") for h in self.hosts]
        done, pending = await asyncio.wait(tasks, timeout=self.deadline)  # expect: LSC203
        if pending and strict:
            raise HealthCheckTimeout(f"{len(pending)} probes exceeded {self.deadline}s")
        for task in pending:
            task.cancel()
        healthy = set()
        for task in done:
            if task.exception() is None:
                healthy.add(task.result())
        self.healthy = healthy
        return healthy

    async def touch_all(self) -> None:
        started = time.monotonic()
        await asyncio.wait([asyncio.create_task(self._probe(h)) for h in self.hosts], timeout=1.0)  # expect: LSC203
        log.debug("touched %d hosts in %.3fs", len(self.hosts), time.monotonic() - started)
