"""User service with a few forgotten awaits."""
import asyncio
import logging

from .db import Repo, User, fetch_user, save_user
from .net import HttpClient

log = logging.getLogger(__name__)


async def audit(event: str, uid: int) -> None:
    await asyncio.sleep(0)
    log.info("audit %s %s", event, uid)


class UserService:
    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.pending: list[User] = []

    async def flush(self) -> int:
        n = len(self.pending)
        for user in self.pending:
            await save_user(user)
        self.pending.clear()
        return n

    async def rename(self, uid: int, name: str) -> User | None:
        user = await fetch_user(uid)
        if user is None:
            return None
        user.name = name
        save_user(user)  # expect: LSC301
        audit("rename", uid)  # expect: LSC301
        return user

    async def register(self, user: User) -> None:
        self.pending.append(user)
        if len(self.pending) > 10:
            self.flush()  # expect: LSC301
        await audit("register", user.uid)

    async def snapshot(self) -> None:
        repo = Repo("snapshots")
        for user in self.pending:
            repo.save(str(user.uid), user)  # expect: LSC301
        repo.close()

    @classmethod
    async def bootstrap(cls) -> "UserService":
        Repo.migrate(2)  # expect: LSC301
        repo = await Repo.create("users")
        return cls(repo)

    async def remote_sync(self, base_url: str) -> None:
        client = HttpClient(base_url)
        client.post(  # expect: LSC301
            "/users",
            {"count": len(self.pending)},
        )
        await client.close()


async def main() -> None:
    service = await UserService.bootstrap()
    await service.register(User(uid=1, name="ann"))
    await service.rename(1, "anne")
    n = await service.flush()
    log.info("flushed %d users", n)


if __name__ == "__main__":
    asyncio.run(main())
