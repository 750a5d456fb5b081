"""A cache of findings: an unchanged file whose answer cannot have changed is not analysed again.

Where: one SQLite store (``cache.sqlite3``, in WAL mode, so concurrent runs —
two pre-commit hooks, ``--jobs`` — are safe) in ``.lint-structured-cache/`` at
the project root (the nearest folder above the checked path with
``pyproject.toml``, ``setup.cfg``, ``setup.py``, ``tox.ini`` or ``.git``),
which gets its own ``.gitignore``. ``--cache-dir`` or
``LINT_STRUCTURED_CACHE_DIR`` choose another folder; ``--no-cache`` turns it
off; ``lint-structured clean`` removes it.

What an entry is keyed by: the file's bytes, its path relative to the project
root and its module name (its package position: relative imports and the
modules around it decide whether a call is a coroutine call), the tool's
version and code, the settings that change detection and the codes active for
the file. What it depends on: every path a module lookup *probed*, found or
not, with the hash of what was there (or its absence). Adding, removing,
renaming or editing a module at one of those paths makes the entry a miss;
nothing else can change the answer.

Never wrong, at worst slower: a store that cannot be created, opened, read
or written (a read-only or full disk, a file where the folder should be, a
corrupt file, a store written by a newer version) gives one warning and the
run goes on uncached; an unreadable entry is a miss. A corrupt store, or one
written by an older version, is rebuilt. This module must not import LibCST.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable

from lint_structured import __version__
from lint_structured.environment import STAMP_NAME, stamp
from lint_structured.model import Applicability, Finding, FixInfo, content_hash
from lint_structured.settings import Settings

DIRNAME = ".lint-structured-cache"
STORE = "cache.sqlite3"
ENV_DIR = "LINT_STRUCTURED_CACHE_DIR"
#: The store's layout; a store with another layout is rebuilt (older) or left alone (newer).
SCHEMA = 3
#: Rows kept at least; a store grows to this or four times a run's files before old ones go.
KEEP = 20_000
#: A file changed less than this before it was read is read again next time (see ``known_hashes``).
RACY_NS = 2_000_000_000


def _signature(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


def code_fingerprint() -> str:
    """The tool's own code: so that editing a rule (without a new version) is a miss."""
    package = Path(__file__).resolve().parent
    parts = []
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        parts.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()


def settings_fingerprint(settings: Settings) -> str:
    relevant = {
        "extra_spawners": sorted(settings.extra_spawners),
        "owning_spawners": sorted(settings.owning_spawners),
        "extra_coroutine_functions": sorted(settings.extra_coroutine_functions),
        "python": settings.python,
        "transparent_decorators": sorted(settings.transparent_decorators),
        "target_version": settings.target_version,
        # Findings carry their planned fix only with show-fixes, and the plan depends on these.
        "show_fixes": settings.show_fixes,
        "fix_backend": settings.fix_backend,
        "fix_exception_groups": settings.fix_exception_groups,
    }
    return hashlib.sha256(json.dumps([__version__, code_fingerprint(), relevant], sort_keys=True).encode()).hexdigest()[:16]


def file_hash(path: str) -> str | None:
    """The content hash of a file, or None when there is no readable file there."""
    try:
        with open(path, "rb") as handle:
            return content_hash(handle.read())
    except OSError:
        return None


def cache_dir(root: Path, explicit: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: ``explicit`` (``--cache-dir``), else ``$LINT_STRUCTURED_CACHE_DIR``,
    else ``.lint-structured-cache`` in the project root."""
    chosen = explicit or os.environ.get(ENV_DIR)
    return Path(chosen) if chosen else root / DIRNAME


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


class Cache:
    """Entries by key; ``None`` from ``get`` is a miss.

    ``directory`` holds the store; ``root`` is the project root that keys name
    files relative to. ``warn`` receives at most one line, the first time the
    store cannot be used. Reads happen as asked; writes are kept and written
    in one transaction by ``flush`` (or at once with ``autoflush``).
    """

    def __init__(
        self,
        directory: Path,
        root: Path,
        settings: Settings,
        warn: Callable[[str], None] | None = None,
        autoflush: bool = False,
    ) -> None:
        self.directory = directory
        self.root = root
        self._root_text = os.path.join(str(root), "")
        self._real_root = os.path.realpath(root)
        self._searches: dict[str, str] = {}
        self.fingerprint = settings_fingerprint(settings)
        self._settings = settings
        self._autoflush = autoflush
        self.store = Store(directory, warn)
        self._dep_hashes: dict[str, str | None] = {}
        self._listings: dict[str, frozenset[str]] = {}
        self._pending: dict[str, str] = {}
        self._pending_files: dict[str, tuple[str, str, int]] = {}
        self._used = 0

    # ------------------------------------------------------------------ keys
    def key(self, content: str, codes: tuple[str, ...], path: str) -> str:
        """The key of the file at ``path``, whose bytes hash to ``content``, with ``codes`` active.

        It also notes that ``path`` holds those bytes now: an entry that depends
        on this file is checked against them, without reading it again."""
        from lint_structured import coroutines as co

        real, name = co.position(path)
        self._dep_hashes.setdefault(real, content)
        where = real[len(self._root_text) :] if real.startswith(self._root_text) else real
        # Where imports are looked up (the project root, whether `src/` exists, the top of
        # the packages) decides what they resolve to; the root's own path keeps a store
        # shared by two trees, or copied with one, from answering for the other.
        search = self._search_text(os.path.dirname(real))
        extra = ""
        if self._settings.show_fixes:  # a planned fix depends on the target version found for the file
            from lint_structured.settings import target_for

            extra = "%d.%d" % target_for(self._settings, path)
        head = "\0".join((self.fingerprint, ",".join(codes), self._real_root, search, where, name, extra, content))
        return hashlib.blake2b(head.encode(), digest_size=20).hexdigest()

    def _search_text(self, directory: str) -> str:
        found = self._searches.get(directory)
        if found is None:
            from lint_structured import coroutines as co

            from lint_structured import environment

            root, search = co.search_path(Path(directory) / "__probe__.py")
            libraries = environment.find(self._settings.python, str(root)).site_dirs
            found = self._searches[directory] = "|".join([str(root), *map(str, search), "", *map(str, libraries)])
        return found

    # ------------------------------------------------------------ file hashes
    def known_hashes(self, paths: list[str]) -> dict[str, str]:
        """The content hash of each of ``paths`` (absolute) whose ``stat`` shows it unchanged
        since it was hashed: its size, modification and change times and inode are the
        same, and it had not changed for ``RACY_NS`` before it was read (a change within
        the file system's timestamp granularity of that read could otherwise go unseen,
        as git's "racy" entries). Any write sets the change time, which no program can
        set back."""
        rows = self.store.select("SELECT path, stat, hash, seen FROM files WHERE path IN ({})", paths)
        known = {}
        for path, signature, content, seen in rows:
            try:
                st = os.stat(path)
            except OSError:
                continue
            if signature == _signature(st) and seen - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
                known[path] = content
        return known

    def hash_source(self, path: str, data: bytes, st: os.stat_result, seen: int) -> str:
        """Hash ``data``, read from ``path`` (absolute) at ``seen`` with ``st`` its ``fstat``,
        and remember it for the next run's ``known_hashes``."""
        content = content_hash(data)
        if not self.store.disabled:
            self._pending_files[path] = (_signature(st), content, seen)
        return content

    # ---------------------------------------------------------------- access
    def get(self, key: str) -> dict[str, Any] | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The valid entries among ``keys``: readable, and every dependency unchanged."""
        rows = self.store.select("SELECT key, value FROM entries WHERE key IN ({})", keys)
        found = {}
        for key, value in rows:
            entry = self._valid(value)
            if entry is not None:
                found[key] = entry
        self._used += len(found)
        return found

    def _valid(self, value: str) -> dict[str, Any] | None:
        try:
            entry = json.loads(value)
        except ValueError:
            return None
        if not isinstance(entry, dict):
            return None
        deps = entry.get("deps", {})
        if not isinstance(deps, dict):
            return None
        if "error" not in entry and not isinstance(entry.get("findings"), list):
            return None
        known = self._dep_hashes
        for dep, expected in deps.items():
            now = known[dep] if dep in known else self._dep_hash(dep)
            if now != expected:
                return None
        return entry

    def _dep_hash(self, path: str) -> str | None:
        if path not in self._dep_hashes:
            folder, name = os.path.split(path)
            if name == STAMP_NAME:
                # What an installed library's outline rests on: its environment's distributions.
                self._dep_hashes[path] = stamp(self._names(folder))
            else:
                self._dep_hashes[path] = file_hash(path) if name in self._names(folder) else None
        return self._dep_hashes[path]

    def _names(self, folder: str) -> frozenset[str]:
        """What ``folder`` holds. Most probed paths hold nothing, often not even their
        folder: one listing per existing folder answers them all."""
        names = self._listings.get(folder)
        if names is None:
            parent, name = os.path.split(folder)
            names = frozenset()
            if parent == folder or name in self._names(parent):
                try:
                    names = frozenset(os.listdir(folder))
                except OSError:
                    pass
            self._listings[folder] = names
        return names

    def put(self, key: str, entry: dict[str, Any]) -> None:
        if self.store.disabled:
            return
        self._pending[key] = json.dumps(entry, separators=(",", ":"))
        if self._autoflush:
            self.flush()

    @property
    def disabled(self) -> bool:
        """The store could not be used: the run goes on uncached."""
        return self.store.disabled

    def flush(self) -> None:
        """Write what ``put`` and ``hash_source`` kept, in one transaction."""
        if not self._pending and not self._pending_files:
            return
        pending, self._pending = self._pending, {}
        files, self._pending_files = self._pending_files, {}
        self.store.write(pending, files, self._used)

    def close(self) -> None:
        self.flush()
        self.store.close()


class Store:
    """The SQLite file behind a ``Cache``: opened on first use, rebuilt when it is
    corrupt or older, given up on (one warning, then the run goes on uncached) when it
    cannot be used. ``warn`` receives that one line."""

    def __init__(self, directory: Path, warn: Callable[[str], None] | None = None) -> None:
        self.directory = directory
        self._warn = warn
        self._db: Any = None
        self.disabled = False

    def select(self, query: str, keys: list[str]) -> list[tuple[Any, ...]]:
        """The rows ``query`` (with ``IN ({})`` for the keys) gives for ``keys``; none when
        the store cannot be read."""
        db = self._open()
        if db is None or not keys:
            return []
        import sqlite3

        rows: list[tuple[Any, ...]] = []
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                rows.extend(db.execute(query.format(",".join("?" * len(chunk))), chunk))
        except sqlite3.Error as exc:
            self._read_failed(exc)
            return []
        return rows

    def write(self, pending: dict[str, str], files: dict[str, tuple[str, str, int]], used: int) -> None:
        """Write entries and file hashes in one transaction, and drop the oldest rows past
        the bound; ``used`` is how many entries this run read."""
        db = self._open()
        if db is None:
            return
        import sqlite3

        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", pending.items())
                db.executemany(
                    "INSERT OR REPLACE INTO files (path, stat, hash, seen) VALUES (?, ?, ?, ?)",
                    [(path, *row) for path, row in files.items()],
                )
                # Keep four times the largest run this store has served, so that small
                # runs (pre-commit) never evict what a full run of the tree needs.
                run = used + len(pending)
                peak = max(run, int(dict(db.execute("SELECT name, value FROM meta")).get("peak", "0") or 0))
                db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('peak', ?)", (str(peak),))
                keep = max(KEEP, 4 * peak)
                for table in ("entries", "files"):
                    db.execute(f"DELETE FROM {table} WHERE rowid <= (SELECT max(rowid) FROM {table}) - ?", (keep,))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return  # another run holds the store: its entries are as good as ours
            self._give_up(f"cannot write it ({exc})")
        except sqlite3.Error as exc:
            self._give_up(f"cannot write it ({exc})")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # ----------------------------------------------------------------- store
    def _read_failed(self, exc: Exception) -> None:
        """A read failed: a busy store is a miss; a corrupt one is rebuilt (empty, so every
        entry is a miss this time); anything else turns the cache off for the run."""
        import sqlite3

        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
            return
        if isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database" in text):
            if self._warn is not None:
                self._warn(f"cache {self.directory / STORE}: unreadable ({exc}); rebuilding it")
            try:
                self._db.close()
            except Exception:  # noqa: BLE001 - closing a broken store must not fail the run
                pass
            self._db = None
            try:
                remove_store(self.directory)
                self._db = self._connect()
                return
            except (_Rebuild, _Newer, sqlite3.Error, OSError) as again:
                self._give_up(f"cannot rebuild it ({again})")
                return
        self._give_up(f"cannot read it ({exc})")

    def _give_up(self, reason: str) -> None:
        if not self.disabled and self._warn is not None:
            self._warn(f"cache {self.directory / STORE}: {reason}; running without a cache")
        self.disabled = True
        if self._db is not None:
            try:
                self._db.close()
            except Exception:  # noqa: BLE001 - closing a broken store must not fail the run
                pass
            self._db = None

    def _open(self) -> Any:
        if self._db is not None or self.disabled:
            return self._db
        import sqlite3

        try:
            self._prepare_directory()
        except OSError as exc:
            self._give_up(f"cannot create {self.directory}: {exc.strerror or exc}")
            return None
        try:
            self._db = self._connect()
        except _Rebuild as why:
            if self._warn is not None and why.args[0]:
                self._warn(f"cache {self.directory / STORE}: {why.args[0]}; rebuilding it")
            try:
                remove_store(self.directory)
                self._db = self._connect()
            except (_Rebuild, sqlite3.Error, OSError) as exc:
                self._give_up(str(exc.args[0]) if isinstance(exc, _Rebuild) else f"cannot rebuild it ({exc})")
        except _Newer as why:
            self._give_up(str(why.args[0]))
        except (sqlite3.Error, OSError) as exc:
            self._give_up(f"cannot open it ({exc})")
        return self._db

    def _prepare_directory(self) -> None:
        """Make the folder; mark it as ours (a `.gitignore` of our own) only when we made
        it or it was empty, so that a `--cache-dir` pointing at a user's folder never
        makes their files look like ours."""
        fresh = not self.directory.exists()
        self.directory.mkdir(parents=True, exist_ok=True)
        if not self.directory.is_dir():
            raise NotADirectoryError(20, "not a directory", str(self.directory))
        ignore = self.directory / ".gitignore"
        if fresh or not any(self.directory.iterdir()):
            ignore.write_text(_MARK + "\n*\n", encoding="utf-8")
        elif not (self.directory / STORE).exists():
            self._drop_old_layout()

    def _drop_old_layout(self) -> None:
        """Before the store, entries were JSON files in a folder per version: remove them."""
        old = _old_layout(self.directory)
        for folder in old:
            shutil.rmtree(folder, ignore_errors=True)
        if old and self._warn is not None:
            versions = ", ".join(sorted(d.name for d in old))
            self._warn(f"cache {self.directory}: written by lint-structured {versions} in an older layout; rebuilding it")

    def _connect(self) -> Any:
        import sqlite3

        db = sqlite3.connect(str(self.directory / STORE), timeout=5.0, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            meta = dict(db.execute("SELECT name, value FROM meta"))
            if not meta:
                with db:
                    db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, stat TEXT NOT NULL, hash TEXT NOT NULL, seen INTEGER NOT NULL)"
                    )
                    db.executemany(
                        "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
                        [("schema", str(SCHEMA)), ("version", __version__)],
                    )
                return db
            writer = meta.get("version", "?")
            schema = meta.get("schema", "")
            if schema != str(SCHEMA) or writer != __version__:
                older = not schema.isdigit() or int(schema) < SCHEMA or (
                    int(schema) == SCHEMA and _version_tuple(writer) < _version_tuple(__version__)
                )
                db.close()
                if older:
                    raise _Rebuild(f"written by lint-structured {writer}, this is {__version__}")
                raise _Newer(f"written by a newer lint-structured ({writer}; this is {__version__}); "
                             "`lint-structured clean` removes it")
            db.execute("SELECT 1 FROM entries LIMIT 1").fetchall()
            db.execute("SELECT 1 FROM files LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            db.close()
            if isinstance(exc, sqlite3.OperationalError) and "not a database" not in str(exc) and "malformed" not in str(exc):
                raise
            raise _Rebuild(f"unreadable ({exc})") from None
        return db


class _Rebuild(Exception):
    """The store is corrupt or was written by an older version."""


class _Newer(Exception):
    """The store was written by a newer version: leave it alone."""


def remove_store(directory: Path) -> bool:
    """Remove the store in ``directory`` (and its journal files); True if there was one."""
    removed = False
    for name in (STORE, STORE + "-wal", STORE + "-shm", STORE + "-journal"):
        try:
            os.unlink(directory / name)
            removed = True
        except FileNotFoundError:
            pass
    return removed


def clean(directory: Path) -> bool:
    """Remove lint-structured's files from a cache folder, and the folder once it is empty;
    True if there was anything of ours. Nothing else in the folder is touched, so a
    mistyped ``--cache-dir`` cannot delete a user's files."""
    if not directory.is_dir():
        return False
    removed = remove_store(directory)
    for folder in _old_layout(directory):
        shutil.rmtree(folder, ignore_errors=True)
        removed = True
    ignore = directory / ".gitignore"
    if _marked(ignore):
        ignore.unlink()
        removed = True
    try:
        directory.rmdir()  # only if nothing else is left in it
    except OSError:
        pass
    return removed


_MARK = "# Created by lint-structured."


def _marked(ignore: Path) -> bool:
    try:
        return ignore.read_text(encoding="utf-8", errors="replace").startswith(_MARK)
    except OSError:
        return False


def _old_layout(directory: Path) -> list[Path]:
    """The folders of the JSON layout before the store (``0.1.0/pack.json``,
    ``0.1.0/ab/<key>.json``), in a folder marked as ours: nothing else."""
    if not _marked(directory / ".gitignore"):
        return []
    found = []
    for folder in directory.iterdir():
        if not folder.is_dir() or not all(part.isdigit() for part in folder.name.split(".")) or folder.name.count(".") != 2:
            continue
        inside = list(folder.iterdir())
        if all(p.name == "pack.json" or (p.is_dir() and len(p.name) == 2 and all(f.suffix == ".json" for f in p.iterdir())) for p in inside):
            found.append(folder)
    return found


def finding_to_json(finding: Finding) -> dict[str, Any]:
    data = finding.to_dict()
    del data["path"]  # the display path depends on the working directory
    return data


def finding_from_json(data: dict[str, Any], path: str) -> Finding:
    fix = data.get("fix")
    return Finding(
        path=path,
        line=data["line"],
        column=data["column"],
        code=data["code"],
        name=data["name"],
        message=data["message"],
        end_line=data["end_line"],
        end_column=data["end_column"],
        fix=FixInfo(Applicability(fix["applicability"]), fix["message"]) if fix else None,
    )
