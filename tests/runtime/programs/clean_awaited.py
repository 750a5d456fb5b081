"""Clean: tasks are awaited or cancelled and awaited; cancellation is re-raised."""

import asyncio


async def ticker(ticks):
    while True:
        try:
            await asyncio.sleep(0.01)
            ticks.append(1)
        except asyncio.CancelledError:
            ticks.clear()
            raise


async def compute(n):
    await asyncio.sleep(0.01)
    return n + 1


async def main():
    ticks = []
    background = asyncio.create_task(ticker(ticks))
    result = await asyncio.create_task(compute(41))
    background.cancel()
    try:
        await background
    except asyncio.CancelledError:
        print("ticker stopped")
    print("result", result)


if __name__ == "__main__":
    asyncio.run(main())
