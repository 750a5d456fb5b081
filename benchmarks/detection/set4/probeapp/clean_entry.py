"""Entry points that drive coroutines correctly from sync code."""
import asyncio
import logging
import threading

from .db import User, fetch_user, save_user
from .net import ping
from .tasks import process_job

log = logging.getLogger(__name__)


async def seed(n: int) -> None:
    for i in range(n):
        await save_user(User(uid=i, name=f"user{i}"))


async def serve_forever(stop: asyncio.Event) -> None:
    await stop.wait()


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    asyncio.run(seed(10))


def legacy_main() -> None:
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(seed(3))
        loop.run_until_complete(ping("localhost"))
    finally:
        loop.close()


class BackgroundLoop:
    """Runs an event loop in a thread so sync code can submit work to it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def submit_seed(self) -> None:
        asyncio.run_coroutine_threadsafe(seed(5), self.loop)

    def lookup(self, uid: int) -> User | None:
        fut = asyncio.run_coroutine_threadsafe(fetch_user(uid), self.loop)
        return fut.result(timeout=5)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


async def supervisor(jobs: list[dict]) -> None:
    stop = asyncio.Event()
    server = asyncio.create_task(serve_forever(stop))
    asyncio.ensure_future(process_job({"id": 0}))
    results = await asyncio.gather(*(process_job(j) for j in jobs))
    log.info("processed %d", len(results))
    await asyncio.wait_for(ping("localhost"), timeout=2)
    await asyncio.shield(save_user(User(uid=99, name="root")))
    stop.set()
    await server


if __name__ == "__main__":
    main()
    asyncio.run(supervisor([{"id": 1}, {"id": 2}]))
