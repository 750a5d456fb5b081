"""LSC101: a dropped asyncio.create_task(...) in a request handler.

The audit task outlives every handle() call and is still pending when main()
returns. Nothing prints what the audit records, so waiting for it (the fix)
changes no output.
"""

import asyncio


async def audit(log, item):
    entry = "audit " + item
    await asyncio.sleep(0.05)  # stands in for a write to the audit service
    log.append(entry)


async def handle(log, item):
    asyncio.create_task(audit(log, item))
    return item.upper()


async def main():
    log = []
    for item in ["a", "b"]:
        print("handled", await handle(log, item))
    print("done")


if __name__ == "__main__":
    asyncio.run(main())
