"""Background job definitions."""
import asyncio
import logging
import os

from .db import Repo, User, save_user
from .decorators import retry, timed, work

log = logging.getLogger(__name__)


async def process_job(job: dict) -> dict:
    await asyncio.sleep(0)
    return {"id": job.get("id"), "status": "done"}


def process_job_sync(job: dict) -> dict:
    return {"id": job.get("id"), "status": "done"}


@retry
async def flaky_upload(path: str, data: bytes) -> int:
    await asyncio.sleep(0)
    if not data:
        raise ConnectionError(f"empty upload for {path}")
    return len(data)


@work
async def rebuild_index(repo_name: str) -> None:
    repo = Repo(repo_name)
    for key in repo.keys():
        await repo.load(key)


@work
def compact_storage(path: str) -> None:
    log.info("compacting %s", path)


@timed
def vacuum(path: str) -> None:
    for name in os.listdir(path):
        if name.endswith(".tmp"):
            os.remove(os.path.join(path, name))


@timed
async def archive_user(user: User) -> None:
    await save_user(user)


class Worker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.done = 0

    async def run_once(self, job: dict) -> dict:
        result = await process_job(job)
        self.done += 1
        return result

    @work
    async def warm_up(self) -> None:
        await asyncio.sleep(0)
        log.info("worker %s warmed up", self.name)

    def reset(self) -> None:
        self.done = 0
