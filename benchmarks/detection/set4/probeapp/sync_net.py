"""Blocking counterparts of probeapp.net, for scripts and thread pools."""
import json
import logging
import socket
import urllib.request

log = logging.getLogger(__name__)


def send_message(host: str, payload: dict) -> int:
    data = json.dumps(payload).encode()
    with socket.create_connection((host, 9000), timeout=5) as sock:
        sock.sendall(data)
    return len(data)


def ping(host: str, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, 7), timeout=timeout):
            return True
    except OSError:
        return False


class BaseClient:
    """Blocking HTTP client with the same surface as probeapp.net.BaseClient."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.open = True

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"{}")

    def close(self) -> None:
        self.open = False
