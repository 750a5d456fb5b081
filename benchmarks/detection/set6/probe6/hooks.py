"""Hook dispatch. Circular with probe6.registry."""
from __future__ import annotations

import asyncio

from . import registry

_LISTENERS: dict[str, list] = {}


async def fire_hook(name: str) -> None:
    target = registry.lookup(name)
    for listener in _LISTENERS.get(name, []):
        listener(target)
    await asyncio.sleep(0)


def notify_sync(name: str) -> None:
    _LISTENERS.setdefault(name, [])


async def reload_hooks() -> None:
    await registry.refresh_registry()
