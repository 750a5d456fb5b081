"""LSC201: gather(*[job(i) for i in range(3)]) where job(1) fails; jobs 0 and 2 leak."""

import asyncio


async def job(i):
    if i == 1:
        await asyncio.sleep(0)
        raise ValueError(i)
    await asyncio.sleep(0.05)
    return i


async def main():
    try:
        results = await asyncio.gather(*[job(i) for i in range(3)])
        print("results", results)
    except ValueError:
        print("failed")
    print("after")


if __name__ == "__main__":
    asyncio.run(main())
