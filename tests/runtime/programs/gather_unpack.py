"""LSC201: a, b = await gather(f(1), f(2)) where f(1) fails and f(2) is left running."""

import asyncio


async def f(n):
    if n == 1:
        raise ValueError(n)
    await asyncio.sleep(0.05)
    return n * 10


async def main():
    try:
        a, b = await asyncio.gather(f(1), f(2))
        print("sum", a + b)
    except ValueError:
        print("failed")
    print("after")


if __name__ == "__main__":
    asyncio.run(main())
