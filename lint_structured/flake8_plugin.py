"""The flake8 plugin: a thin adapter over the engine.

flake8 owns selection (``--select``/``--extend-ignore``), ``# noqa`` and
``per-file-ignores``, so the plugin runs every rule and leaves those to
flake8. Spawner lists come from flake8's options
(``--lsc-extra-spawners``/``--lsc-owning-spawners`` or the same keys in
flake8's config); when those are not given, the plugin reads them from
``[tool.lint-structured]`` in the nearest pyproject.toml, as the CLI does.

flake8 has no cache of its own for plugins, and a plugin that writes files
into every project it is run on surprises people: the plugin keeps no cache
on disk unless ``--lsc-cache`` (``lsc-cache = true`` in flake8's config) asks
for the CLI's cache at the project root (or ``LINT_STRUCTURED_CACHE_DIR``).
"""

from __future__ import annotations

import ast
import functools
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, Sequence

from lint_structured import __version__
from lint_structured.model import SourceError
from lint_structured.settings import ConfigError, Settings, find_config, load_settings

if TYPE_CHECKING:  # imported where used: flake8 loads every plugin at start-up
    from lint_structured.cache import Cache
    from lint_structured.model import Finding

LOG = logging.getLogger(__name__)


@functools.lru_cache(maxsize=None)
def _plugin_cache(root: Path, settings: Settings) -> Cache:
    from lint_structured.cache import Cache, cache_dir

    def warn(message: str) -> None:
        LOG.warning("lint-structured: %s", message)

    # flake8 runs files in several processes: each entry is written at once.
    return Cache(cache_dir(root), root, settings, warn=warn, autoflush=True)


@functools.lru_cache(maxsize=None)
def _pyproject_settings(config: Path | None) -> Settings:
    """The detection settings of ``[tool.lint-structured]``, read once per file per run."""
    from lint_structured.rules import ALL_CODES

    try:
        loaded = load_settings(config, ALL_CODES)
    except ConfigError as exc:
        LOG.warning("lint-structured: %s", exc)
        return Settings()
    # Selection belongs to flake8; keep only what changes detection.
    return Settings(
        extra_spawners=loaded.extra_spawners,
        owning_spawners=loaded.owning_spawners,
        extra_coroutine_functions=loaded.extra_coroutine_functions,
        python=loaded.python,
        transparent_decorators=loaded.transparent_decorators,
        root=loaded.root,
    )


class Plugin:
    """flake8 entry point ``LSC``."""

    name = "lint-structured"
    version = __version__
    # flake8 hands options to a classmethod, so they live on the class.
    _extra_spawners: ClassVar[tuple[str, ...]] = ()
    _owning_spawners: ClassVar[tuple[str, ...]] = ()
    _extra_coroutines: ClassVar[tuple[str, ...]] = ()
    _use_cache: ClassVar[bool] = False

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        # flake8's own parse of the file: the engine builds its tree from it.
        self.tree = tree if isinstance(tree, ast.Module) else None
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        from lint_structured.rules import ALL_RULES

        # Rules that are off by default stay off in a plain `flake8` run, and are
        # reported when selected (`--select LSC`, `--select LSC501`), as in the CLI.
        option_manager.extend_default_ignore([r.code for r in ALL_RULES if not r.default_enabled])
        option_manager.add_option(
            "--lsc-extra-spawners",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help="Functions whose returned task must be kept (qualified names or globs).",
        )
        option_manager.add_option(
            "--lsc-extra-coroutine-functions",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help="Functions to treat as coroutine functions (qualified names or globs).",
        )
        option_manager.add_option(
            "--lsc-owning-spawners",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help="The project's spawn helpers that keep their tasks: never reported.",
        )
        option_manager.add_option(
            "--lsc-cache",
            action="store_true",
            default=False,
            parse_from_config=True,
            help="Keep lint-structured's findings in its cache at the project root (off: nothing is written).",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls._extra_spawners = tuple(getattr(options, "lsc_extra_spawners", None) or ())
        cls._owning_spawners = tuple(getattr(options, "lsc_owning_spawners", None) or ())
        cls._extra_coroutines = tuple(getattr(options, "lsc_extra_coroutine_functions", None) or ())
        cls._use_cache = bool(getattr(options, "lsc_cache", False))

    def _analyse(self, source: str, settings: Settings, consulted: dict[str, str | None] | None = None) -> list[Finding] | None:
        from lint_structured.engine import lint_source
        from lint_structured.rules import ALL_RULES

        try:
            findings = lint_source(
                source,
                self.filename,
                settings,
                apply_noqa=False,
                validate=False,
                rules=ALL_RULES,
                consulted=consulted,
                tree=self.tree,
            )
        except SourceError as exc:
            LOG.warning("lint-structured: %s: %s", self.filename, exc)
            return None
        return findings

    def _settings(self) -> Settings:
        if self._extra_spawners or self._owning_spawners or self._extra_coroutines:
            return Settings(
                extra_spawners=self._extra_spawners,
                owning_spawners=self._owning_spawners,
                extra_coroutine_functions=self._extra_coroutines,
                root=os.getcwd(),
            )
        config = find_config(Path(self.filename)) if self.filename not in ("-", "stdin") else None
        return _pyproject_settings(config)

    def _cached(self, settings: Settings) -> list[Finding] | None:
        from lint_structured import coroutines
        from lint_structured.cache import finding_from_json, finding_to_json
        from lint_structured.model import content_hash
        from lint_structured.codes import ALL_CODES

        data = "".join(self.lines).encode("utf-8", "surrogatepass")
        cache = _plugin_cache(coroutines.root_of(Path(self.filename)), settings)
        # Every rule, noqa left to flake8: entries of their own, apart from the CLI's.
        key = cache.key(content_hash(data), (*ALL_CODES, "flake8"), self.filename)
        entry = cache.get(key)
        if entry is not None and "findings" in entry:
            return [finding_from_json(f, self.filename) for f in entry["findings"]]
        consulted: dict[str, str | None] = {}
        findings = self._analyse(data.decode("utf-8", "surrogatepass"), settings, consulted)
        if findings is not None:
            cache.put(key, {"findings": [finding_to_json(f) for f in findings], "deps": consulted})
        return findings

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        settings = self._settings()
        findings = self._cached(settings) if self._use_cache else self._analyse("".join(self.lines), settings)
        if findings is None:
            return
        if any("RUF006" in line.upper() for line in self.lines):
            from lint_structured.engine import filter_noqa

            # flake8 handles `# noqa` for our codes; `# noqa: RUF006` (ruff's rule) means LSC101 too.
            findings = filter_noqa(findings, [line.rstrip("\r\n") for line in self.lines], aliases_only=True)
        for finding in findings:
            # flake8 columns are 0-based; it adds one when printing.
            yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)
