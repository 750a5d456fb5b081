"""Health checker that never leaves probes running."""
import asyncio
import logging

log = logging.getLogger(__name__)


class HealthCheckTimeout(Exception):
    pass


async def wait_any(tasks, timeout: float) -> tuple[int, int]:
    """The caller owns `tasks`; we only report how many finished."""
    done, pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    return len(done), len(pending)


class HealthChecker:
    def __init__(self, hosts: list[str], port: int = 8080, deadline: float = 2.0) -> None:
        self.hosts = hosts
        self.port = port
        self.deadline = deadline

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
        try:
            done, _ = await asyncio.wait(probes, return_when=asyncio.FIRST_COMPLETED)
            return done.pop().result()
        finally:
            for probe in probes:
                probe.cancel()

    async def check_all(self) -> set[str]:
        tasks = [asyncio.create_task(self._probe(h)) for h in self.hosts]
        done, pending = await asyncio.wait(tasks, timeout=self.deadline)
        for task in pending:
            task.cancel()
        if pending:
            raise HealthCheckTimeout(f"{len(pending)} probes exceeded {self.deadline}s")
        return {t.result() for t in done if t.exception() is None}

    async def check_all_patient(self) -> set[str]:
        tasks = [asyncio.create_task(self._probe(h)) for h in self.hosts]
        done, pending = await asyncio.wait(tasks, timeout=self.deadline)
        if pending:
            log.warning("%d probes are slow, waiting for them", len(pending))
        late = await asyncio.gather(*pending, return_exceptions=True)
        healthy = {t.result() for t in done if t.exception() is None}
        healthy.update(r for r in late if isinstance(r, str))
        return healthy

    async def collect_as_completed(self) -> list[str]:
        healthy: list[str] = []
        pending = {asyncio.create_task(self._probe(h)) for h in self.hosts}
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task.exception() is None:
                    healthy.append(task.result())
                else:
                    log.info("probe failed: %r", task.exception())
        return healthy

    async def all_probes(self) -> list[str]:
        tasks = [asyncio.create_task(self._probe(h)) for h in self.hosts]
        done, _ = await asyncio.wait(tasks)
        return sorted(t.result() for t in done if t.exception() is None)
