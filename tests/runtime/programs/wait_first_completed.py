"""LSC203: asyncio.wait(FIRST_COMPLETED) over the function's own tasks; the loser is never cancelled."""

import asyncio


async def ask(server, delay):
    await asyncio.sleep(delay)
    return server


async def first_reply():
    tasks = [asyncio.create_task(ask("fast", 0)), asyncio.create_task(ask("slow", 0.05))]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    return done.pop().result()


async def main():
    print("winner", await first_reply())


if __name__ == "__main__":
    asyncio.run(main())
