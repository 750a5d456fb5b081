"""Clients and repositories built on the project base classes."""
import asyncio
import logging

from .db import CachedRepo, Repo
from .net import HttpClient

log = logging.getLogger(__name__)


class MetricsClient(HttpClient):
    """HTTP client that counts requests and reports metrics."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.sent = 0

    async def push(self, metrics: dict) -> None:
        self.post("/metrics", metrics)  # expect: LSC301
        self.sent += 1

    async def request(self, method: str, path: str, body: dict | None = None) -> dict:
        self.sent += 1
        super().request(method, path, body)  # expect: LSC301
        return {}

    async def shutdown(self) -> None:
        log.info("shutting down after %d requests", self.sent)
        self.close()  # expect: LSC301


class TenantRepo(CachedRepo):
    """Per-tenant repository."""

    @classmethod
    async def for_tenant(cls, tenant: str) -> "TenantRepo":
        repo = cls(tenant)
        await repo.save("tenant", tenant)
        return repo

    @classmethod
    async def warm_all(cls, tenants: list[str]) -> None:
        for tenant in tenants:
            cls.for_tenant(tenant)  # expect: LSC301
        cls.migrate(3)  # expect: LSC301

    async def store(self, key: str, value: object) -> None:
        self.remember(key, value)
        self.save(key, value)  # expect: LSC301


async def copy_keys(src: Repo) -> int:
    dst = CachedRepo("copy")
    copied = 0
    for key in src.keys():
        dst.save(key, None)  # expect: LSC301
        copied += 1
    dst.close()
    return copied


async def main() -> None:
    client = MetricsClient("http://metrics.local")
    await client.push({"uptime": 1})
    await client.shutdown()
    await TenantRepo.warm_all(["a", "b"])
    await copy_keys(await Repo.create("src"))


if __name__ == "__main__":
    asyncio.run(main())
