"""LSC103: asyncio.create_task inside a TaskGroup block, not through the group.

The group waits for its own child but not for the loose task, which is still
pending when main() returns.
"""

import asyncio


async def step(name):
    await asyncio.sleep(0)
    print("step", name)


async def metrics(counter):
    await asyncio.sleep(0.05)
    counter.append(1)


async def main():
    counter = []
    async with asyncio.TaskGroup() as tg:
        tg.create_task(step("a"))
        asyncio.create_task(metrics(counter))
    print("group done")


if __name__ == "__main__":
    asyncio.run(main())
