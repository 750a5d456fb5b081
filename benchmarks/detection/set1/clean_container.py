"""Per-user job registry storing task handles in dicts, lists, deques and queues."""
import asyncio
from collections import defaultdict, deque


class JobRegistry:
    def __init__(self) -> None:
        self.by_user: dict[str, asyncio.Task] = {}
        self.history: deque[asyncio.Future] = deque(maxlen=100)
        self.groups: defaultdict[str, list[asyncio.Task]] = defaultdict(list)
        self.outbox: asyncio.Queue[asyncio.Task] = asyncio.Queue()

    async def _job(self, user: str, payload: dict) -> dict:
        await asyncio.sleep(0.01)
        return {"user": user, **payload}

    def submit(self, user: str, payload: dict) -> None:
        old = self.by_user.get(user)
        if old is not None and not old.done():
            old.cancel()
        self.by_user[user] = asyncio.create_task(self._job(user, payload))

    def submit_grouped(self, group: str, users: list[str]) -> None:
        for u in users:
            self.groups[group].append(asyncio.create_task(self._job(u, {})))

    def submit_logged(self, user: str) -> None:
        t = asyncio.ensure_future(self._job(user, {"log": True}))
        self.history.append(t)

    def submit_async(self, user: str) -> None:
        self.outbox.put_nowait(asyncio.create_task(self._job(user, {"async": True})))

    async def run_batch(self, users: list[str]) -> list[dict]:
        tasks = [asyncio.create_task(self._job(u, {})) for u in users]
        retries = {u: asyncio.create_task(self._job(u, {"retry": 1})) for u in users}
        results = await asyncio.gather(*tasks, *retries.values())
        return list(results)

    async def wait_group(self, group: str) -> list[dict]:
        tasks = self.groups.pop(group, [])
        return await asyncio.gather(*tasks)

    async def drain_outbox(self) -> None:
        while not self.outbox.empty():
            task = await self.outbox.get()
            await task

    async def shutdown(self) -> None:
        for t in self.by_user.values():
            t.cancel()
        await asyncio.gather(*self.by_user.values(), *self.history, return_exceptions=True)
