"""Plugin system that boots background services declared by plugins."""
import asyncio
import asyncio as aio
from asyncio import ensure_future as schedule


async def noop() -> None:
    await asyncio.sleep(0)


class Plugin:
    name = "base"

    async def start(self) -> None:
        await noop()

    async def service(self) -> None:
        while True:
            await asyncio.sleep(60)

    def boot(self, loop: asyncio.AbstractEventLoop, replicas: int = 1) -> None:
        for _ in range(replicas):
            loop.create_task(self.service())  # expect: LSC101


class MetricsPlugin(Plugin):
    name = "metrics"
    schedule(noop())  # expect: LSC101

    async def start(self) -> None:
        await asyncio.sleep(0.1)


def register_all(plugins: list[Plugin], loop: asyncio.AbstractEventLoop) -> None:
    [loop.create_task(p.start()) for p in plugins]  # expect: LSC101


def attach(plugin: Plugin, loop) -> None:
    if plugin.name != "base":
        loop.create_task(plugin.start())  # expect: LSC101


def bootstrap(plugins: list[Plugin]) -> None:
    ev = asyncio.get_event_loop()
    for p in plugins:
        if p.name == "metrics":
            continue
        ev.create_task(p.start())  # expect: LSC101


async def supervise(plugins: list[Plugin]) -> None:
    loop = asyncio.get_running_loop()

    def restart(plugin: Plugin) -> None:
        aio.create_task(plugin.start())  # expect: LSC101

    for plugin in plugins:
        loop.call_later(5.0, restart, plugin)
        loop.call_soon(lambda p=plugin: aio.ensure_future(p.start()))  # expect: LSC101

    {aio.create_task(p.service()) for p in plugins}  # expect: LSC101
    while plugins:
        await asyncio.sleep(1)


async def reload_forever(plugins: list[Plugin]) -> None:
    while True:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            break
        for p in plugins:
            try:
                schedule(p.start())  # expect: LSC101
            except RuntimeError:
                continue
