"""Async networking helpers."""
import asyncio
import json
import logging

log = logging.getLogger(__name__)


async def send_message(host: str, payload: dict) -> int:
    reader, writer = await asyncio.open_connection(host, 9000)
    data = json.dumps(payload).encode()
    writer.write(data)
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    return len(data)


async def ping(host: str, timeout: float = 1.0) -> bool:
    try:
        await asyncio.wait_for(asyncio.open_connection(host, 7), timeout)
    except (OSError, asyncio.TimeoutError):
        return False
    return True


def format_host(host: str, port: int) -> str:
    return f"{host}:{port}"


class BaseClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.open = True

    async def request(self, method: str, path: str, body: dict | None = None) -> dict:
        await asyncio.sleep(0)
        log.debug("%s %s", method, self.url_for(path))
        return {"method": method, "path": path, "body": body}

    async def close(self) -> None:
        await asyncio.sleep(0)
        self.open = False

    def url_for(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


class HttpClient(BaseClient):
    async def get(self, path: str) -> dict:
        return await self.request("GET", path)

    async def post(self, path: str, body: dict) -> dict:
        return await self.request("POST", path, body)
