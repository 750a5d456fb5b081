"""LSC101: asyncio.ensure_future(coro) used as a statement in main()."""

import asyncio


async def warm_cache(cache):
    cache["warming"] = True
    await asyncio.sleep(0.05)  # stands in for loading the cache
    cache["ready"] = True


async def main():
    cache = {}
    asyncio.ensure_future(warm_cache(cache))
    print("started")
    await asyncio.sleep(0)
    print("finished")


if __name__ == "__main__":
    asyncio.run(main())
