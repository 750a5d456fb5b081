"""Integration tests for the in-process pub/sub broker (well-behaved)."""
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
    pump = asyncio.create_task(b.pump())
    yield b
    pump.cancel()
    try:
        await pump
    except asyncio.CancelledError:
        pass


@pytest.mark.asyncio
async def test_fanout(broker: Broker) -> None:
    received: list = []
    async with asyncio.TaskGroup() as tg:
        tg.create_task(consume(broker, "a", received))
        tg.create_task(consume(broker, "b", received))
        await asyncio.sleep(0)
        await asyncio.create_task(broker.publish("t", "hi"))
        await broker.close()
    assert sorted(received) == [("a", "hi"), ("b", "hi")]


@pytest.mark.asyncio
@pytest.mark.parametrize("n", [1, 5, 50])
async def test_many_publishers(broker: Broker, n: int) -> None:
    results = await asyncio.gather(
        *(broker.publish("t", i) for i in range(n)),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert broker.published == n


@pytest.mark.asyncio
async def test_cancel_propagates(broker: Broker) -> None:
    sub = asyncio.create_task(broker.next_message("t"))
    await asyncio.sleep(0)
    sub.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sub


@pytest.mark.asyncio
async def test_subscription_times_out(broker: Broker) -> None:
    sub = broker.subscribe("t")
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(sub.__anext__(), 0.01)


@pytest.mark.asyncio
async def test_publish_order(broker: Broker) -> None:
    seen: list = []
    consumers = {name: asyncio.create_task(consume(broker, name, seen)) for name in "xy"}
    for i in range(3):
        await broker.publish("t", i)
    await broker.close()
    for name, task in consumers.items():
        await task
    assert len(seen) == 6


def test_sync_entrypoint() -> None:
    loop = asyncio.new_event_loop()
    try:
        b = Broker()
        assert loop.run_until_complete(b.ping()) == "pong"
    finally:
        loop.close()
