"""Notification fan-out, using every import style for project modules."""
import asyncio
import logging

import probeapp.db
import probeapp.net as pnet
from . import tasks
from .net import send_message as notify
from .tasks import process_job

log = logging.getLogger(__name__)

SUBSCRIBERS = ["alpha.internal", "beta.internal"]


async def broadcast(payload: dict) -> None:
    for host in SUBSCRIBERS:
        notify(host, payload)  # expect: LSC301
    log.info("broadcast sent to %d hosts", len(SUBSCRIBERS))


async def health_check() -> dict:
    status = {}
    for host in SUBSCRIBERS:
        pnet.ping(host)  # expect: LSC301
        status[host] = pnet.format_host(host, 7)
    return status


async def purge(uid: int) -> None:
    probeapp.db.delete_user(uid)  # expect: LSC301
    log.info("purged %s (remaining: %d)", uid, probeapp.db.count_users())


async def run_batch(jobs: list[dict]) -> int:
    done = 0
    for job in jobs:
        tasks.process_job(job)  # expect: LSC301
        done += 1
    return done


async def run_single(job: dict) -> None:
    log.info("running job %s", job.get("id"))
    process_job(job)  # expect: LSC301


async def replay(jobs: list[dict]) -> None:
    for job in jobs:
        tasks.process_job_sync(job)
    await asyncio.sleep(0)


async def main() -> None:
    await broadcast({"event": "deploy"})
    print(await health_check())
    await purge(3)
    await run_batch([{"id": 1}, {"id": 2}])
    await run_single({"id": 3})
    await replay([{"id": 4}])


if __name__ == "__main__":
    asyncio.run(main())
