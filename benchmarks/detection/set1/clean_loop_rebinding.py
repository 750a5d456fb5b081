"""Sharded index rebuild: per-iteration handles are all kept."""
import asyncio
import logging

import aiofiles

log = logging.getLogger(__name__)


async def rebuild_shard(shard: int) -> int:
    await asyncio.sleep(0.01)
    return shard


class IndexRebuilder:
    def __init__(self, shards: int) -> None:
        self.shards = shards
        self.running: list[asyncio.Task[int]] = []

    async def rebuild_parallel(self) -> list[int]:
        tasks = []
        for shard in range(self.shards):
            t = asyncio.create_task(rebuild_shard(shard))
            tasks.append(t)
        return await asyncio.gather(*tasks)

    async def rebuild_sequential(self) -> list[int]:
        out = []
        for shard in range(self.shards):
            t = asyncio.create_task(rebuild_shard(shard))
            out.append(await t)
        return out

    async def rebuild_tracked(self) -> None:
        for shard in range(self.shards):
            task = asyncio.create_task(rebuild_shard(shard), name=f"shard-{shard}")
            self.running.append(task)
        await asyncio.wait(self.running)

    async def rebuild_as_completed(self) -> int:
        total = 0
        pending = {asyncio.create_task(rebuild_shard(s)) for s in range(self.shards)}
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            total += sum(t.result() for t in done)
        return total

    async def rebuild_with_log(self, path: str) -> None:
        async with aiofiles.open(path, "w") as fh:
            for shard in range(self.shards):
                job = asyncio.create_task(rebuild_shard(shard))
                await fh.write(f"shard {await job}\n")

    async def rebuild_pipelined(self) -> int:
        prev = None
        last = 0
        for shard in range(self.shards):
            nxt = asyncio.create_task(rebuild_shard(shard))
            if prev is not None:
                last = await prev
            prev = nxt
        if prev is not None:
            last = await prev
        return last
