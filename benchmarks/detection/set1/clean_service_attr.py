"""Leader election service with attribute- and set-held background tasks."""
import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)


class LeaderElector:
    def __init__(self, etcd, key: str, ttl: int = 10):
        self.etcd = etcd
        self.key = key
        self.ttl = ttl
        self._task: asyncio.Task | None = None
        self._watchers: set[asyncio.Task] = set()
        self.is_leader = asyncio.Event()

    async def _campaign(self) -> None:
        while True:
            if await self.etcd.put_if_absent(self.key, ttl=self.ttl):
                self.is_leader.set()
            await asyncio.sleep(self.ttl / 3)

    async def _watch(self, prefix: str) -> None:
        async for event in self.etcd.watch(prefix):
            log.info("change under %s: %s", prefix, event)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._campaign(), name="campaign")

    def watch(self, prefix: str) -> None:
        task = asyncio.create_task(self._watch(prefix))
        self._watchers.add(task)
        task.add_done_callback(self._watchers.discard)

    def watch_many(self, prefixes: list[str]) -> None:
        for p in prefixes:
            self._watchers.add(t := asyncio.create_task(self._watch(p)))
            t.add_done_callback(self._watchers.discard)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for t in list(self._watchers):
            t.cancel()
        await asyncio.gather(*self._watchers, return_exceptions=True)

    async def __aenter__(self) -> "LeaderElector":
        self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()
