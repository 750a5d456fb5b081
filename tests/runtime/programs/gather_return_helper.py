"""LSC204: return await gather(...) in a helper; one child fails, the other leaks.

Nothing catches the failure: main() raises and the program exits non-zero,
before and after the fix (ValueError before, an ExceptionGroup after).
"""

import asyncio


async def fetch(name, delay, fail):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return name


async def fetch_both():
    return await asyncio.gather(fetch("a", 0, True), fetch("b", 0.05, False))


async def main():
    print("fetching")
    print(await fetch_both())


if __name__ == "__main__":
    asyncio.run(main())
