"""LSC203: asyncio.wait(FIRST_EXCEPTION) whose done set nobody reads: the failure is lost, the rest run on."""

import asyncio


async def probe(server, delay):
    await asyncio.sleep(delay)
    if server == "broken":
        raise ConnectionError(server)
    return server


async def probe_all():
    tasks = [asyncio.create_task(probe("broken", 0)), asyncio.create_task(probe("slow", 0.05))]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print("probed")


async def main():
    await probe_all()


if __name__ == "__main__":
    asyncio.run(main())
