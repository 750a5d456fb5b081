"""LSC101: a while loop drains a fixed backlog, dropping each spawned task."""

import asyncio


async def deliver(message, outbox):
    envelope = {"body": message}
    await asyncio.sleep(0.02)  # stands in for the network round trip
    outbox.append(envelope)


async def pump(backlog):
    outbox = []
    while backlog:
        message = backlog.pop(0)
        asyncio.create_task(deliver(message, outbox))
        print("queued", message)
    print("backlog empty")


async def main():
    await pump(["m1", "m2"])


if __name__ == "__main__":
    asyncio.run(main())
