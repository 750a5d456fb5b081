"""Log shipper that compacts and uploads shards, losing track of handles."""
import asyncio
import logging
from pathlib import Path

log = logging.getLogger("shipper")


async def compact(path: Path) -> Path:
    await asyncio.sleep(0.1)
    return path.with_suffix(".gz")


async def upload(path: Path) -> None:
    await asyncio.sleep(0.1)
    log.info("uploaded %s", path.name)


async def notify(channel: str, text: str) -> None:
    await asyncio.sleep(0)


class Shipper:
    def __init__(self, root: Path):
        self.root = root

    async def compact_all(self) -> None:
        shards = sorted(self.root.glob("*.log"))
        t = None
        for shard in shards:
            t = asyncio.create_task(compact(shard))  # expect: LSC102
            log.info("compacting %s", shard.name)
        if t is not None:
            await t

    async def upload_all(self) -> None:
        for path in self.root.glob("*.gz"):
            job = asyncio.create_task(upload(path))  # expect: LSC102
            job.add_done_callback(lambda _f, p=path: log.debug("done %s", p))

    async def rotate(self) -> None:
        handle = asyncio.create_task(notify("#ops", "rotation starting"))  # expect: LSC102
        handle = asyncio.create_task(compact(self.root / "current.log"))
        await handle

    async def drain(self, queue: asyncio.Queue) -> None:
        worker = None
        while not queue.empty():
            path = queue.get_nowait()
            worker = asyncio.create_task(upload(path))  # expect: LSC102
        if worker:
            await worker
