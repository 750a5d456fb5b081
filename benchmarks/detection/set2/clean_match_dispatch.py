"""Command dispatcher for an admin socket, using structural pattern matching."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class Command:
    verb: str
    args: tuple[str, ...] = ()


class Admin:
    def __init__(self) -> None:
        self.jobs: dict[str, asyncio.Task] = {}

    async def _reindex(self, index: str) -> int:
        await asyncio.sleep(0.1)
        return 42

    async def _vacuum(self) -> None:
        await asyncio.sleep(0.1)

    async def handle(self, cmd: Command) -> str:
        match cmd:
            case Command(verb="reindex", args=(index,)):
                self.jobs[index] = asyncio.create_task(self._reindex(index))
                return f"reindexing {index}"
            case Command(verb="reindex", args=(index, "--wait")):
                task = asyncio.create_task(self._reindex(index))
                self.jobs[index] = task
                try:
                    count = await asyncio.wait_for(asyncio.shield(task), 5)
                except TimeoutError:
                    return f"still reindexing {index}"
                return f"reindexed {count}"
            case Command(verb="vacuum"):
                vac = asyncio.create_task(self._vacuum())
                match cmd.args:
                    case ("--background",):
                        self.jobs["vacuum"] = vac
                        return "vacuum scheduled"
                    case ():
                        await vac
                        return "vacuumed"
                    case _:
                        vac.cancel()
                        return "bad vacuum args"
            case Command(verb="cancel", args=(name,)):
                if (job := self.jobs.pop(name, None)) is not None:
                    job.cancel()
                    return f"cancelled {name}"
                return f"no job {name}"
            case _:
                raise ValueError(f"unknown command {cmd.verb!r}")

    async def run_script(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            verb, *args = line.split()
            pending = asyncio.create_task(self.handle(Command(verb, tuple(args))))
            match verb:
                case "cancel" | "noop":
                    out.append(await pending)
                case "reindex" | "vacuum":
                    out.append(await asyncio.wait_for(pending, 10))
                case _:
                    pending.cancel()
                    raise SyntaxError(line)
        return out

    async def status(self, name: str) -> str:
        probe = asyncio.create_task(asyncio.sleep(0, result=self.jobs.get(name)))
        match await probe:
            case None:
                return "unknown"
            case task if task.done():
                return "finished"
            case _:
                return "running"
