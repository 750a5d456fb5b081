"""Speed benchmark: lint-structured against ruff and flake8-async, in one run.

    python -m pip install -e . ruff flake8-async
    python benchmarks/speed.py [--jobs 2] [--packages aiohttp,redis,...] [--skip-flake8-async]

For each corpus (the standard library's ``asyncio`` package and its tests;
the named pip-installed packages) it times, with the same number of
processes:

* ``lint-structured check`` cold (``--no-cache``), cold with ``--show-fixes``
  (every finding's fix planned: LibCST parses the files with findings), and
  warm (second run over an unchanged tree with the cache filled);
* ``ruff check --select RUF006,ASYNC`` (cold, ``--no-cache``);
* ``flake8 --select ASYNC`` with flake8-async;
* LibCST ``parse_module`` alone over the files that pass lint-structured's
  prefilter (the floor any analysis on LibCST's parse pays; ``check`` now
  detects on nodes built from ``ast`` and skips it), and ``ast.parse`` alone
  over every file (``check``'s own floor: it parses each file once);

one ~1,000-line file checked alone (the pre-commit case, start-up
included), and a cold check of the whole standard library plus the packages
(over a million lines) with the peak memory of all its processes together. It prints a Markdown table with seconds, lines per second and
ratios. Nothing here is asserted: read the numbers.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PACKAGES = "aiohttp,websockets,redis,discord,textual,telegram,anyio,asyncpg"


def python_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_file():
            files.append(path)
        else:
            files.extend(p for p in sorted(path.rglob("*.py")) if "__pycache__" not in p.parts)
    return files


def count_lines(files: list[Path]) -> int:
    return sum(p.read_bytes().count(b"\n") for p in files)


def timed(command: list[str], cwd: Path) -> tuple[float, int | None]:
    """Wall seconds and peak resident memory (MB, when /usr/bin/time is there)."""
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        prefix = [timer, "-f", "%M", "-o", rss.name] if timer else []
        start = time.perf_counter()
        subprocess.run(prefix + command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        text = Path(rss.name).read_text().strip().splitlines()
        peak = int(text[-1]) // 1024 if timer and text and text[-1].isdigit() else None
    return elapsed, peak


def ast_floor(files: list[Path]) -> float:
    """``ast.parse`` of every file, in this process: ``check`` parses each once (to name
    broken files), so this is its floor on one process."""
    from lint_structured import prefilter

    datas = [path.read_bytes() for path in files]
    start = time.perf_counter()
    for data in datas:
        prefilter.parse(data)
    return time.perf_counter() - start


def parse_floor(files: list[Path]) -> tuple[float, int]:
    """LibCST parse_module over the files that pass both prefilter stages, in this process
    (what a check built on LibCST's parse would pay at least; ``check`` no longer parses
    with LibCST, ``fix`` does)."""
    import libcst

    from lint_structured import prefilter
    from lint_structured.settings import Settings

    settings = Settings(select=("LSC",))
    codes = settings.active_codes("x.py")
    passing = []
    for path in files:
        data = path.read_bytes()
        tree = prefilter.parse(data)
        if prefilter.text_passes(data, codes, settings, str(path)) and (
            tree is None or prefilter.syntax_passes(tree, codes, settings, str(path))
        ):
            passing.append(data)
    start = time.perf_counter()
    for data in passing:
        try:
            libcst.parse_module(data)
        except Exception:  # noqa: BLE001 - a file LibCST rejects costs what it costs
            pass
    return time.perf_counter() - start, len(passing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--packages", default=DEFAULT_PACKAGES, help="comma-separated importable package names")
    parser.add_argument("--skip-flake8-async", action="store_true", help="it takes minutes on large corpora")
    parser.add_argument("--skip-stdlib-modules", action="store_true", help="leave out the stdlib's top-level modules")
    parser.add_argument("--skip-big-tree", action="store_true", help="leave out the cold check of the whole stdlib plus the packages")
    args = parser.parse_args()

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    corpora: dict[str, list[Path]] = {}
    if not args.skip_stdlib_modules:
        # Mostly code that is not async at all: what the prefilter is for.
        corpora["stdlib top-level modules"] = sorted(stdlib.glob("*.py"))
    corpora["stdlib asyncio + tests"] = [stdlib / "asyncio", stdlib / "test" / "test_asyncio"]
    packages = []
    for name in filter(None, args.packages.split(",")):
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            packages.append(Path(list(spec.submodule_search_locations)[0]))
    if packages:
        corpora["async packages (" + ", ".join(p.name for p in packages) + ")"] = packages

    ruff = shutil.which("ruff")
    has_flake8_async = importlib.util.find_spec("flake8_async") is not None and not args.skip_flake8_async
    jobs = str(args.jobs)
    print(f"python {sys.version.split()[0]}, {args.jobs} process(es); ruff: {ruff or 'not installed'}; "
          f"flake8-async: {'yes' if has_flake8_async else 'skipped or not installed'}\n")
    print("| corpus | tool | seconds | lines/s | vs lint-structured cold | peak MB |")
    print("|---|---|---|---|---|---|")
    for label, paths in corpora.items():
        files = python_files(paths)
        lines = count_lines(files)
        targets = [str(p) for p in paths]
        rows = []
        with tempfile.TemporaryDirectory() as work:
            cwd = Path(work)
            # The cache lives here, next to nothing else (not in the linted package's folder).
            check = [sys.executable, "-m", "lint_structured", "check", "--exit-zero", "--jobs", jobs, "--select", "LSC",
                     "--cache-dir", str(cwd / "cache")]
            cold = timed(check + ["--no-cache", *targets], cwd)
            rows.append(("lint-structured cold", cold))
            rows.append(("lint-structured cold --show-fixes", timed(check + ["--no-cache", "--show-fixes", *targets], cwd)))
            timed(check + targets, cwd)  # fill the cache
            rows.append(("lint-structured warm", timed(check + targets, cwd)))
            if ruff:
                rows.append(("ruff RUF006,ASYNC", timed([ruff, "check", "--isolated", "--no-cache", "--exit-zero", "--select", "RUF006,ASYNC", *targets], cwd)))
            if has_flake8_async:
                rows.append(("flake8-async", timed([sys.executable, "-m", "flake8", "--isolated", "--exit-zero", "--select", "ASYNC", "-j", jobs, *targets], cwd)))
        floor, passing = parse_floor(files)
        rows.append((f"LibCST parse_module alone ({passing} files, 1 process)", (floor, None)))
        rows.append((f"ast.parse alone ({len(files)} files, 1 process)", (ast_floor(files), None)))
        for tool, (seconds, peak) in rows:
            ratio = seconds / cold[0] if cold[0] else float("nan")
            print(f"| {label} ({len(files)} files, {lines} lines) | {tool} | {seconds:.2f} | {lines / seconds:,.0f} | {ratio:.2f}x | {peak or ''} |")

    one = max(
        (p for p in python_files(corpora["stdlib asyncio + tests"]) if p.read_bytes().count(b"\n") <= 1000),
        key=lambda p: p.read_bytes().count(b"\n"),
    )
    with tempfile.TemporaryDirectory() as work:
        single = [sys.executable, "-m", "lint_structured", "check", "--exit-zero", "--cache-dir", str(Path(work) / "cache"), str(one)]
        cold_one, _ = timed(single + ["--no-cache"], Path(work))
        timed(single, Path(work))
        warm_one, _ = timed(single, Path(work))
    one_lines = one.read_bytes().count(b"\n")
    print(f"\npre-commit case: {one.name} ({one_lines} lines) alone: "
          f"cold {cold_one:.2f} s, warm {warm_one:.2f} s (start-up included)")

    if not args.skip_big_tree:
        # Every stdlib module (its installed packages left out) plus the packages above.
        big = [p for p in sorted(stdlib.iterdir()) if p.name != "site-packages" and (p.is_dir() or p.suffix == ".py")] + packages
        big_lines = count_lines(python_files(big))
        with tempfile.TemporaryDirectory() as work:
            command = [sys.executable, "-m", "lint_structured", "check", "--exit-zero", "--no-cache", "--jobs", jobs,
                       "--select", "LSC", *map(str, big)]
            seconds, peak = timed_with_children(command, Path(work))
        print(f"big tree: the whole stdlib and the packages above ({big_lines:,} lines), cold: {seconds:.1f} s "
              f"({big_lines / seconds:,.0f} lines/s), peak memory of all processes together: "
              f"{f'{peak} MB' if peak is not None else 'not measured (no /proc)'}")


def timed_with_children(command: list[str], cwd: Path) -> tuple[float, int | None]:
    """Wall seconds and the peak of the summed resident memory of the process and its
    workers (MB), sampled from /proc every 50 ms (None where there is no /proc)."""

    def rss(pid: int) -> int:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return 0
        own = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        return own + sum(rss(int(child)) for child in children)

    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, rss(process.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    return elapsed, (peak // 1024 if Path("/proc/self/status").exists() else None)


if __name__ == "__main__":
    main()
