"""Decorated functions whose call does NOT produce a coroutine."""
from __future__ import annotations

import logging

from acme_tracing import trace  # third-party, unknown to the linter
from acme_web import router  # third-party, unknown to the linter

from ..decorators import in_thread, logged, to_async

log = logging.getLogger(__name__)


@in_thread
async def background_sync(batch: int) -> None:
    log.info("syncing batch %d", batch)


@logged
def compute(x: int) -> int:
    return x * 2


@trace
async def traced(name: str) -> str:
    return name


@router.get("/health")
async def health() -> dict:
    return {"ok": True}


@in_thread
@logged
async def nightly_report() -> None:
    log.info("report")


@trace
@to_async
def hashed(data: bytes) -> int:
    return hash(data)


class Jobs:
    @in_thread
    async def nightly(self) -> None:
        log.info("nightly")

    @logged
    def count(self) -> int:
        return 0

    def kick(self) -> None:
        self.nightly()
        self.count()


def run_all() -> None:
    background_sync(1)
    compute(2)
    traced("x")
    health()
    nightly_report()
    hashed(b"x")
    Jobs().kick()
