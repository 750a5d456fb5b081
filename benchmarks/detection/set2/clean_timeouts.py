"""Backend request helpers with deadlines, built on asyncio.timeout()."""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


class DeadlineExceeded(Exception):
    pass


async def call_backend(path: str) -> bytes:
    await asyncio.sleep(0.05)
    return path.encode()


async def fetch_with_deadline(path: str, seconds: float) -> bytes:
    task = asyncio.create_task(call_backend(path))
    try:
        async with asyncio.timeout(seconds):
            return await task
    except TimeoutError:
        raise DeadlineExceeded(path) from None


async def fetch_checked(path: str, allowed: set[str]) -> bytes:
    task = asyncio.create_task(call_backend(path))
    if path not in allowed:
        log.warning("blocked %s", path)
        raise PermissionError(path)
    return await task


async def fetch_any(paths: list[str], seconds: float) -> bytes | None:
    for path in paths:
        attempt = asyncio.create_task(call_backend(path))
        try:
            async with asyncio.timeout(seconds):
                data = await attempt
        except TimeoutError:
            log.info("timeout on %s, trying next", path)
            continue
        if data:
            return data
    return None


async def fetch_or_default(path: str, seconds: float, default: bytes = b"") -> bytes:
    task = asyncio.ensure_future(call_backend(path))
    try:
        return await asyncio.wait_for(task, seconds)
    except asyncio.TimeoutError:
        return default


async def fetch_shielded(path: str, seconds: float, late: dict[str, asyncio.Task]) -> bytes:
    task = asyncio.create_task(call_backend(path))
    try:
        async with asyncio.timeout(seconds):
            return await asyncio.shield(task)
    except TimeoutError:
        late[path] = task  # caller collects the late result later
        return b""


async def fetch_with_budget(paths: list[str], budget: float) -> dict[str, bytes]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    results: dict[str, bytes] = {}
    async with asyncio.timeout_at(deadline) as cm:
        for path in paths:
            job = loop.create_task(call_backend(path))
            try:
                results[path] = await job
            except OSError:
                if cm.expired():
                    raise
                continue
    return results
