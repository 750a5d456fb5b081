"""Coroutines bound to names, then awaited, scheduled, returned or stored."""
import asyncio
import logging

from .db import User, delete_user, fetch_user, save_user
from .net import ping, send_message
from .tasks import process_job

log = logging.getLogger(__name__)


def make_job(job: dict):
    """Sync factory: the caller schedules the returned coroutine."""
    return process_job(job)


def make_ping(host: str):
    coro = ping(host)
    return coro


def job_coros(jobs: list[dict]):
    for job in jobs:
        coro = process_job(job)
        yield coro


async def soft_delete(uid: int) -> bool:
    user = await fetch_user(uid)
    if user is None:
        return False
    user.tags.append("deleted")
    await save_user(user)
    return True


async def remove(uid: int, hard: bool) -> bool:
    return await (delete_user(uid) if hard else soft_delete(uid))


async def strict_save(user: User) -> None:
    op = save_user(user)
    if not user.name:
        raise ValueError("user needs a name")
    await op


async def fan_out(hosts: list[str]) -> list[bool]:
    checks = []
    for host in hosts:
        checks.append(ping(host))
    return list(await asyncio.gather(*checks))


async def run_all(jobs: list[dict]) -> list[dict]:
    coros = [process_job(j) for j in jobs]
    return list(await asyncio.gather(*coros))


async def timed_send(host: str, payload: dict, deadline: float | None) -> int:
    send = send_message(host, payload)
    if deadline is None:
        return await send
    try:
        return await asyncio.wait_for(send, timeout=deadline)
    except asyncio.TimeoutError:
        log.warning("send to %s timed out", host)
        return 0


class Scheduler:
    def __init__(self) -> None:
        self.pending = None
        self.tasks: set[asyncio.Task] = set()

    def prefetch(self, uid: int) -> None:
        self.pending = fetch_user(uid)

    async def spawn(self, job: dict) -> None:
        coro = process_job(job)
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def drain(self) -> None:
        if self.pending is not None:
            await self.pending
        await asyncio.gather(*self.tasks, *job_coros([{"id": 1}]))
