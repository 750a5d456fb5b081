"""LSC201: gather(fails(), slow()) in try/except; slow() keeps running."""

import asyncio


async def fails():
    await asyncio.sleep(0)
    raise ValueError("boom")


async def slow():
    await asyncio.sleep(0.05)


async def main():
    try:
        await asyncio.gather(fails(), slow())
    except ValueError:
        print("failed")
    print("after")


if __name__ == "__main__":
    asyncio.run(main())
