"""Nightly sync job: resolves users through every import style we use."""
from __future__ import annotations

import logging

import probe6
import probe6.db
import probe6.db as database
import probe6.services.worker as w
from probe6 import fetch_user, send
from probe6.db import save_user as persist
from probe6.net import send_packet
from probe6.registry import fire_hook
from probe6.services import transmit
from probe6.services import transmit as tx
from probe6.services import worker as job_worker

log = logging.getLogger(__name__)


def warm_cache(user_ids: list[int]) -> None:
    for uid in user_ids:
        fetch_user(uid)  # expect: LSC301
    log.info("warmed %d users", len(user_ids))


def persist_all(users: list[dict]) -> None:
    for user in users:
        persist(user)  # expect: LSC301
        probe6.db.save_user(user)  # expect: LSC301
        database.save_user(user)  # expect: LSC301


def announce(host: str, payload: bytes) -> None:
    send_packet(host, payload)  # expect: LSC301
    send(host, payload)  # expect: LSC301
    transmit(host, payload)  # expect: LSC301


async def broadcast(hosts: list[str], payload: bytes) -> int:
    sent = 0
    for host in hosts:
        tx(host, payload)  # expect: LSC301
        sent += 1
    probe6.fetch_user(0)  # expect: LSC301
    probe6.fetch_user_cached(0)
    return sent


def enqueue_jobs(jobs: list[dict]) -> None:
    for job in jobs:
        w.process_job(job)  # expect: LSC301
        job_worker.process_job(job)  # expect: LSC301
        w.process_job_sync(job)


def on_user_created(name: str) -> None:
    # fire_hook is re-exported by probe6.registry, which is circular with probe6.hooks
    fire_hook(name)  # expect: LSC301
    log.debug("hook fired for %s", name)


if __name__ == "__main__":
    warm_cache([1, 2, 3])
