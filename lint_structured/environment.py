"""The Python environment whose installed libraries imports resolve into.

Which environment, in this order (the first that applies wins, as pyright and
ruff choose theirs):

1. ``--python`` or the ``python`` setting: an interpreter, or the folder of an
   environment (a virtualenv, a conda environment, a ``sys.prefix``);
2. an active virtualenv (``VIRTUAL_ENV``);
3. ``.venv`` at the project root;
4. the environment lint-structured runs in.

Its ``site-packages`` folders are searched after the project's own folders, so
a project module shadows a library of the same name, as on ``sys.path``. The
standard library is not searched: asyncio's own API is known by name.

A broken or missing environment is not an error: libraries stay unknown (no
finding rests on them), and ``--verbose`` says why. This module must not
import LibCST.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import sys
from pathlib import Path

#: The file a dependency on an environment's set of installed distributions is
#: recorded under, in its site-packages folder (it never exists: the cache asks
#: ``stamp`` for it instead of hashing a file).
STAMP_NAME = "*.dist-info"


@dataclasses.dataclass(frozen=True)
class Environment:
    """Where installed libraries are, how that was decided, and what went wrong."""

    site_dirs: tuple[Path, ...]
    origin: str  # "--python", "VIRTUAL_ENV", ".venv" or "the running Python (<prefix>)"
    problem: str | None = None

    def describe(self) -> str:
        if self.problem:
            return f"libraries: none ({self.problem})"
        where = ", ".join(map(str, self.site_dirs)) or "no site-packages folder"
        return f"libraries: {where} (from {self.origin})"


@functools.lru_cache(maxsize=32)
def find(python: str | None, root: str) -> Environment:
    """The environment for a project at ``root``, with ``python`` the setting (a
    path relative to the root, or absolute), if any."""
    if python:
        path = Path(python).expanduser()
        if not path.is_absolute():
            path = Path(root) / path
        return _from_setting(path)
    virtual = os.environ.get("VIRTUAL_ENV")
    if virtual and Path(virtual).is_dir():
        return _from_prefix(Path(virtual), "VIRTUAL_ENV")
    local = Path(root) / ".venv"
    if (local / "pyvenv.cfg").is_file():
        return _from_prefix(local, ".venv")
    return _running()


def _from_setting(path: Path) -> Environment:
    if path.is_dir():
        return _from_prefix(path, "--python")
    if not path.exists():
        return Environment((), "--python", f"{path} does not exist")
    # An interpreter inside a virtualenv: its folder's parent holds pyvenv.cfg.
    prefix = path.parent.parent
    if (prefix / "pyvenv.cfg").is_file():
        return _from_prefix(prefix, "--python")
    return _ask(path)


def _from_prefix(prefix: Path, origin: str) -> Environment:
    """The site-packages folders of an environment's folder, without running it."""
    candidates = sorted(prefix.glob("lib/python3*/site-packages")) + sorted(prefix.glob("lib64/python3*/site-packages"))
    candidates += [p for p in (prefix / "Lib" / "site-packages",) if p.is_dir()]
    found = tuple(dict.fromkeys(p.resolve() for p in candidates if p.is_dir()))
    if not found:
        return Environment((), origin, f"{prefix} has no site-packages folder")
    return Environment(found, origin)


def _ask(interpreter: Path) -> Environment:
    """Ask an interpreter outside a virtualenv for its site-packages folders."""
    import json
    import subprocess

    program = "import json, site, sys; print(json.dumps([p for p in sys.path if p.endswith(('site-packages', 'dist-packages'))]))"
    try:
        done = subprocess.run([str(interpreter), "-I", "-c", program], capture_output=True, text=True, timeout=15, check=False)
        paths = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        return Environment((), "--python", f"cannot run {interpreter}: {exc}")
    if not isinstance(paths, list):
        reason = (done.stderr.strip().splitlines() or ["no answer"])[-1]
        return Environment((), "--python", f"{interpreter} did not say where its libraries are: {reason}")
    found = tuple(dict.fromkeys(Path(p).resolve() for p in paths if isinstance(p, str) and Path(p).is_dir()))
    return Environment(found, "--python")


def _running() -> Environment:
    import site

    folders = list(site.getsitepackages()) if hasattr(site, "getsitepackages") else []
    if site.ENABLE_USER_SITE and site.USER_SITE:
        folders.append(site.USER_SITE)
    found = tuple(dict.fromkeys(Path(p).resolve() for p in folders if Path(p).is_dir()))
    return Environment(found, f"the running Python ({sys.prefix})")


def stamp(names: frozenset[str]) -> str:
    """What a site-packages folder holds, as far as the outlines of its modules go: the
    names and versions of its distributions (``aiohttp-3.9.5.dist-info``), from the
    folder's listing. Installing, upgrading or removing a distribution changes it."""
    installed = sorted(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return "dists:" + hashlib.blake2b("\0".join(installed).encode(), digest_size=12).hexdigest()


def stamp_of(site_dir: Path) -> str:
    try:
        return stamp(frozenset(os.listdir(site_dir)))
    except OSError:
        return stamp(frozenset())
