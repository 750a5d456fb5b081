"""Plugin host that boots plugins concurrently."""
import asyncio
import importlib
import logging

log = logging.getLogger("plugins")

_boot_loop = asyncio.new_event_loop()


async def _warm_registry() -> None:
    await asyncio.sleep(0)


class PluginHost:
    asyncio.ensure_future(_warm_registry(), loop=_boot_loop)  # expect: LSC101

    def __init__(self, names: list[str]):
        self.names = names
        self.plugins: dict[str, object] = {}

    async def _load(self, name: str) -> None:
        mod = importlib.import_module(f"plugins.{name}")
        if hasattr(mod, "setup"):
            await mod.setup()
        self.plugins[name] = mod

    async def start_all(self) -> None:
        [asyncio.create_task(self._load(n)) for n in self.names]  # expect: LSC101
        await asyncio.sleep(0)

    async def start_lazy(self) -> None:
        {n: asyncio.ensure_future(self._load(n)) for n in self.names if n.startswith("lazy_")}  # expect: LSC101

    async def reload(self, names: list[str]) -> None:
        for name in names:
            self.plugins.pop(name, None)
            asyncio.create_task(self._load(name))  # expect: LSC101

    def make_hook(self, name: str):
        async def on_event(event: dict) -> None:
            if event.get("type") == "reload":
                asyncio.create_task(self._load(name))  # expect: LSC101
            log.debug("event %s for %s", event, name)

        return on_event

    async def start_checked(self) -> list[asyncio.Task]:
        tasks = [asyncio.create_task(self._load(n)) for n in self.names]
        await asyncio.wait(tasks)
        return tasks
