"""Event-loop callback wiring that hands coroutine functions to sync callbacks."""
import asyncio
import logging
import signal

from .db import User, fetch_user, save_user
from .tasks import process_job

log = logging.getLogger(__name__)


async def shutdown(reason: str) -> None:
    log.warning("shutting down: %s", reason)
    await asyncio.sleep(0)


class Dashboard:
    def __init__(self) -> None:
        self.users: list[User] = []

    async def refresh(self) -> None:
        user = await fetch_user(1)
        self.users = [user] if user is not None else []

    def render(self) -> str:
        return ", ".join(u.name for u in self.users)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        loop.call_soon(lambda: self.refresh())  # expect: LSC301
        loop.call_later(30, lambda: self.refresh())  # expect: LSC301
        loop.call_later(31, lambda: log.info(self.render()))
        loop.add_signal_handler(signal.SIGTERM, lambda: shutdown("sigterm"))  # expect: LSC301

    async def submit(self, job: dict) -> None:
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        fut.add_done_callback(lambda f: save_user(f.result()))  # expect: LSC301
        fut.set_result(User(uid=job["id"], name=job.get("name", "")))


async def save_all(users: list[User]) -> None:
    [save_user(u) for u in users]  # expect: LSC301
    log.info("saved %d users", len(users))


async def process_all(jobs: list[dict]) -> None:
    {process_job(j) for j in jobs if j.get("id") is not None}  # expect: LSC301
    log.info("queued %d jobs", len(jobs))


async def main() -> None:
    board = Dashboard()
    await board.start()
    await board.submit({"id": 5, "name": "eve"})
    await save_all([User(uid=2, name="bob")])
    await process_all([{"id": 1}])
    await asyncio.sleep(0.1)


if __name__ == "__main__":
    asyncio.run(main())
