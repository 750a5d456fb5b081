"""A content-hash cache of findings: unchanged files are not analysed again.

Entries live in ``.lint-structured-cache/<version>/`` at the project root
(which gets its own ``.gitignore``), one JSON file per key. The key covers the
file's bytes, the tool version, the settings that change detection and the
codes active for that path. LSC3xx findings also depend on the project's
other modules, so an entry records the content hashes of the modules its
analysis consulted and is a miss when any of them changed.

Each ``check`` also writes the entries it used to one file, ``pack.json``,
which the next run reads first: a warm run over a large tree opens one file
instead of one per source file. An entry found in neither is a miss.

Writes are atomic (a temporary file renamed into place); an entry or pack that
cannot be read or parsed is a miss, so a corrupt or concurrently written cache
never yields wrong findings, only extra work (with two concurrent runs, the
last pack written wins; every entry in it is still keyed by content). This
module must not import LibCST.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from lint_structured import __version__
from lint_structured.model import Applicability, Finding, FixInfo
from lint_structured.settings import Settings

DIRNAME = ".lint-structured-cache"
PACK = "pack.json"


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
        "target_version": settings.target_version,
        # Findings carry their planned fix only with show-fixes, and the plan depends on these.
        "show_fixes": settings.show_fixes,
        "fix_backend": settings.fix_backend,
        "fix_exception_groups": settings.fix_exception_groups,
    }
    return hashlib.sha256(json.dumps([__version__, code_fingerprint(), relevant], sort_keys=True).encode()).hexdigest()[:16]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_hash(path: str) -> str | None:
    """The content hash of a file, or None when it cannot be read."""
    try:
        return content_hash(Path(path).read_bytes())
    except OSError:
        return None


class Cache:
    """Findings by content; ``None`` from ``get`` is a miss."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root / DIRNAME
        self.dir = self.root / __version__
        self._dir_text = str(self.dir)
        self.fingerprint = settings_fingerprint(settings)
        self._dep_hashes: dict[str, str | None] = {}
        self._sources: dict[str, bytes] = {}
        self._ready = False
        self._pack: dict[str, Any] | None = None
        self._used: dict[str, Any] = {}

    def note_source(self, path: str, data: bytes) -> None:
        """``data`` is what the file at absolute ``path`` holds now: an entry that depends
        on it is checked against these bytes instead of reading the file again."""
        self._sources[path] = data

    def key(self, data: bytes, codes: tuple[str, ...]) -> str:
        return hashlib.blake2b(
            data + b"\0" + self.fingerprint.encode() + b"\0" + ",".join(codes).encode(), digest_size=20
        ).hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        entry = self._packed().get(key)
        try:
            if entry is None:
                with open(os.path.join(self._dir_text, key[:2], key + ".json"), encoding="utf-8") as handle:
                    entry = json.load(handle)
            deps = entry.get("deps", {})
            if not isinstance(entry, dict) or not isinstance(deps, dict):
                return None
        except (OSError, ValueError, AttributeError):
            return None
        for dep, expected in deps.items():
            if self._dep_hash(dep) != expected:
                return None
        self._used[key] = entry
        return entry

    def _packed(self) -> dict[str, Any]:
        if self._pack is None:
            try:
                with open(os.path.join(self._dir_text, PACK), encoding="utf-8") as handle:
                    pack = json.load(handle)
            except (OSError, ValueError):
                pack = None
            self._pack = pack if isinstance(pack, dict) else {}
        return self._pack

    def flush(self) -> None:
        """Write the entries this run used to the pack the next run reads first."""
        if not self._used or self._used.keys() == self._packed().keys():
            return
        self._write(Path(self._dir_text) / PACK, self._used)

    def _dep_hash(self, path: str) -> str | None:
        if path not in self._dep_hashes:
            data = self._sources.get(path)
            self._dep_hashes[path] = content_hash(data) if data is not None else file_hash(path)
        return self._dep_hashes[path]

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self._used[key] = entry
        self._write(self._path(key), entry)

    def _write(self, target: Path, data: Any) -> None:
        try:
            self._prepare()
            target.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only a run that writes pays for the import

            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written is only a slower run

    def _prepare(self) -> None:
        if self._ready:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by lint-structured.\n*\n", encoding="utf-8")
        self._ready = True


def dep_hashes(paths: set[str]) -> dict[str, str]:
    hashes = {path: file_hash(path) for path in paths}
    return {path: digest for path, digest in hashes.items() if digest is not None}


def finding_to_json(finding: Finding) -> dict[str, Any]:
    data = finding.to_dict()
    del data["path"]  # the same content can live at several paths
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
