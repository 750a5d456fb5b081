"""Callbacks, statement comprehensions and nested coroutine functions."""
from __future__ import annotations

import asyncio
import signal

from ..db import save_user
from ..hooks import fire_hook


async def notify_done(task: asyncio.Task) -> None:
    await asyncio.sleep(0)


async def shutdown(loop: asyncio.AbstractEventLoop) -> None:
    loop.stop()


async def install() -> None:
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, lambda: shutdown(loop))  # expect: LSC301
    loop.call_soon(lambda: save_user({"id": 0}))  # expect: LSC301
    loop.call_later(5.0, lambda: fire_hook("tick"))  # expect: LSC301
    task = asyncio.create_task(save_user({"id": 1}))
    task.add_done_callback(lambda t: notify_done(t))  # expect: LSC301


def fan_out(users: list[dict]) -> None:
    [save_user(u) for u in users]  # expect: LSC301
    {fire_hook(u["name"]) for u in users}  # expect: LSC301


async def orchestrate(users: list[dict]) -> None:
    async def audit(user: dict) -> None:
        await save_user(user)

    for user in users:
        audit(user)  # expect: LSC301


def setup() -> None:
    async def _boot() -> None:
        await fire_hook("boot")

    _boot()  # expect: LSC301


async def collect_rows() -> list[int]:
    # the yield belongs to the nested sync generator: collect_rows is a coroutine function
    def numbers():
        yield from range(3)

    return list(numbers())


async def gather_chunks() -> list[bytes]:
    # the yield belongs to the nested async generator: still a coroutine function
    async def chunks():
        yield b"a"

    return [c async for c in chunks()]


def preload() -> None:
    collect_rows()  # expect: LSC301
    gather_chunks()  # expect: LSC301
