"""LSC301: an async def called without await as a statement; the coroutine never runs."""

import asyncio


async def record_hit(stats, key):
    await asyncio.sleep(0)
    stats[key] = stats.get(key, 0) + 1


async def serve(stats, path):
    record_hit(stats, path)
    return "page " + path


async def main():
    stats = {}
    print(await serve(stats, "/home"))


if __name__ == "__main__":
    asyncio.run(main())
