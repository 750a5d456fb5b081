"""Integration tests for the chat server (pytest-asyncio)."""
import asyncio
import contextlib

import pytest

from chat.client import ChatClient
from chat.server import ChatServer


@pytest.fixture
async def server():
    srv = ChatServer(port=0)
    await srv.start()
    yield srv
    await srv.stop()


async def worker(client: ChatClient, i: int) -> str:
    await client.send(f"hello {i}")
    return await client.recv()


def _safe_close(sock) -> None:
    try:
        sock.close()
    except BaseException:
        pass


@pytest.mark.asyncio
async def test_two_clients_broadcast(server):
    alice = await ChatClient.connect(server.port, "alice")
    bob = await ChatClient.connect(server.port, "bob")
    async with asyncio.TaskGroup() as tg:
        tg.create_task(alice.send("hi bob"))
        tg.create_task(bob.send("hi alice"))
    assert await alice.recv() == "bob: hi alice"


@pytest.mark.asyncio
async def test_many_workers(server):
    client = await ChatClient.connect(server.port, "load")
    replies = await asyncio.gather(*[worker(client, i) for i in range(5)], return_exceptions=True)
    assert not [r for r in replies if isinstance(r, Exception)]


@pytest.mark.asyncio
async def test_slow_consumers_time_out(server):
    clients = [await ChatClient.connect(server.port, f"c{i}") for i in range(3)]
    tasks = [asyncio.create_task(c.recv()) for c in clients]
    done, pending = await asyncio.wait(tasks, timeout=0.5)
    for task in pending:
        task.cancel()
    assert not done
    assert len(pending) == 3


@pytest.mark.asyncio
async def test_cancel_propagates(server):
    client = await ChatClient.connect(server.port, "cancel")
    task = asyncio.create_task(client.run_until_closed())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()


@pytest.mark.asyncio
async def test_reconnect(server):
    client = await ChatClient.connect(server.port, "re")
    await server.kick("re")
    async with asyncio.timeout(3.0):
        await client.wait_disconnected()
        await client.reconnect()
    assert client.connected


@pytest.mark.asyncio
async def test_server_survives_client_crash(server):
    client = await ChatClient.connect(server.port, "crash")
    client.abort()
    with contextlib.suppress(ConnectionError):
        await client.send("after abort")
    await asyncio.wait_for(server.wait_client_count(0), 1.0)
    _safe_close(client.sock)
