"""WebSocket chat room handler (aiohttp-style)."""
import asyncio
import json
import logging
import signal

from aiohttp import WSMsgType, web

log = logging.getLogger(__name__)


class ChatRoom:
    def __init__(self) -> None:
        self.members: dict[str, web.WebSocketResponse] = {}
        self.history: list[dict] = []

    async def broadcast(self, payload: dict) -> None:
        data = json.dumps(payload)
        for name, ws in list(self.members.items()):
            try:
                await ws.send_str(data)
            except ConnectionResetError:
                self.members.pop(name, None)

    async def persist(self, payload: dict) -> None:
        await asyncio.sleep(0)  # pretend to write to a DB
        self.history.append(payload)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=30)
        await ws.prepare(request)
        name = request.query.get("name", "anon")
        self.members[name] = ws
        asyncio.create_task(self.broadcast({"event": "join", "who": name}))  # expect: LSC101

        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                payload = {"who": name, "text": msg.data}
                asyncio.create_task(self.persist(payload))  # expect: LSC101
                await self.broadcast(payload)
            elif msg.type == WSMsgType.ERROR:
                log.warning("ws error from %s: %s", name, ws.exception())

        self.members.pop(name, None)
        asyncio.ensure_future(  # expect: LSC101
            self.broadcast({"event": "leave", "who": name})
        )
        return ws


async def shutdown(app: web.Application) -> None:
    await app.shutdown()
    await app.cleanup()


def main() -> None:
    room = ChatRoom()
    app = web.Application()
    app.router.add_get("/ws", room.handle)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.create_task(shutdown(app)))  # expect: LSC101
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    loop.run_forever()


if __name__ == "__main__":
    main()
