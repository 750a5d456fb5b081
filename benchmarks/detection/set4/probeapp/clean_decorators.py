"""Decorated callables whose calls do not hand back coroutines."""
import asyncio
import logging

from textual import work as ui_work

from .ctx import Ticker, iter_rows, open_session
from .decorators import timed, work
from .tasks import Worker, compact_storage, rebuild_index, vacuum

log = logging.getLogger(__name__)


class WeatherPanel:
    """Widget-style class: @work methods start workers and return immediately."""

    def __init__(self, city: str) -> None:
        self.city = city
        self.forecast: dict | None = None

    @ui_work(exclusive=True)
    async def update_weather(self) -> None:
        await asyncio.sleep(0)
        self.forecast = {"city": self.city}

    @work
    async def load_history(self) -> None:
        await asyncio.sleep(0)
        log.info("history loaded for %s", self.city)

    def on_mount(self) -> None:
        self.update_weather()
        self.load_history()

    def on_input_changed(self, value: str) -> None:
        self.city = value
        self.update_weather()


@timed
def render(rows: list[str]) -> None:
    print("\n".join(rows))


async def maintenance(names: list[str]) -> None:
    for name in names:
        rebuild_index(name)
    compact_storage("/var/lib/probeapp")
    vacuum("/tmp")
    render(names)
    worker = Worker("bg")
    worker.warm_up()


async def with_session(keys: list[str]) -> int:
    cm = open_session("reports")
    seen = 0
    async with cm as repo:
        await repo.save("k", 1)
        async for _key, _value in iter_rows(repo, keys):
            seen += 1
    async with open_session() as other:
        other.close()
    async for _tick in Ticker(0.01, 2):
        seen += 1
    return seen


if __name__ == "__main__":
    asyncio.run(maintenance(["users"]))
