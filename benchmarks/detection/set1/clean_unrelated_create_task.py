"""Todo <-> Jira sync: several create_task APIs that have nothing to do with asyncio."""
import asyncio
import logging
from dataclasses import dataclass

from jira import JIRA

log = logging.getLogger(__name__)


@dataclass
class Todo:
    title: str
    done: bool = False


TODOS: list[Todo] = []


def create_task(title: str) -> Todo:
    todo = Todo(title)
    TODOS.append(todo)
    return todo


class Scheduler:
    def __init__(self) -> None:
        self.jobs: list = []

    def create_task(self, fn, every: int) -> int:
        self.jobs.append((fn, every))
        return len(self.jobs)


def sync_from_jira(jira: JIRA, project: str) -> None:
    for issue in jira.search_issues(f"project={project}"):
        create_task(issue.fields.summary)


def mirror_to_jira(jira: JIRA, project: str) -> None:
    for todo in TODOS:
        if not todo.done:
            jira.create_task(project=project, summary=todo.title)


def register_jobs(scheduler: Scheduler) -> None:
    scheduler.create_task(lambda: log.info("tick"), every=60)
    scheduler.create_task(lambda: create_task("daily standup"), every=86400)


async def async_sync(jira: JIRA, project: str, client) -> None:
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sync_from_jira, jira, project)
    await client.tasks.create_task(name="sync-complete")
    client.celery.create_task("reindex")
    [create_task(f"follow up {i}") for i in range(3)]
