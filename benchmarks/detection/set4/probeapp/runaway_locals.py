"""Report builder that loses coroutines bound to local names."""
import asyncio
import logging

from .db import User, fetch_user, save_user
from .net import ping, send_message
from .tasks import process_job

log = logging.getLogger(__name__)


async def load_profile(uid: int) -> dict:
    pending = fetch_user(uid)  # expect: LSC302
    log.debug("loading profile %s", uid)
    return {"uid": uid}


async def maybe_save(user: User, dirty: bool) -> None:
    op = save_user(user)  # expect: LSC302
    if dirty:
        await op
    log.info("maybe_save done for %s", user.uid)


async def newest(uids: list[int]) -> User | None:
    current = fetch_user(uids[0])  # expect: LSC302
    current = fetch_user(uids[-1])
    return await current


async def notify(host: str, payload: dict) -> int:
    send = send_message(host, payload)  # expect: LSC302
    if not payload:
        log.warning("empty payload, skipping")
        return 0
    return await send


async def run_jobs(jobs: list[dict]) -> int:
    coros = [process_job(j) for j in jobs]  # expect: LSC302
    log.info("prepared %d jobs", len(jobs))
    return len(jobs)


async def fan_out(hosts: list[str]) -> None:
    checks = []
    for host in hosts:
        checks.append(ping(host))  # expect: LSC302
    log.info("checking %d hosts", len(hosts))


async def first_alive(hosts: list[str]) -> str | None:
    probes = {ping(h) for h in hosts}  # expect: LSC302
    for host in hosts:
        log.debug("probing %s", host)
    return None


async def last_user(uids: list[int]) -> User | None:
    latest = None
    for uid in uids:
        latest = fetch_user(uid)  # expect: LSC302
    if latest is None:
        return None
    return await latest


async def main() -> None:
    print(await load_profile(1))
    await maybe_save(User(uid=1, name="a"), dirty=False)
    print(await newest([1, 2]), await last_user([1, 2, 3]))
    await run_jobs([{"id": 1}])
    await fan_out(["localhost"])


if __name__ == "__main__":
    asyncio.run(main())
