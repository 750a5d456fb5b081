"""Registry of named objects. Circular with probe6.hooks."""
from __future__ import annotations

from . import hooks
from .hooks import fire_hook

__all__ = ["fire_hook", "lookup", "refresh_registry", "register"]

_REGISTRY: dict[str, object] = {}


def register(name: str, obj: object) -> None:
    _REGISTRY[name] = obj
    hooks.notify_sync(name)


def lookup(name: str) -> object | None:
    return _REGISTRY.get(name)


async def refresh_registry() -> None:
    for name in list(_REGISTRY):
        await fire_hook(name)
