"""Integration tests for the echo server (unittest + pytest-asyncio)."""
import asyncio
import unittest

import pytest

HOST = "127.0.0.1"


async def echo_server(host: str, port: int, ready: asyncio.Event) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await reader.read(100))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, host, port)
    ready.set()
    async with server:
        await server.serve_forever()


class EchoServerTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        self.ready = asyncio.Event()
        asyncio.create_task(echo_server(HOST, 8899, self.ready))  # expect: LSC101
        await self.ready.wait()

    async def test_roundtrip(self) -> None:
        reader, writer = await asyncio.open_connection(HOST, 8899)
        writer.write(b"hi")
        await writer.drain()
        self.assertEqual(await reader.read(100), b"hi")
        writer.close()

    async def test_concurrent_clients(self) -> None:
        async def client(i: int) -> bytes:
            r, w = await asyncio.open_connection(HOST, 8899)
            w.write(str(i).encode())
            data = await r.read(100)
            w.close()
            return data

        results = await asyncio.gather(*(client(i) for i in range(5)))
        self.assertEqual(sorted(results), [b"0", b"1", b"2", b"3", b"4"])

    async def test_slow_client_is_dropped(self) -> None:
        probe = asyncio.create_task(asyncio.open_connection(HOST, 8899))  # expect: LSC102
        with self.assertRaises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.sleep(10), timeout=0.01)


@pytest.fixture
async def server():
    ready = asyncio.Event()
    task = asyncio.create_task(echo_server(HOST, 8900, ready))
    await ready.wait()
    yield HOST, 8900
    task.cancel()


@pytest.mark.asyncio
async def test_server_fixture(server):
    host, port = server
    asyncio.ensure_future(asyncio.open_connection(host, port))  # expect: LSC101
    r, w = await asyncio.open_connection(host, port)
    w.close()


@pytest.mark.asyncio
async def test_timeout_raises():
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.sleep(1), 0.001)
    asyncio.get_running_loop().create_task(asyncio.sleep(0))  # expect: LSC101


if __name__ == "__main__":
    unittest.main()
