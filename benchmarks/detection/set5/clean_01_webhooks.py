"""Webhook receiver that keeps strong references to its background work."""
import asyncio
import logging
from typing import Coroutine, Optional

from aiohttp import web

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

HELP = "never call asyncio.create_task(x) or asyncio.ensure_future(x) and drop the result"


class Dispatcher:
    def __init__(self) -> None:
        self._background: set[asyncio.Task] = set()

    def spawn(self, coro: Coroutine, *, name: Optional[str] = None) -> asyncio.Task:
        task = asyncio.create_task(coro, name=name)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    async def close(self) -> None:
        tasks = list(self._background)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def deliver(url: str, payload: bytes) -> None:
    await asyncio.sleep(0)


async def refresh_subscriptions(app: web.Application) -> None:
    while True:
        app["subs"] = {"orders": ["https://example.invalid/hook"]}
        await asyncio.sleep(60)


@routes.post("/hooks/{topic}")
async def receive(request: web.Request) -> web.Response:
    disp: Dispatcher = request.app["dispatcher"]
    payload = await request.read()
    # Do NOT write asyncio.create_task(deliver(...)) here -- it may be GC'd.
    for url in request.app["subs"].get(request.match_info["topic"], ()):
        disp.spawn(deliver(url, payload), name=f"deliver:{url}")
    return web.json_response({"ok": True, "hint": HELP})


async def on_startup(app: web.Application) -> None:
    app["dispatcher"] = Dispatcher()
    app["subs"] = {}
    app["refresher"] = asyncio.create_task(refresh_subscriptions(app))


async def on_cleanup(app: web.Application) -> None:
    refresher: asyncio.Task = app["refresher"]
    refresher.cancel()
    try:
        await refresher
    except asyncio.CancelledError:
        pass
    await app["dispatcher"].close()


def make_app() -> web.Application:
    app = web.Application()
    app.add_routes(routes)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
