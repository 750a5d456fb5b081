"""Sync tickets to an issue tracker whose client happens to have create_task()."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class Ticket:
    title: str
    assignee: str | None = None
    tags: list[str] = field(default_factory=list)


class TrackerClient:
    """Thin synchronous wrapper over the tracker's REST API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.created: list[Ticket] = []

    def create_task(self, ticket: Ticket) -> str:
        self.created.append(ticket)
        return f"{self.base_url}/t/{len(self.created)}"


def create_task(title: str, *tags: str) -> Ticket:
    """Build a Ticket (unrelated to asyncio.create_task)."""
    return Ticket(title, tags=list(tags))


class Scheduler:
    """Cron-like job table; create_task only records an entry."""

    def __init__(self) -> None:
        self.entries: list[tuple] = []

    def create_task(self, fn, *args) -> None:
        self.entries.append((fn, args))


class Service:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()

    def create_task(self, coro) -> asyncio.Task:
        t = asyncio.create_task(coro)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)
        return t

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(30)

    async def start(self) -> None:
        self.create_task(self._poll())


async def sync_backlog(tracker: TrackerClient, titles: list[str], cron: Scheduler) -> int:
    for title in titles:
        tracker.create_task(create_task(title, "backlog"))
        cron.create_task(print, title)
    create_task("sync complete")
    async with asyncio.TaskGroup() as tg:
        for title in titles:
            tg.create_task(asyncio.to_thread(tracker.create_task, Ticket(title)))
    return len(tracker.created)


def seed(tracker: TrackerClient) -> None:
    for name in ("triage", "release"):
        tracker.create_task(Ticket(name))
