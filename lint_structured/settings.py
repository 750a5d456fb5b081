"""Settings: rule selection, per-file ignores, excludes and spawner lists.

Read from ``[tool.lint-structured]`` in the nearest ``pyproject.toml`` by the
CLI, and from flake8's options by the plugin. Keys use kebab-case, as in
ruff. Unknown keys and unknown rule selectors are configuration errors that
name the key and the file.
"""

from __future__ import annotations

import dataclasses
import functools
import fnmatch
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

SECTION = "lint-structured"
DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".lint-structured-cache",
    "build",
    "dist",
    "__pycache__",
    "node_modules",
)
_SELECTOR = re.compile(r"^LSC[0-9]{0,3}$")
_VERSION = re.compile(r"^(?:py)?3\.?(\d{1,2})$")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything that changes what the engine reports.

    ``select`` of ``None`` means "the rules enabled by default". Selectors are
    code prefixes: ``LSC`` is every rule, ``LSC1`` a family, ``LSC101`` one
    rule; when select and ignore both match, the longer (more specific)
    selector wins, and ignore wins a tie.
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    target_version: tuple[int, int] | None = None
    extra_spawners: tuple[str, ...] = ()
    owning_spawners: tuple[str, ...] = ()
    extra_coroutine_functions: tuple[str, ...] = ()
    #: Decorators that keep a coroutine function one (qualified names or globs), on top of
    #: those the tool reads as such (``return func``, a ``functools.wraps`` pass-through).
    transparent_decorators: tuple[str, ...] = ()
    #: The Python environment whose installed libraries imports resolve into: an
    #: interpreter or an environment's folder (see ``environment.py``); None: find one.
    python: str | None = None
    #: What the fixers build task groups with: "asyncio" (``asyncio.TaskGroup``,
    #: Python 3.11+), "taskgroup" (the backport) or "anyio".
    fix_backend: str = "asyncio"
    #: "unwrap": a rewritten block re-raises its group's first exception as itself,
    #: so callers' `except E` keep working; "keep": the ExceptionGroup propagates.
    fix_exception_groups: str = "unwrap"
    #: ``check`` plans each finding's fix (which needs a LibCST parse of the file).
    show_fixes: bool = False
    root: str = "."
    config_file: str | None = None

    def is_selected(self, code: str, default_enabled: bool = True) -> bool:
        """Whether ``code`` is enabled by select/ignore (before per-file ignores)."""
        best_select = _longest_prefix(code, self.select) if self.select is not None else None
        best_ignore = _longest_prefix(code, self.ignore)
        if self.select is None:
            if best_ignore is not None:
                return False
            return default_enabled
        if best_select is None:
            return False
        return best_ignore is None or len(best_select) > len(best_ignore)

    def ignored_in_file(self, code: str, path: str) -> bool:
        """Whether a per-file-ignores entry matching ``path`` ignores ``code``."""
        if not self.per_file_ignores:
            return False
        rel = _relative_posix(path, self.root)
        base = os.path.basename(path)
        for pattern, codes in self.per_file_ignores:
            if _glob_match(rel, pattern) or _glob_match(base, pattern):
                if _longest_prefix(code, codes) is not None:
                    return True
        return False

    def is_excluded(self, path: str) -> bool:
        """Whether a user ``exclude`` pattern matches ``path`` or one of its parts."""
        if not self.exclude:
            return False
        rel = _relative_posix(path, self.root)
        parts = rel.split("/")
        for pattern in self.exclude:
            pattern = pattern.rstrip("/")
            if _glob_match(rel, pattern) or any(_glob_match(p, pattern) for p in parts):
                return True
        return False

    def active_codes(self, path: str) -> tuple[str, ...]:
        """The codes that apply to ``path`` after select, ignore and per-file-ignores."""
        selected = _selected_codes(self)
        if not self.per_file_ignores:
            return selected
        return tuple(code for code in selected if not self.ignored_in_file(code, path))

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)


@functools.lru_cache(maxsize=64)
def _selected_codes(settings: Settings) -> tuple[str, ...]:
    """The codes select and ignore enable (asked once per file: worked out once)."""
    from lint_structured.codes import ALL_CODES, DEFAULT_OFF

    return tuple(code for code in ALL_CODES if settings.is_selected(code, code not in DEFAULT_OFF))


def _longest_prefix(code: str, selectors: Iterable[str] | None) -> str | None:
    best = None
    for sel in selectors or ():
        if code.startswith(sel) and (best is None or len(sel) > len(best)):
            best = sel
    return best


def _relative_posix(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # different drives on Windows
        rel = path
    return rel.replace(os.sep, "/")


def _glob_match(path: str, pattern: str) -> bool:
    # fnmatch's "*" already crosses "/", so "tests/*" and "**/test_*.py" both work.
    return fnmatch.fnmatchcase(path, pattern) or (
        pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:])
    )


def validate_selectors(selectors: Iterable[str], known_codes: Iterable[str], where: str) -> tuple[str, ...]:
    """Check that every selector is a prefix of some known code."""
    known = tuple(known_codes)
    out = []
    for sel in selectors:
        sel = sel.strip().upper()
        if not sel:
            continue
        if not _SELECTOR.match(sel) or not any(code.startswith(sel) for code in known):
            raise ConfigError(f"{where}: unknown rule selector {sel!r} (known codes: {', '.join(known)})")
        out.append(sel)
    return tuple(out)


def parse_target_version(value: str, where: str) -> tuple[int, int]:
    match = _VERSION.match(str(value).strip())
    if not match:
        raise ConfigError(f"{where}: target-version must look like 'py311' or '3.11', got {value!r}")
    return (3, int(match.group(1)))


def find_config(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` with a ``[tool.lint-structured]`` table."""
    start = start.resolve()
    if start.is_file() or not start.exists():
        start = start.parent
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                # A broken pyproject.toml that might be ours is reported by load_settings.
                text = candidate.read_text(encoding="utf-8", errors="replace")
                if f"[tool.{SECTION}" in text:
                    return candidate
                continue
            if SECTION in data.get("tool", {}):
                return candidate
    return None


def load_settings(config_file: Path | None, known_codes: Iterable[str]) -> Settings:
    """Read settings from ``config_file`` (or return defaults when it is None)."""
    if config_file is None:
        return Settings(root=os.getcwd())
    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{config_file}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{config_file}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_file}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get(SECTION, {})
    return settings_from_mapping(table, known_codes, where=f"{config_file}: [tool.{SECTION}]", root=str(config_file.parent), config_file=str(config_file))


_KEYS = {
    "select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "target-version",
    "extra-spawners",
    "owning-spawners",
    "extra-coroutine-functions",
    "transparent-decorators",
    "python",
    "fix-backend",
    "fix-exception-groups",
    "show-fixes",
}
FIX_BACKENDS = ("asyncio", "taskgroup", "anyio")


def settings_from_mapping(
    table: Mapping[str, Any], known_codes: Iterable[str], where: str, root: str = ".", config_file: str | None = None
) -> Settings:
    """Build Settings from a ``[tool.lint-structured]``-shaped mapping, validating every key."""
    known_codes = tuple(known_codes)
    for key in table:
        if key not in _KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} (known keys: {', '.join(sorted(_KEYS))})")

    def str_list(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key!r} must be a list of strings")
        return tuple(value)

    select = validate_selectors(str_list("select"), known_codes, f"{where} select") if "select" in table else None
    ignore = validate_selectors(str_list("ignore"), known_codes, f"{where} ignore")
    pfi_raw = table.get("per-file-ignores", {})
    if not isinstance(pfi_raw, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table of glob = [codes]")
    per_file = []
    for pattern, codes in pfi_raw.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{where}: per-file-ignores[{pattern!r}] must be a list of codes")
        per_file.append((pattern, validate_selectors(codes, known_codes, f"{where} per-file-ignores[{pattern!r}]")))
    target = None
    if "target-version" in table:
        target = parse_target_version(table["target-version"], f"{where} target-version")
    groups = table.get("fix-exception-groups", "unwrap")
    if groups not in ("unwrap", "keep"):
        raise ConfigError(f"{where}: 'fix-exception-groups' must be 'unwrap' or 'keep', got {groups!r}")
    backend = table.get("fix-backend", "asyncio")
    if backend not in FIX_BACKENDS:
        raise ConfigError(f"{where}: 'fix-backend' must be one of {', '.join(FIX_BACKENDS)}, got {backend!r}")
    python = table.get("python")
    if python is not None and (not isinstance(python, str) or not python.strip()):
        raise ConfigError(f"{where}: 'python' must be the path of an interpreter or an environment, got {python!r}")
    if python is not None and not os.path.isabs(os.path.expanduser(python)):
        python = os.path.join(os.path.dirname(os.path.abspath(config_file)) if config_file else root, python)
    show_fixes = table.get("show-fixes", False)
    if not isinstance(show_fixes, bool):
        raise ConfigError(f"{where}: 'show-fixes' must be true or false, got {show_fixes!r}")
    return Settings(
        select=select,
        ignore=ignore,
        per_file_ignores=tuple(per_file),
        exclude=str_list("exclude"),
        target_version=target,
        extra_spawners=str_list("extra-spawners"),
        owning_spawners=str_list("owning-spawners"),
        extra_coroutine_functions=str_list("extra-coroutine-functions"),
        transparent_decorators=str_list("transparent-decorators"),
        python=python,
        fix_backend=backend,
        fix_exception_groups=groups,
        show_fixes=show_fixes,
        root=root,
        config_file=config_file,
    )


def target_for(settings: Settings, path: str) -> tuple[int, int]:
    """The Python version fixed code must run on.

    ``target-version`` from the configuration; else the lower bound of
    ``requires-python`` in the nearest ``pyproject.toml`` above ``path``;
    else the Python running lint-structured.
    """
    if settings.target_version is not None:
        return settings.target_version
    found = _requires_python(os.path.dirname(os.path.abspath(path)))
    return found if found is not None else sys.version_info[:2]


_REQUIRES_CACHE: dict[str, tuple[int, int] | None] = {}
_LINE_LENGTH_CACHE: dict[str, tuple[int, str] | None] = {}


def clear_caches() -> None:
    """Forget the ``requires-python``, line lengths and import layout read so far (a command starts anew)."""
    _REQUIRES_CACHE.clear()
    _LINE_LENGTH_CACHE.clear()
    _BETWEEN_TYPES_CACHE.clear()


def line_length_for(path: str) -> tuple[int, str] | None:
    """The line length the project of ``path`` enforces, and where it is set; None if none is.

    Looked up from the file's folder upwards, stopping at the folder with a
    ``pyproject.toml``: ``line-length`` in ``[tool.ruff]`` or ``[tool.black]``
    there, in ``ruff.toml``/``.ruff.toml``, or ``max-line-length`` in the
    ``[flake8]`` section of ``.flake8``, ``setup.cfg`` or ``tox.ini``.
    """
    directory = os.path.dirname(os.path.abspath(path))
    seen = []
    found = None
    while True:
        if directory in _LINE_LENGTH_CACHE:
            found = _LINE_LENGTH_CACHE[directory]
            break
        seen.append(directory)
        found, root = _line_length_in(directory)
        if found is not None or root:
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    for folder in seen:
        _LINE_LENGTH_CACHE[folder] = found
    return found


def _line_length_in(directory: str) -> tuple[tuple[int, str] | None, bool]:
    """(the line length configured in ``directory``, whether it is a project root)."""
    import configparser

    pyproject = os.path.join(directory, "pyproject.toml")
    root = os.path.isfile(pyproject)
    for name in ("ruff.toml", ".ruff.toml", "pyproject.toml"):
        candidate = os.path.join(directory, name)
        if not os.path.isfile(candidate):
            continue
        try:
            with open(candidate, "rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        tables = [(data, name)] if name != "pyproject.toml" else [
            (data.get("tool", {}).get("ruff", {}), "[tool.ruff]"), (data.get("tool", {}).get("black", {}), "[tool.black]")
        ]
        for table, where in tables:
            value = table.get("line-length") if isinstance(table, dict) else None
            if isinstance(value, int) and value > 0:
                return (value, f"{candidate}: {where} line-length"), root
    for name in (".flake8", "setup.cfg", "tox.ini"):
        candidate = os.path.join(directory, name)
        if not os.path.isfile(candidate):
            continue
        parser = configparser.RawConfigParser()
        try:
            parser.read(candidate, encoding="utf-8")
            value = parser.get("flake8", "max-line-length", fallback=None) or parser.get("flake8", "max_line_length", fallback=None)
        except (OSError, configparser.Error, UnicodeDecodeError):
            continue
        if value is not None and value.strip().isdigit() and int(value) > 0:
            return (int(value), f"{candidate}: [flake8] max-line-length"), root
    return None, root


def _requires_python(directory: str) -> tuple[int, int] | None:
    if directory in _REQUIRES_CACHE:
        return _REQUIRES_CACHE[directory]
    found = None
    candidate = os.path.join(directory, "pyproject.toml")
    if os.path.isfile(candidate):
        try:
            with open(candidate, "rb") as handle:
                spec = tomllib.load(handle).get("project", {}).get("requires-python")
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            spec = None
        if not isinstance(spec, str):
            spec = _setup_cfg_requires(directory)
        if isinstance(spec, str):  # the project root: its answer is final
            found = _lowest_python(spec)
    else:
        found = _parent_requires(directory)
    _REQUIRES_CACHE[directory] = found
    return found


def _lowest_python(spec: str) -> tuple[int, int] | None:
    """The lowest Python 3 release ``spec`` (a ``requires-python`` specifier) allows, or None."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(spec)
    except InvalidSpecifier:
        return None
    # A minor release counts when one of its patch releases is allowed (`>3.8` allows 3.8.1,
    # but code for it must also run on 3.8.0): its first and last plausible patch.
    for minor in range(0, 40):
        if any(allowed.contains(f"3.{minor}.{patch}", prereleases=True) for patch in (0, 99)):
            return (3, minor)
    return None


def _setup_cfg_requires(directory: str) -> str | None:
    """``python_requires`` in ``[options]`` of ``setup.cfg`` beside a ``pyproject.toml`` without one."""
    import configparser

    candidate = os.path.join(directory, "setup.cfg")
    if not os.path.isfile(candidate):
        return None
    parser = configparser.RawConfigParser()
    try:
        parser.read(candidate, encoding="utf-8")
        return parser.get("options", "python_requires", fallback=None)
    except (OSError, configparser.Error, UnicodeDecodeError):
        return None


def _parent_requires(directory: str) -> tuple[int, int] | None:
    parent = os.path.dirname(directory)
    return None if parent == directory else _requires_python(parent)


_BETWEEN_TYPES_CACHE: dict[str, bool] = {}


def blank_line_between_import_types(path: str) -> bool:
    """Whether the project of ``path`` wants a blank line between the ``import x`` and the
    ``from x import y`` statements of a section (isort's ``lines_between_types``, ruff's
    ``lines-between-types``), read from the nearest ``pyproject.toml``."""
    directory = os.path.dirname(os.path.abspath(path))
    while True:
        if directory in _BETWEEN_TYPES_CACHE:
            return _BETWEEN_TYPES_CACHE[directory]
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject):
            try:
                with open(pyproject, "rb") as handle:
                    tool = tomllib.load(handle).get("tool", {})
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                tool = {}
            ruff = tool.get("ruff", {})
            tables = [ruff.get("lint", {}).get("isort", {}), ruff.get("isort", {}), tool.get("isort", {})]
            found = any(_positive(t.get("lines-between-types", t.get("lines_between_types"))) for t in tables)
            _BETWEEN_TYPES_CACHE[directory] = found
            return found
        parent = os.path.dirname(directory)
        if parent == directory:
            return False
        directory = parent


def _positive(value: object) -> bool:
    try:
        return bool(int(value) > 0)  # type: ignore[call-overload]  # (a TOML int, or a string by mistake)
    except (TypeError, ValueError):
        return False


def is_glob(text: str) -> bool:
    """Whether a configured name (``extra-spawners``) is a pattern."""
    return any(ch in text for ch in "*?[")


def matches_any(names: Sequence[str], patterns: Sequence[str]) -> bool:
    """Whether one of ``names`` matches one of the configured ``patterns``."""
    return any(fnmatch.fnmatchcase(name, pattern) for name in names for pattern in patterns)
