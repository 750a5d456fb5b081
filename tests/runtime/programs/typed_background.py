"""LSC101: fire-and-forget in an annotated module (the fix's helpers are annotated: they must still run)."""

import asyncio

DONE: list[str] = []


async def notify(user: str) -> None:
    await asyncio.sleep(0.5 if user == "slow" else 0)
    DONE.append(user)


async def handle(user: str) -> str:
    asyncio.create_task(notify(user))
    return f"handled {user}"


async def main():
    print(await handle("fast"))
    print(await handle("slow"))
    await asyncio.sleep(0.05)
    print("notified", DONE)


if __name__ == "__main__":
    asyncio.run(main())
