"""Blocking script helpers: same names as the async API, imported from sync_net."""
import json
import logging
import time

from . import sync_net
from .sync_net import BaseClient, ping, send_message
from .tasks import process_job_sync

log = logging.getLogger(__name__)


def save_user(record: dict) -> None:
    """Sync file-based save; shares its name with probeapp.db.save_user."""
    with open(f"/tmp/user-{record['uid']}.json", "w") as fh:
        json.dump(record, fh)


def fetch_user(uid: int) -> dict:
    with open(f"/tmp/user-{uid}.json") as fh:
        return json.load(fh)


class ScriptClient(BaseClient):
    """Blocking client; request/close are sync here, async in probeapp.net."""

    def push(self, payload: dict) -> None:
        self.request("POST", "/push", payload)
        log.info("pushed %d keys", len(payload))

    def shutdown(self) -> None:
        self.close()
        log.info("closed %s", self.base_url)


def heartbeat(hosts: list[str], rounds: int = 3) -> None:
    for _ in range(rounds):
        for host in hosts:
            ping(host)
            sync_net.ping(host, timeout=0.5)
        time.sleep(1)


def broadcast(hosts: list[str], payload: dict) -> None:
    for host in hosts:
        send_message(host, payload)
        sync_net.send_message(host, payload)
    save_user({"uid": 0, "last_broadcast": payload})
    fetch_user(0)


def replay(jobs: list[dict]) -> None:
    [process_job_sync(j) for j in jobs]
    client = ScriptClient("http://localhost:8080")
    client.push({"replayed": len(jobs)})
    client.request("GET", "/status")
    client.shutdown()


if __name__ == "__main__":
    heartbeat(["localhost"], rounds=1)
    broadcast(["localhost"], {"hello": "world"})
