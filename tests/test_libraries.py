"""Imports resolve into the installed libraries of an environment: a method of a library
class called without ``await`` is found when the class is known, same-name synchronous
methods stay silent, and a broken library or environment costs nothing but the answer.

Each test builds a small environment (a folder with ``pyvenv.cfg`` and a
site-packages) and a project that imports from it, and checks with ``--python``."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import expected_findings
from lint_structured.cli import main

LIBRARY = {
    # A package that re-exports its client, as aiohttp does.
    "netlib/__init__.py": "from .client import Session, SyncSession, make_session, connect\n",
    "netlib/client.py": '''
        class Base:
            async def close(self) -> None: ...
            def closed(self) -> bool: ...


        class Session(Base):
            async def get(self, url): ...
            async def __aenter__(self) -> "Session":
                return self
            async def __aexit__(self, *exc): ...
            @classmethod
            def from_url(cls, url: str) -> "Session": ...


        class SyncSession:
            def close(self) -> None: ...
            def __enter__(self):
                return self
            def __exit__(self, *exc): ...


        class Connection:
            async def execute(self, query): ...


        def make_session() -> Session: ...


        async def connect(dsn: str) -> Connection: ...
    ''',
    # Two classes of one name in two modules, as redis.Redis and redis.asyncio.Redis.
    "kv/__init__.py": "from .sync import Store\n",
    "kv/sync.py": "class Store:\n    def close(self): ...\n    def set(self, k, v): ...\n",
    "kv/aio.py": "class Store:\n    async def close(self): ...\n    async def set(self, k, v): ...\n",
    # A package's own stub wins over its code (which hides the coroutine behind a call).
    "stubbed/__init__.py": "class Pool:\n    def release(self):\n        return self._release()\n",
    "stubbed/__init__.pyi": "class Pool:\n    async def release(self) -> None: ...\n",
    # Code with no annotations, and a stub-only distribution whose `@overload` variants
    # (all `async def`) return the connection class or a type variable bound to it, as
    # asyncpg and asyncpg-stubs. A pool hands out a context whose __aenter__ gives a proxy.
    "pgish/__init__.py": "from .conn import connect, Pool\n",
    "pgish/conn.py": "async def connect(dsn=None, **kw):\n    return await _connect(dsn, **kw)\n\nclass Pool:\n    def acquire(self): ...\n",
    "pgish-stubs/__init__.pyi": "from .conn import connect as connect, Pool as Pool\n",
    "pgish-stubs/conn.pyi": '''
        from typing import Any, Generic, TypeVar, overload

        _C = TypeVar("_C", bound=Connection[Any])

        class Connection(Generic[_C]):
            async def execute(self, query: str) -> str: ...
            def is_closed(self) -> bool: ...

        @overload
        async def connect(dsn: str) -> Connection[Any]: ...
        @overload
        async def connect(dsn: str, connection_class: type[_C]) -> _C: ...

        @overload
        def either(x: int) -> Connection[Any]: ...
        @overload
        async def either(x: str) -> Connection[Any]: ...

        class Proxy:
            async def execute(self, query: str) -> str: ...

        class AcquireContext:
            async def __aenter__(self) -> Proxy: ...

        class Pool:
            def acquire(self) -> AcquireContext: ...
    ''',
    # Commands are plain methods returning `self.execute_command(...)`: a coroutine on the
    # client whose execute_command is an `async def`, a value on the synchronous client and
    # on a pipeline that queues them (redis and redis.asyncio).
    "cmds/__init__.py": '''
        import functools
        from typing import TypeVar


        def marks(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, **kwargs)
            return wrapper


        def opaque(func):
            return registry(func)


        class Commands:
            def set(self, k, v):
                return self.execute_command("SET", k, v)

            @marks
            def get(self, k):
                return self.execute_command("GET", k)

            @opaque
            def delete(self, k):
                return self.execute_command("DEL", k)

            def keys(self):
                return self.execute_command("KEYS").decode()


        class Client(Commands):
            def execute_command(self, *args): ...


        _P = TypeVar("_P", bound="AsyncClient")


        class AsyncPipeline(Commands):
            def execute_command(self, *args):
                return self

            async def __aenter__(self: _P) -> _P:  # the pipeline, not the bound
                return self

            async def execute(self): ...


        class AsyncClient(Commands):
            async def execute_command(self, *args): ...

            def pipeline(self) -> AsyncPipeline: ...
    ''',
    # A library that does not parse: names from it stay unknown.
    "broken/__init__.py": "class Client:\n    async def close(self:\n",
    # A method made by a decorator the outline cannot read: unknown.
    "magic/__init__.py": "import functools\n\nclass Client:\n    @functools.cache\n    async def close(self): ...\n",
}

PROJECT = '''
    import asyncio

    import broken
    import cmds
    import magic
    import pgish
    import netlib
    import stubbed
    from kv import Store
    from kv.aio import Store as AsyncStore
    from netlib import Session, SyncSession, connect, make_session


    async def constructed():
        session = netlib.Session()
        session.close()  # LSC301
        session.closed()
        await session.close()


    async def annotated(session: Session, sync: SyncSession):
        session.get("u")  # LSC301
        sync.close()


    async def optional(session: "Session | None" = None):
        session.close()  # LSC301


    async def entered():
        async with Session() as session:
            session.get("u")  # LSC301
        with SyncSession() as sync:
            sync.close()


    async def factories():
        made = make_session()
        made.close()  # LSC301
        by_url = Session.from_url("u")
        by_url.close()  # LSC301
        conn = await connect("dsn")
        conn.execute("select 1")  # LSC301


    async def same_names():
        Store().close()
        Store().set("k", 1)
        AsyncStore().close()  # LSC301
        AsyncStore().set("k", 1)  # LSC301


    async def stub_wins(pool: stubbed.Pool):
        pool.release()  # LSC301


    async def stubs_with_overloads(pool: pgish.Pool):
        conn = await pgish.connect("dsn")
        conn.execute("select 1")  # LSC301
        conn.is_closed()
        async with pool.acquire() as proxy:
            proxy.execute("select 1")  # LSC301
        entered = pool.acquire()
        entered.execute("select 1")  # an AcquireContext has no execute


    async def commands():
        client = cmds.AsyncClient()
        client.set("k", 1)  # LSC301
        client.get("k")  # LSC301
        client.delete("k")  # an opaque decorator: unknown
        client.keys()  # returns what .decode() gives
        cmds.Client().set("k", 1)
        pipe = client.pipeline()
        pipe.set("k", 1)
        await pipe.execute()
        async with client.pipeline() as queued:
            queued.set("k", 1)


    async def unknown(client: broken.Client, other: magic.Client, value):
        client.close()
        other.close()
        value.close()


    class Service:
        def __init__(self):
            self.session = Session()
            self.sync = SyncSession()
            self.either = Session()

        def reset(self):
            self.either = SyncSession()

        def stop(self):
            self.session.close()  # LSC301
            self.sync.close()
            self.either.close()
'''


#: The line of `session.close()  # LSC301` in ``constructed``.
SESSION_CLOSE = textwrap.dedent(PROJECT).lstrip().splitlines().index("    session.close()  # LSC301") + 1


def _environment(where: Path, files: dict[str, str], dists: tuple[str, ...] = ("netlib-1.0.dist-info",)) -> Path:
    site = where / "lib" / "python3.11" / "site-packages"
    for name, text in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    for dist in dists:
        (site / dist).mkdir(parents=True, exist_ok=True)
    (where / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    return where


def _project(where: Path, text: str = PROJECT) -> Path:
    where.mkdir(parents=True)
    (where / "pyproject.toml").write_text("", encoding="utf-8")
    (where / "app.py").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return where


def _check(project: Path, *args: str) -> tuple[list[tuple[int, str]], str]:
    old = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["check", "--exit-zero", "--select", "LSC3", "--format", "json", *args, "app.py"], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return sorted((f["line"], f["code"]) for f in json.loads(result.stdout)), result.stderr


@pytest.fixture
def env(tmp_path: Path) -> Path:
    return _environment(tmp_path / "env", LIBRARY)


def test_library_classes_resolve(tmp_path: Path, env: Path) -> None:
    project = _project(tmp_path / "proj")
    found, _ = _check(project, "--no-cache", "--python", str(env))
    expected = sorted((line, code) for line, code in expected_findings((project / "app.py").read_text()))
    assert found == expected


def test_an_interpreter_of_the_environment_names_it(tmp_path: Path, env: Path) -> None:
    (env / "bin").mkdir()
    (env / "bin" / "python").write_text("", encoding="utf-8")  # never run: pyvenv.cfg says where
    project = _project(tmp_path / "proj")
    found, _ = _check(project, "--no-cache", "--python", str(env / "bin" / "python"))
    assert (SESSION_CLOSE, "LSC301") in found


def test_the_setting_and_dot_venv(tmp_path: Path, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    project = _project(tmp_path / "proj")
    (project / "pyproject.toml").write_text(f'[tool.lint-structured]\npython = "{env}"\n', encoding="utf-8")
    found, _ = _check(project, "--no-cache")
    assert (SESSION_CLOSE, "LSC301") in found
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    env.rename(project / ".venv")
    found, err = _check(project, "--no-cache", "--verbose")
    assert (SESSION_CLOSE, "LSC301") in found
    assert "(from .venv)" in err


def test_without_the_environment_nothing_is_found(tmp_path: Path, env: Path) -> None:
    project = _project(tmp_path / "proj")
    found, err = _check(project, "--no-cache", "--verbose", "--python", str(tmp_path / "missing"))
    assert found == []
    assert "does not exist" in err


def test_a_project_module_shadows_a_library(tmp_path: Path, env: Path) -> None:
    project = _project(tmp_path / "proj", "import kv\n\n\nasync def f():\n    kv.Store().close()\n")
    (project / "kv.py").write_text("class Store:\n    async def close(self): ...\n", encoding="utf-8")
    found, _ = _check(project, "--no-cache", "--python", str(env))
    assert found == [(5, "LSC301")]


def test_a_new_install_refreshes_the_cache(tmp_path: Path, env: Path) -> None:
    project = _project(tmp_path / "proj", "import kv\n\n\nasync def f():\n    kv.Store().close()\n")
    assert _check(project, "--python", str(env))[0] == []
    # An upgrade makes Store.close a coroutine function: new code, new dist-info.
    site = env / "lib" / "python3.11" / "site-packages"
    (site / "kv" / "sync.py").write_text("class Store:\n    async def close(self): ...\n", encoding="utf-8")
    (site / "netlib-1.0.dist-info").rename(site / "netlib-1.1.dist-info")
    assert _check(project, "--python", str(env))[0] == [(5, "LSC301")]


HELPER = "import asyncio\n\n\ndef spawn(coro) -> asyncio.Task:\n    return asyncio.get_running_loop().create_task(coro)\n"
CALLER = '''
    from util import spawn
    from tasklib import start


    async def work():
        pass


    async def main():
        spawn(work())  # LSC101
        start(work())  # LSC101
        kept = spawn(work())
        await kept
'''


def _check_codes(project: Path, *args: str) -> list[tuple[int, str]]:
    old = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["check", "--exit-zero", "--no-cache", "--select", "LSC1", "--format", "json", *args, "app.py"], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return sorted((f["line"], f["code"]) for f in json.loads(result.stdout))


def test_helpers_that_return_tasks(tmp_path: Path) -> None:
    env = _environment(tmp_path / "env", {"tasklib/__init__.py": HELPER.replace("def spawn", "def start")})
    project = _project(tmp_path / "proj", CALLER)
    (project / "util.py").write_text(HELPER, encoding="utf-8")
    expected = sorted(expected_findings((project / "app.py").read_text()))
    assert _check_codes(project, "--python", str(env)) == expected
    # A helper configured as owning its tasks is trusted to keep them.
    (project / "pyproject.toml").write_text('[tool.lint-structured]\nowning-spawners = ["util.spawn"]\n', encoding="utf-8")
    assert _check_codes(project, "--python", str(env)) == [(11, "LSC101")]


def test_transparent_decorators_setting(tmp_path: Path) -> None:
    text = '''
        from framework import bind


        @bind
        async def notify():
            pass


        async def main():
            notify()  # LSC301
    '''
    project = _project(tmp_path / "proj", text)
    # `framework` is not installed: its decorator is unknown, so nothing is said...
    assert _check(project, "--no-cache")[0] == []
    # ...until the configuration says it keeps coroutine functions.
    (project / "pyproject.toml").write_text('[tool.lint-structured]\ntransparent-decorators = ["framework.*"]\n', encoding="utf-8")
    assert _check(project, "--no-cache")[0] == [(10, "LSC301")]
