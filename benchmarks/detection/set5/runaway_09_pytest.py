"""Integration tests for the in-process pub/sub broker."""
import asyncio

import pytest
import pytest_asyncio

from app.pubsub import Broker


async def consume(broker: Broker, name: str, out: list) -> None:
    async for msg in broker.subscribe("t"):
        out.append((name, msg))


@pytest_asyncio.fixture
async def broker():
    b = Broker()
    pump = asyncio.create_task(b.pump())  # expect: LSC102
    yield b
    await b.close()


@pytest.mark.asyncio
async def test_fanout(broker: Broker) -> None:
    received: list = []
    async with asyncio.TaskGroup() as tg:
        for name in ("a", "b"):
            tg.create_task(consume(broker, name, received))
        await asyncio.sleep(0)
        publisher = asyncio.create_task(broker.publish("t", "hi"))  # expect: LSC103
        await publisher
        await broker.close()
    assert sorted(received) == [("a", "hi"), ("b", "hi")]


@pytest.mark.asyncio
@pytest.mark.parametrize("n", [1, 5, 50])
async def test_many_publishers(broker: Broker, n: int) -> None:
    results = await asyncio.gather(*(broker.publish("t", i) for i in range(n)), return_exceptions=True)  # expect: LSC202
    assert broker.published == n


@pytest.mark.asyncio
async def test_subscription_times_out(broker: Broker) -> None:
    sub = broker.subscribe("t")
    try:
        await asyncio.wait_for(sub.__anext__(), 0.01)
    except (asyncio.TimeoutError, asyncio.CancelledError):  # expect: LSC401
        pass
    assert broker.subscribers("t") == 1


@pytest.mark.asyncio
async def test_reconnect_on_failure(broker: Broker) -> None:
    fut = asyncio.get_running_loop().create_future()
    fut.add_done_callback(lambda _: asyncio.ensure_future(broker.reconnect()))  # expect: LSC101
    fut.set_result(None)
    await asyncio.sleep(0)
    assert broker.reconnects == 1


@pytest.mark.asyncio
async def test_publish_order(broker: Broker) -> None:
    seen: list = []
    consumer = asyncio.create_task(consume(broker, "c", seen))
    for i in range(3):
        await broker.publish("t", i)
    await broker.close()
    await consumer
    assert [m for _, m in seen] == [0, 1, 2]
