"""Session maintenance; exercises two-dot relative imports."""
from __future__ import annotations

import logging

from .. import db
from .. import hooks
from ..db import Repo
from ..db import fetch_user as load_user
from ..registry import fire_hook as fire
from . import worker
from .worker import Worker
from .worker import process_job as handle

log = logging.getLogger(__name__)


class SessionStore(Worker):
    def expire(self, job: dict) -> None:
        self.run_once(job)  # expect: LSC301
        self.stop()

    def flush_all(self) -> None:
        super().drain()  # expect: LSC301
        log.info("drained")


def resync(ids: list[int]) -> None:
    for uid in ids:
        load_user(uid)  # expect: LSC301
        db.fetch_user(uid)  # expect: LSC301
    hooks.reload_hooks()  # expect: LSC301
    fire("resync")  # expect: LSC301


def requeue(jobs: list[dict]) -> None:
    for job in jobs:
        worker.process_job(job)  # expect: LSC301
        handle(job)  # expect: LSC301
        worker.process_job_sync(job)


async def migrate(rows: list[dict]) -> int:
    repo = Repo()
    for row in rows:
        repo.save(row)  # expect: LSC301
    db.Database.connect("postgres://")  # expect: LSC301
    return len(rows)


def restart(dsn: str) -> None:
    w = Worker(dsn)
    w.stop()
    w.drain()  # expect: LSC301
