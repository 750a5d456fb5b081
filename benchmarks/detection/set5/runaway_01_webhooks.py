"""Webhook receiver: fans incoming events out to subscribers.

Historical note: the old version did ``aio.create_task(deliver(...))`` and
lost deliveries under load.  That sentence is documentation, not code.
"""
from __future__ import annotations

import asyncio as aio
import logging
from dataclasses import dataclass, field

from aiohttp import web

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


@dataclass
class Subscriber:
    url: str
    secret: str = ""
    failures: int = field(default=0)


async def deliver(sub: Subscriber, payload: bytes) -> None:
    await aio.sleep(0)  # placeholder for the signed HTTP POST
    log.debug("delivered %d bytes to %s", len(payload), sub.url)


async def audit(event: str) -> None:
    await aio.sleep(0)
    log.info("audit: %s", event)


@routes.post("/hooks/{topic}")
async def receive(request: web.Request) -> web.Response:
    topic = request.match_info["topic"]
    payload = await request.read()
    subs: list[Subscriber] = request.app["subs"].get(topic, [])
    # fire-and-forget (see module docstring for why this is a problem)
    for sub in subs:
        aio.ensure_future(deliver(sub, payload))  # expect: LSC101
    aio.create_task(  # expect: LSC101
        audit(f"received {topic}"),
        name=f"audit-{topic}",
    )
    return web.json_response({"queued": len(subs)})


@routes.post("/hooks/{topic}/replay")
async def replay(request: web.Request) -> web.Response:
    topic = request.match_info["topic"]
    body = await request.json()
    subs = request.app["subs"].get(topic, [])
    [aio.create_task(deliver(s, body["payload"].encode())) for s in subs if s.failures < 3]  # expect: LSC101
    aio.create_task(audit(f"replay {topic}")) if body.get("audit") else None  # expect: LSC101
    return web.Response(status=202)


async def on_startup(app: web.Application) -> None:
    app["subs"] = {}
    loop = aio.get_running_loop()
    loop.create_task(audit("startup"))  # expect: LSC101


def make_app() -> web.Application:
    app = web.Application()
    app.add_routes(routes)
    app.on_startup.append(on_startup)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), port=8080)
