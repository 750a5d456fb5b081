"""LSC101: a spawner registered as a callback (loop.call_soon(asyncio.ensure_future, coro)): nobody keeps the task."""

import asyncio


async def refresh(cache, key):
    await asyncio.sleep(0.5 if key == "slow" else 0)
    cache[key] = "fresh"


async def main():
    loop = asyncio.get_running_loop()
    cache = {}
    for key in ["fast", "slow"]:
        loop.call_soon(asyncio.ensure_future, refresh(cache, key))
    await asyncio.sleep(0.05)
    print("cache", sorted(cache.items()))


if __name__ == "__main__":
    asyncio.run(main())
