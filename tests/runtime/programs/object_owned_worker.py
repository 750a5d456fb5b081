"""LSC101: a client starts a reader in start() and is closed in close().

The fix must not block start(); close() should stop the reader.
"""

import asyncio


class Client:
    def __init__(self):
        self.received = []

    async def start(self):
        asyncio.create_task(self._read())
        print("started")

    async def _read(self):
        while True:
            await asyncio.sleep(0.01)
            self.received.append("msg")

    async def close(self):
        print("closed")


async def main():
    client = Client()
    await client.start()
    await asyncio.sleep(0.025)
    await client.close()
    print("got messages", len(client.received) > 0)


if __name__ == "__main__":
    asyncio.run(main())
