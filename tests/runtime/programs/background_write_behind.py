"""LSC101: a cache's write-behind (wait=False) is deliberate background work.

The fix must not make set_value() wait for the write: the store is still
empty when it returns, as before. Keeping a reference is enough.
"""

import asyncio


async def write(store, key, value):
    await asyncio.sleep(0.02)  # stands in for the slow backend
    store[key] = value
    print("written", key)


async def set_value(store, key, value, wait=True):
    if wait:
        await write(store, key, value)
    else:
        asyncio.create_task(write(store, key, value))


async def main():
    store = {}
    await set_value(store, "a", 1, wait=False)
    print("set returned", store)


if __name__ == "__main__":
    asyncio.run(main())
