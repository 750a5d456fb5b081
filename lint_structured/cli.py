"""The ``lint-structured`` command line: check, fix, rules, explain."""

from __future__ import annotations

import io
import json
import os
import sys
import tokenize
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import click

from lint_structured import __version__
from lint_structured.model import Finding, SourceError, split_lines
from lint_structured.settings import DEFAULT_EXCLUDES, ConfigError, Settings, find_config, load_settings, validate_selectors
from lint_structured.terminal import BOLD, GREEN, PLAIN, Palette, Progress, colour_diff, colour_wanted, format_finding, progress_wanted, render_markdown

if TYPE_CHECKING:  # imported where used: a warm run imports as little as it can
    import ast

    from lint_structured.cache import Cache

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class Problem:
    """A file that could not be checked, with the reason."""

    def __init__(self, path: str, reason: str, internal: bool = False) -> None:
        self.path, self.reason, self.internal = path, reason, internal

    def __str__(self) -> str:
        return f"{self.path}: error: {self.reason}"


def _split_selectors(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def display_path(path: Path, cwd: str | None = None) -> str:
    """The path as the user would open it: relative to the working directory when inside it."""
    text = str(path)
    if cwd is not None and os.path.normpath(text) == text:  # the common cases, without relpath's work
        if os.path.isabs(text):
            inside = text.startswith(cwd) and text[len(cwd) : len(cwd) + 1] == os.sep
            return text[len(cwd) + 1 :] if inside else text
        if not text.startswith(".."):
            return text
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return text
    return text if rel.startswith("..") else rel


def discover(paths: Iterable[str], settings: Settings) -> Iterator[Path | Problem]:
    """Python files under ``paths`` (``.pyi`` stubs skipped), honouring excludes, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(
                    d for d in dirnames if d not in DEFAULT_EXCLUDES and not settings.is_excluded(os.path.join(dirpath, d))
                )
                for filename in sorted(filenames):  # os.walk puts directories (`x.py/` too) in dirnames
                    if filename.endswith(".py"):
                        full = os.path.join(dirpath, filename)
                        if not settings.is_excluded(full):
                            yield Path(full)
        elif path.exists():
            if not raw.endswith(".pyi") and not settings.is_excluded(str(path)):
                yield path
        else:
            yield Problem(raw, "no such file or directory")


def discover_sources(paths: Iterable[str], settings: Settings, problems: list[Problem]) -> Iterator[tuple[str, Path]]:
    """(shown path, path) of each discovered file; what cannot be found goes to ``problems``."""
    cwd = os.getcwd()
    for item in discover(paths, settings):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        yield display_path(item, cwd), item


def read_source(shown: str, item: Path, problems: list[Problem]) -> tuple[bytes, os.stat_result, int] | None:
    """The file's bytes, its ``fstat`` and the time just before it was read; None (and a
    problem) when it cannot be read."""
    import time

    seen = time.time_ns()
    try:
        with open(item, "rb") as handle:
            return handle.read(), os.fstat(handle.fileno()), seen
    except OSError as exc:
        problems.append(Problem(shown, f"cannot read: {exc.strerror or exc}"))
        return None


class Sources:
    """The files of a run: their bytes when read, and what the cache knows of them.

    With a cache, a file whose ``stat`` says it has not changed since its bytes
    were hashed is not read at all unless it needs analysis (a miss) or its
    findings are shown; ``entries`` holds the cache's answer per shown path.
    """

    def __init__(self, paths: Sequence[str], settings: Settings, cache: Any, problems: list[Problem]) -> None:
        self.items: list[tuple[str, Path]] = []
        self.data: dict[str, bytes] = {}
        self.keys: dict[str, str] = {}
        self.entries: dict[str, dict[str, Any]] = {}
        self._problems = problems
        self._cache = cache
        self._settings = settings
        self._contents: dict[str, str] = {}
        found = list(discover_sources(paths, settings, problems))
        known = cache.known_hashes([os.path.abspath(item) for _, item in found]) if cache is not None else {}
        for shown, item in found:
            content: str | None = known.get(os.path.abspath(item))
            if content is None or cache is None:
                read = read_source(shown, item, problems)
                if read is None:
                    continue
                self.data[shown] = read[0]
                if cache is not None:
                    content = cache.hash_source(os.path.abspath(item), *read)
            if cache is not None and content is not None:
                self.keys[shown] = cache.key(content, settings.active_codes(shown), str(item))
                self._contents[shown] = content
            self.items.append((shown, item))
        if cache is not None:
            by_key = cache.get_many(list(self.keys.values()))
            self.entries = {shown: by_key[key] for shown, key in self.keys.items() if key in by_key}

    def bytes_of(self, shown: str, item: Path) -> bytes | None:
        """The file's bytes, read now if its ``stat`` was trusted. Should they differ from
        what the key was made from (an edit since), the key follows the bytes read, so
        that an answer is never stored under another content's key."""
        if shown not in self.data:
            read = read_source(shown, item, self._problems)
            if read is None:
                return None
            self.data[shown] = read[0]
            if self._cache is not None:
                content = self._cache.hash_source(os.path.abspath(item), *read)
                if content != self._contents.get(shown):
                    self.keys[shown] = self._cache.key(content, self._settings.active_codes(shown), str(item))
                    self._contents[shown] = content
        return self.data[shown]


def read_text_lines(data: bytes) -> list[str]:
    """Decode source bytes the way Python would, for showing excerpts; never raises."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    return split_lines(text.lstrip("\ufeff"))


def _cannot_hold_findings(shown: str, data: bytes, settings: Settings) -> tuple[bool, ast.Module | None]:
    """The prefilter's cheap stages (text, then ``ast``): (True, tree) when the file
    cannot hold a finding, so that it never loads LibCST (the pre-commit case, often).
    The tree is None when ``ast`` cannot parse the file: LibCST judges it then."""
    from lint_structured import prefilter

    codes = settings.active_codes(shown)
    tree = None
    if os.path.isfile(shown):
        from lint_structured import coroutines

        tree = coroutines.take_tree(coroutines.real_path(shown), data)  # parsed for an outline already
    if tree is None:
        tree = prefilter.parse(data)
    skip = tree is not None and (
        not codes
        or not prefilter.text_passes(data, codes, settings, shown)
        or not prefilter.syntax_passes(tree, codes, settings, shown)
    )
    return skip, tree


_gc_tuned = False


def _tune_gc() -> None:
    """Collect cycles rarely in this process (and in the workers it forks).

    A check makes and drops hundreds of thousands of acyclic nodes per file, and
    each of the cyclic collector's passes walks every live object: with
    Python's default thresholds it took about a sixth of the run. Reference
    counting frees the trees; the collector still runs, a few hundred times
    less often. Only the command-line process is tuned, never flake8's.
    """
    global _gc_tuned
    if not _gc_tuned:
        import gc

        gc.freeze()  # what is alive now (the imports) stays: never walk it again
        gc.set_threshold(100_000, 50, 100)
        _gc_tuned = True


def _start_run() -> None:
    """A command run in a process that ran others (tests, an API user) sees the files anew."""
    from lint_structured import coroutines

    coroutines.clear_caches()


def analyse_one(shown: str, data: bytes, settings: Settings) -> tuple[str, Any, dict[str, str | None]]:
    """Analyse one file: ("ok", findings as JSON, dependencies), ("error", reason, {})
    or ("internal", reason, {}). The dependencies are every path a module lookup
    probed (the prefilter's too) with what it holds now. A top-level function, so
    that worker processes can run it."""
    from lint_structured import coroutines
    from lint_structured.cache import finding_to_json

    _tune_gc()
    consulted: dict[str, str | None] = {}
    with coroutines.tracking(consulted):
        skip, tree = _cannot_hold_findings(shown, data, settings)
        if skip:
            return "ok", [], consulted
        try:
            # The stages above passed (or the file did not parse with ast, for LibCST to judge).
            if settings.show_fixes:
                from lint_structured import fixers

                findings = fixers.lint(data, shown, settings, consulted=consulted, tree=tree, prefiltered=tree is not None)
            else:
                from lint_structured.engine import lint_source

                findings = lint_source(data, shown, settings, consulted=consulted, tree=tree, prefiltered=tree is not None)
        except SourceError as exc:
            return "error", str(exc), {}
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            return "internal", f"internal error: {type(exc).__name__}: {exc} (please report this)", {}
    return "ok", [finding_to_json(f) for f in findings], consulted


def analyse_many(batch: list[tuple[str, bytes]], settings: Settings) -> list[tuple[str, Any, dict[str, str | None]]]:
    """``analyse_one`` over a batch of files: one round trip to a worker for many small files."""
    return [analyse_one(shown, data, settings) for shown, data in batch]


def batches(work: list[tuple[str, bytes]], jobs: int) -> list[list[int]]:
    """Indices of ``work`` in batches for ``jobs`` workers: largest files first, so that no
    worker is left with a long tail; a big file alone, small ones together, about
    1/32 of a worker's share of the bytes each, to save a round trip per file."""
    order = sorted(range(len(work)), key=lambda i: -len(work[i][1]))
    share = sum(len(data) for _, data in work) / (jobs * 32)
    out: list[list[int]] = []
    size = 0
    for i in order:
        if not out or size + len(work[i][1]) > share:
            out.append([])
            size = 0
        out[-1].append(i)
        size += len(work[i][1])
    return out


def _analyse_all(
    work: list[tuple[str, bytes]], settings: Settings, jobs: int, progress: Callable[[int], None] = lambda done: None
) -> list[tuple[str, Any, dict[str, str | None]]]:
    """``analyse_one`` for every file, in ``jobs`` processes; ``progress`` hears how many are done."""
    # A pool costs a start-up per worker: worth it only for more than a handful of files.
    if jobs <= 1 or len(work) < 4 * jobs:
        out = []
        for shown, data in work:
            out.append(analyse_one(shown, data, settings))
            progress(len(out))
        return out
    import concurrent.futures
    import itertools

    groups = batches(work, jobs)
    results: list[Any] = [None] * len(work)
    finished = 0
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        done = pool.map(analyse_many, [[work[i] for i in group] for group in groups], itertools.repeat(settings))
        for group, found in zip(groups, done):
            for i, result in zip(group, found):
                results[i] = result
            finished += len(group)
            progress(finished)
    return results


def _settings(paths: Sequence[str], config_path: Path | None, select: Sequence[str], ignore: Sequence[str], python: str | None = None) -> Settings:
    """Settings from the configuration and the command line; exits 2 on a configuration error."""
    from lint_structured.codes import ALL_CODES

    try:
        config_file = config_path or find_config(Path(paths[0]))
        settings = load_settings(config_file, ALL_CODES)
        if select:
            settings = settings.replace(select=validate_selectors(_split_selectors(select), ALL_CODES, "--select"))
        if ignore:
            settings = settings.replace(ignore=settings.ignore + validate_selectors(_split_selectors(ignore), ALL_CODES, "--ignore"))
        if python:
            settings = settings.replace(python=os.path.abspath(os.path.expanduser(python)))
    except ConfigError as exc:
        click.echo(f"lint-structured: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    return settings


def _warn(message: str) -> None:
    click.echo(f"lint-structured: warning: {message}", err=True)


def _open_cache(paths: Sequence[str], settings: Settings, no_cache: bool, cache_dir: Path | None) -> Cache | None:
    """The run's cache (None with ``--no-cache``): at the project root of the first path,
    unless ``--cache-dir`` or ``LINT_STRUCTURED_CACHE_DIR`` say where."""
    if no_cache:
        return None
    from lint_structured import cache, coroutines  # no LibCST behind these imports

    first = next((p for p in paths if os.path.exists(p)), None)
    if first is None:
        return None  # nothing to check, nothing to cache (and no folder to guess)
    root = coroutines.root_of(Path(first))
    return cache.Cache(cache.cache_dir(root, cache_dir), root, settings, warn=_warn)


_PYTHON_HELP = (
    "The Python environment whose installed libraries imports resolve into: an interpreter or an environment's "
    "folder (default: the `python` setting, else $VIRTUAL_ENV, else .venv at the project root, else the one running this)."
)
_VERBOSE_HELP = "Say on stderr which environment's libraries are used, and why a library could not be."


def _describe_environment(paths: Sequence[str], settings: Settings) -> None:
    from lint_structured import coroutines, environment  # no LibCST behind these imports

    first = next((p for p in paths if os.path.exists(p)), ".")
    root = coroutines.root_of(Path(first))
    click.echo(f"lint-structured: {environment.find(settings.python, str(root)).describe()}", err=True)


_CACHE_DIR_HELP = "Folder of the cache (default: .lint-structured-cache/ at the project root; also LINT_STRUCTURED_CACHE_DIR)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lint-structured")
def main() -> None:
    """Find runaway asyncio tasks and migrate them to structured concurrency."""


_COLOR_HELP = "Colour: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always or never."
color_option = click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help=_COLOR_HELP)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (LSC = all, LSC1 = a family). Replaces the configured selection.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable, on top of the configured ones.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True, help="Output format: text, JSON, SARIF 2.1.0 (GitHub code scanning) or GitHub workflow annotations.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings (text format).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), help="Report only findings that are not in this baseline file.")
@click.option("--update-baseline", is_flag=True, help="Record the current findings in the --baseline file and exit 0.")
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when there are findings.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="pyproject.toml to read [tool.lint-structured] from (default: the nearest one).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Processes for the files that need analysis (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Analyse every file; do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help=_CACHE_DIR_HELP)
@click.option("--show-fixes", is_flag=True, help="Show for each finding the fix `lint-structured fix` would make, or why there is none (parses files with findings with LibCST: slower).")
@click.option("--python", "python", type=click.Path(), default=None, help=_PYTHON_HELP)
@click.option("-v", "--verbose", is_flag=True, help=_VERBOSE_HELP)
@color_option
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    statistics: bool,
    baseline_path: Path | None,
    update_baseline: bool,
    exit_zero: bool,
    config_path: Path | None,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    show_fixes: bool,
    python: str | None,
    verbose: bool,
    color: str,
) -> None:
    """Report runaway tasks in PATHS (default: the current directory).

    Exit status: 0 clean, 1 findings (or files that could not be checked),
    2 usage, configuration or internal error, or nothing could be checked.
    """
    paths = paths or (".",)
    _start_run()
    if update_baseline and baseline_path is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    settings = _settings(paths, config_path, select, ignore, python)
    if show_fixes:
        settings = settings.replace(show_fixes=True)
    if verbose:
        _describe_environment(paths, settings)

    cache = _open_cache(paths, settings, no_cache, cache_dir)
    findings, problems, checked, sources = _collect(paths, settings, cache, jobs, progress_wanted(output_format, sys.stderr))
    problems.sort(key=lambda p: p.path)
    for problem in problems:
        click.echo(str(problem), err=True)
    findings.sort()
    where = dict(sources.items)
    lines = {path: read_text_lines(sources.bytes_of(path, where[path]) or b"") for path in {f.path for f in findings}}
    hidden = 0
    if baseline_path is not None:
        findings, hidden = _against_baseline(findings, lines, baseline_path, update_baseline)
    paint = Palette(output_format == "text" and colour_wanted(color, sys.stdout))
    _emit(findings, problems, checked, hidden, lines, output_format, statistics, settings.show_fixes, paint)

    internal = any(p.internal for p in problems)
    if internal or (problems and checked == 0):
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if findings or problems else EXIT_CLEAN)


def _collect(
    paths: Sequence[str], settings: Settings, cache: Cache | None, jobs: int | None, show_progress: bool = False
) -> tuple[list[Finding], list[Problem], int, Sources]:
    """The findings of every file under ``paths`` (from the cache, or analysed in
    ``jobs`` processes and then cached), the files that could not be checked, and how
    many were."""
    from lint_structured.cache import finding_from_json  # no LibCST behind this import

    findings: list[Finding] = []
    problems: list[Problem] = []
    checked = 0
    sources = Sources(paths, settings, cache, problems)
    work: list[tuple[str, bytes]] = []
    for shown, item in sources.items:
        entry = sources.entries.get(shown)
        if entry is None:
            data = sources.bytes_of(shown, item)
            if data is not None:
                work.append((shown, data))
            continue
        if "error" in entry:
            problems.append(Problem(shown, entry["error"]))
            continue
        checked += 1
        findings.extend(finding_from_json(f, shown) for f in entry["findings"])

    if work:
        progress = Progress("Checking", len(work), show_progress)
        analysed = _analyse_all(work, settings, jobs or os.cpu_count() or 1, progress.update)
        progress.finish()
        for (shown, _), (kind, payload, deps) in zip(work, analysed):
            if kind == "internal":
                problems.append(Problem(shown, payload, internal=True))
                continue
            if cache is not None:
                cache.put(sources.keys[shown], {"error": payload} if kind == "error" else {"findings": payload, "deps": deps})
            if kind == "error":
                problems.append(Problem(shown, payload))
                continue
            checked += 1
            findings.extend(finding_from_json(f, shown) for f in payload)

    if cache is not None:
        cache.close()
    return findings, problems, checked, sources


def _against_baseline(
    findings: list[Finding], lines: dict[str, list[str]], baseline_path: Path, update: bool
) -> tuple[list[Finding], int]:
    """The findings the baseline does not hold, and how many it hid; with ``update``,
    record them all in it and exit."""
    from lint_structured import baseline

    prints = baseline.fingerprints(findings, lines, baseline_path.parent)
    if update:
        baseline.write(baseline_path, findings, prints)
        click.echo(f"Recorded {len(findings)} finding{'s' if len(findings) != 1 else ''} in {baseline_path}.")
        sys.exit(EXIT_CLEAN)
    try:
        known = baseline.load(baseline_path)
    except baseline.BaselineError as exc:
        click.echo(f"lint-structured: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    kept = [f for f, fp in zip(findings, prints) if fp not in known]
    return kept, len(findings) - len(kept)


def _emit(
    findings: list[Finding],
    problems: list[Problem],
    checked: int,
    hidden: int,
    lines: dict[str, list[str]],
    output_format: str,
    statistics: bool,
    show_fixes: bool,
    paint: Palette = PLAIN,
) -> None:
    """Print the findings in ``output_format`` (text in colour when ``paint`` is on)."""
    if output_format == "json":
        rows = [f.to_dict() for f in findings]
        if not show_fixes:
            for row in rows:
                del row["fix"]  # not planned: absent, not "none"
        click.echo(json.dumps(rows, indent=2))
    elif output_format == "sarif":
        from lint_structured.output import sarif

        click.echo(sarif(findings, show_fixes, lines))
    elif output_format == "github":
        from lint_structured.output import github

        if findings:
            click.echo(github(findings))
    elif statistics:
        from lint_structured.output import statistics as counts

        click.echo(counts(findings))
        click.echo(_summary(findings, problems, checked, hidden))
    else:
        for finding in findings:
            click.echo(format_finding(finding, lines[finding.path], show_fixes, paint), color=paint.enabled)
        click.echo(_summary(findings, problems, checked, hidden, paint), color=paint.enabled)
        if findings and not show_fixes:
            click.echo("Run `lint-structured check --show-fixes` to see which can be fixed, or `lint-structured fix --diff` to preview the fixes.")


def _summary(findings: list[Finding], problems: list[Problem], checked: int, hidden: int = 0, paint: Palette = PLAIN) -> str:
    files = f"{checked} file{'s' if checked != 1 else ''} checked"
    if hidden:
        files += f"; {hidden} known finding{'s' if hidden != 1 else ''} hidden by the baseline"
    parts = []
    if findings:
        by_code = Counter(f.code for f in findings)
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(by_code.items()))
        parts.append(paint(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''}", BOLD) + f" ({codes}); {files}.")
    else:
        parts.append(paint("No findings", BOLD, GREEN) + f"; {files}.")
    if problems:
        parts.append(f"{len(problems)} file{'s' if len(problems) != 1 else ''} could not be checked (see above).")
    return " ".join(parts)


def fix_one(shown: str, data: bytes, settings: Settings, unsafe: bool, dry_run: bool = False) -> dict[str, Any]:
    """Fix one file's bytes; plain data back, so that worker processes can run it.

    ``kind`` is "ok", "error" (the file cannot be analysed: reason) or
    "internal". Nothing is written here. With ``dry_run`` (``--diff``), the
    findings left are numbered by the lines of the original file.
    """
    from lint_structured.cache import finding_to_json

    _tune_gc()
    skip, tree = _cannot_hold_findings(shown, data, settings)
    if skip:
        return {"kind": "ok", "fixed": None, "applied": [], "remaining": []}
    from lint_structured.fixers.apply import fix_source

    try:
        # The stages above passed: the first analysis need not run them again.
        result = fix_source(data, shown, settings, unsafe=unsafe, tree=tree)
    except SourceError as exc:
        return {"kind": "error", "reason": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return {"kind": "internal", "reason": f"internal error: {type(exc).__name__}: {exc} (please report this)"}
    return {
        "kind": "ok",
        "fixed": result.fixed,
        "old": result.old_text if result.fixed is not None else "",
        "new": result.new_text if result.fixed is not None else "",
        "applied": [finding_to_json(f) for f in result.applied],
        "remaining": [
            [finding_to_json(f), reason] for f, reason in (result.remaining_in_original() if dry_run else result.remaining)
        ],
    }


def _fix_all(work: list[tuple[str, bytes]], settings: Settings, unsafe: bool, jobs: int, dry_run: bool) -> Iterator[dict[str, Any]]:
    if jobs <= 1 or len(work) < 4 * jobs:
        for shown, data in work:
            yield fix_one(shown, data, settings, unsafe, dry_run)
        return
    import concurrent.futures
    import itertools

    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, min(8, len(work) // (jobs * 8)))
        yield from pool.map(
            fix_one,
            [shown for shown, _ in work],
            [data for _, data in work],
            itertools.repeat(settings),
            itertools.repeat(unsafe),
            itertools.repeat(dry_run),
            chunksize=chunk,
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data``: a temporary file beside it, then a rename.

    The file's permission bits are kept; a symlink keeps pointing at the
    (rewritten) file it pointed at.
    """
    import stat
    import tempfile

    real = path.resolve()
    mode = stat.S_IMODE(real.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".lsc-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes and write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (they change timing or exception types; see each rule's Fix safety).")
@click.option("--select", multiple=True, help="Rule codes or prefixes to fix (LSC = all). Replaces the configured selection.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes not to fix, on top of the configured ones.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the summary as JSON to this file.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="pyproject.toml to read [tool.lint-structured] from (default: the nearest one).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Processes (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Do not skip the files that the check cache knows to be clean.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help=_CACHE_DIR_HELP)
@click.option("--python", "python", type=click.Path(), default=None, help=_PYTHON_HELP)
@click.option("-v", "--verbose", is_flag=True, help=_VERBOSE_HELP)
@color_option
def fix(
    paths: tuple[str, ...],
    diff: bool,
    unsafe_fixes: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    report_path: Path | None,
    config_path: Path | None,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    python: str | None,
    verbose: bool,
    color: str,
) -> None:
    """Rewrite runaway tasks in PATHS into structured concurrency (default: the current directory).

    Applies the safe fixes of the selected findings (and the unsafe ones with
    --unsafe-fixes), honouring `# noqa` and per-file-ignores. Every fixed file
    is checked to compile and to keep its comments before it is written
    (atomically). Exit status: 0 nothing to change, 1 files changed (or would
    change, with --diff) or findings left unfixed, 2 usage, configuration or
    internal error, or nothing could be checked.
    """
    paths = paths or (".",)
    _start_run()
    settings = _settings(paths, config_path, select, ignore, python)
    if verbose:
        _describe_environment(paths, settings)
    cache = _open_cache(paths, settings, no_cache, cache_dir)
    problems: list[Problem] = []
    sources = Sources(paths, settings, cache, problems)
    if cache is not None:
        cache.close()
    work: list[tuple[str, bytes]] = []
    originals: dict[str, Path] = {}
    checked = 0
    for shown, item in sources.items:
        entry = sources.entries.get(shown)
        if entry is not None and "error" not in entry and not entry["findings"]:
            checked += 1  # known clean: nothing to fix
            continue
        data = sources.bytes_of(shown, item)
        if data is None:
            continue
        originals[shown] = item
        work.append((shown, data))

    done = _FixRun(problems, checked, Palette(colour_wanted(color, sys.stdout)))
    done.apply(work, originals, settings, unsafe_fixes, jobs, diff)
    done.report(diff, report_path)
    if any(p.internal for p in done.problems) or (done.problems and done.checked == 0):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if done.changed or done.remaining or done.problems else EXIT_CLEAN)


class _FixRun:
    """What ``fix`` did to the files: changed, fixes applied, findings left and why,
    files that could not be fixed."""

    def __init__(self, problems: list[Problem], checked: int, paint: Palette = PLAIN) -> None:
        self.paint = paint
        self.problems = problems
        self.checked = checked
        self.changed: list[str] = []
        self.applied: list[Finding] = []
        self.remaining: list[tuple[Finding, str]] = []

    def apply(
        self,
        work: list[tuple[str, bytes]],
        originals: dict[str, Path],
        settings: Settings,
        unsafe_fixes: bool,
        jobs: int | None,
        diff: bool,
    ) -> None:
        """Fix ``work`` in ``jobs`` processes; write each fixed file (or, with ``diff``, print its diff)."""
        results = _fix_all(work, settings, unsafe_fixes, jobs or os.cpu_count() or 1, diff)
        progress = Progress("Fixing", len(work), progress_wanted("text", sys.stderr))
        try:
            for done, ((shown, _), result) in enumerate(zip(work, results), 1):
                progress.finish()  # a diff or a message may follow: never under the progress line
                self._one(shown, result, originals, diff)
                progress.update(done)
        finally:
            progress.finish()

    def _one(self, shown: str, result: dict[str, Any], originals: dict[str, Path], diff: bool) -> None:
        from lint_structured.cache import finding_from_json

        if result["kind"] != "ok":
            self.problems.append(Problem(shown, result["reason"], internal=result["kind"] == "internal"))
            return
        self.checked += 1
        self.applied.extend(finding_from_json(f, shown) for f in result["applied"])
        self.remaining.extend((finding_from_json(f, shown), reason) for f, reason in result["remaining"])
        if result["fixed"] is None:
            return
        self.changed.append(shown)
        if diff:
            from libcst.codemod import diff_code

            patch = diff_code(result["old"], result["new"], 3, filename=shown)
            click.echo(colour_diff(patch, self.paint), nl=not patch.endswith("\n"), color=self.paint.enabled)
            return
        try:
            write_atomic(originals[shown], result["fixed"])
        except OSError as exc:
            self.changed.remove(shown)
            self.problems.append(Problem(shown, f"cannot write: {exc.strerror or exc}"))

    def report(self, diff: bool, report_path: Path | None) -> None:
        """Print the problems, the findings left with why, and the summary; write ``report_path``."""
        self.problems.sort(key=lambda p: p.path)
        out = sys.stderr if diff else sys.stdout
        for problem in self.problems:
            click.echo(str(problem), err=True)
        self.remaining.sort(key=lambda pair: pair[0])
        for finding, reason in self.remaining:
            click.echo(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} [{finding.name}] not fixed: {reason}", file=out)
        click.echo(_fix_summary(self.changed, self.applied, self.remaining, self.problems, self.checked, diff), file=out)
        if report_path is None:
            return
        report = {
            "dry_run": diff,
            "files_changed": sorted(self.changed),
            "fixes_applied": dict(sorted(Counter(f.code for f in self.applied).items())),
            "applied": [f.to_dict() for f in sorted(self.applied)],
            "remaining": [{**f.to_dict(), "reason": reason} for f, reason in self.remaining],
            "errors": [{"path": p.path, "reason": p.reason} for p in self.problems],
        }
        try:
            report_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            click.echo(f"lint-structured: error: cannot write {report_path}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_ERROR)


def _fix_summary(
    changed: list[str], applied: list[Finding], remaining: list[tuple[Finding, str]], problems: list[Problem], checked: int, dry_run: bool
) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    parts = []
    if applied:
        by_code = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(f.code for f in applied).items()))
        verb = "Would fix" if dry_run else "Fixed"
        parts.append(f"{verb} {plural(len(applied), 'finding')} ({by_code}) in {plural(len(changed), 'file')}.")
    else:
        parts.append("Nothing to fix." if not remaining else "No fix applied.")
    if remaining:
        by_code = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(f.code for f, _ in remaining).items()))
        parts.append(f"{plural(len(remaining), 'finding')} left ({by_code}).")
    parts.append(f"{plural(checked, 'file')} checked.")
    if problems:
        parts.append(f"{plural(len(problems), 'file')} could not be fixed (see above).")
    return " ".join(parts)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help=_CACHE_DIR_HELP)
def clean(paths: tuple[str, ...], cache_dir: Path | None) -> None:
    """Remove the cache of the project that holds PATHS (default: the current directory)."""
    from lint_structured import cache, coroutines

    _start_run()
    failed = False
    done: set[Path] = set()
    for raw in paths or (".",):
        folder = cache.cache_dir(coroutines.root_of(Path(raw)), cache_dir)
        if folder in done:
            continue
        done.add(folder)
        try:
            removed = cache.clean(folder)
        except OSError as exc:
            click.echo(f"lint-structured: error: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), err=True)
            failed = True
            continue
        click.echo(f"Removed {folder}." if removed else f"No cache at {folder}.")
    sys.exit(EXIT_ERROR if failed else EXIT_CLEAN)


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(output_format: str) -> None:
    """List every rule: code, name, default, fix and summary."""
    from lint_structured.rules import ALL_RULES

    if output_format == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "summary": r.summary,
                        "default_enabled": r.default_enabled,
                        "fix": r.fix_applicability.value if r.fix_applicability else None,
                    }
                    for r in ALL_RULES
                ],
                indent=2,
            )
        )
        return
    width = max(len(r.name) for r in ALL_RULES)
    labels = {r.code: f"[{r.fix_applicability.value if r.fix_applicability else 'no fix'}]" for r in ALL_RULES}
    fix_width = max(len(label) for label in labels.values())
    for r in ALL_RULES:
        default = "" if r.default_enabled else " (off by default)"
        click.echo(f"{r.code}  {r.name:<{width}}  {labels[r.code]:<{fix_width}}  {r.summary}{default}")


@main.command()
def server() -> None:
    """Run the language server on stdin/stdout (for editors; needs the `server` extra)."""
    try:
        from lint_structured.server import serve
    except ImportError as exc:
        click.echo(f"lint-structured: error: the language server needs pygls ({exc}); install it with: pip install 'lint-structured[server]'", err=True)
        sys.exit(EXIT_ERROR)
    serve()


@main.command()
@click.argument("rule")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text", show_default=True, help="text: for reading (in colour on a terminal); markdown: the source, as in docs/rules.md.")
@color_option
def explain(rule: str, output_format: str, color: str) -> None:
    """Show the documentation of RULE (a code such as LSC101 or a name such as dropped-task)."""
    from lint_structured.rules import ALL_CODES, lookup

    found = lookup(rule)
    if found is None:
        click.echo(f"lint-structured: error: unknown rule {rule!r} (known: {', '.join(ALL_CODES)})", err=True)
        sys.exit(EXIT_ERROR)
    if output_format == "markdown":
        click.echo(found.documentation())
        return
    paint = Palette(colour_wanted(color, sys.stdout))
    click.echo(render_markdown(found.documentation(), paint), color=paint.enabled)
