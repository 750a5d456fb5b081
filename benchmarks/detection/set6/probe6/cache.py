"""In-process cache. Everything here is synchronous on purpose; several names
collide with async functions in probe6.db."""
from __future__ import annotations

import threading

_LOCK = threading.Lock()
_USERS: dict[int, dict] = {}


def fetch_user(user_id: int) -> dict:
    with _LOCK:
        return _USERS.get(user_id, {"id": user_id})


def save_user(user: dict) -> None:
    with _LOCK:
        _USERS[user["id"]] = user


class Cache:
    def save(self, item: dict) -> None:
        save_user(item)

    def load(self, key: str) -> dict:
        return {"key": key}


class SyncStore:
    def save(self, item: dict) -> None:
        _USERS[len(_USERS)] = item

    def delete(self, item: dict) -> None:
        _USERS.pop(item.get("id", -1), None)
