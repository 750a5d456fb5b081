"""Clean: every task is a child of a TaskGroup; nothing leaks."""

import asyncio


async def square(n):
    await asyncio.sleep(0.01 * n)
    return n * n


async def main():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(square(n)) for n in range(1, 4)]
    print("squares", [t.result() for t in tasks])


if __name__ == "__main__":
    asyncio.run(main())
