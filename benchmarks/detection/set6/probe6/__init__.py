"""probe6: a small async data service."""
from .db import Database, Repo, fetch_user, save_user
from .net import Client, SyncClient
from .net import send_packet as send
from .cache import fetch_user as fetch_user_cached

__all__ = [
    "Client",
    "Database",
    "Repo",
    "SyncClient",
    "fetch_user",
    "fetch_user_cached",
    "save_user",
    "send",
]
