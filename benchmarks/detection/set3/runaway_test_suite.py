"""Integration tests for the chat server (run with pytest-asyncio)."""
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


@pytest.mark.asyncio
async def test_two_clients_broadcast(server):
    alice = await ChatClient.connect(server.port, "alice")
    bob = await ChatClient.connect(server.port, "bob")
    await asyncio.gather(alice.send("hi bob"), bob.send("hi alice"))  # expect: LSC204
    assert await alice.recv() == "bob: hi alice"
    assert await bob.recv() == "alice: hi bob"


@pytest.mark.asyncio
async def test_many_workers(server):
    client = await ChatClient.connect(server.port, "load")
    replies = await asyncio.gather(*[worker(client, i) for i in range(5)])  # expect: LSC204
    assert len(replies) == 5


@pytest.mark.asyncio
async def test_slow_consumers_time_out(server):
    clients = [await ChatClient.connect(server.port, f"c{i}") for i in range(3)]
    tasks = [asyncio.create_task(c.recv()) for c in clients]
    done, pending = await asyncio.wait(tasks, timeout=0.5)  # expect: LSC203
    assert not done
    assert len(pending) == 3


@pytest.mark.asyncio
async def test_client_runs_until_closed(server):
    client = await ChatClient.connect(server.port, "closer")
    server.close_after(0.1)
    with contextlib.suppress(asyncio.CancelledError):  # expect: LSC401
        await client.run_until_closed()
    assert client.closed


@pytest.mark.asyncio
async def test_reconnect(server):
    client = await ChatClient.connect(server.port, "re")
    await server.kick("re")
    await asyncio.wait_for(client.wait_disconnected(), 1.0)  # expect: LSC501
    await asyncio.wait_for(client.reconnect(), 2.0)  # expect: LSC501
    assert client.connected
