"""LSC102: a task handle bound to a name and never used again."""

import asyncio


async def refresh(state):
    state["refreshing"] = True
    await asyncio.sleep(0.03)  # stands in for the fetch
    state["fresh"] = True


async def lookup(state, key):
    task = asyncio.create_task(refresh(state))
    value = key * 2
    print("lookup", key, "->", value)
    return value


async def main():
    state = {}
    total = await lookup(state, 3) + await lookup(state, 4)
    print("total", total)


if __name__ == "__main__":
    asyncio.run(main())
