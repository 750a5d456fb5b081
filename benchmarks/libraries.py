"""What resolving imports into installed libraries costs: a project checked with its
environment and with an empty one, cold and warm, in one run.

    python benchmarks/libraries.py PROJECT_DIR --python ENV [--jobs 2] [--repeat 3]

``PROJECT_DIR`` is a project (a folder with ``pyproject.toml``); ``ENV`` the
environment its libraries are installed in (an interpreter or an environment's
folder). The empty environment is made in a temporary folder. It prints a
Markdown table of the best of ``--repeat`` runs and the ratios. Nothing here is
asserted: read the numbers (this machine's timings vary from run to run; use
several repeats).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(project: Path, python: str, jobs: int, cache: Path | None) -> float:
    command = [sys.executable, "-m", "lint_structured", "check", "--exit-zero", "--format", "json", "-j", str(jobs), "--python", python]
    command += ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    started = time.perf_counter()
    subprocess.run([*command, "."], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def best(project: Path, python: str, jobs: int, repeat: int, warm: bool) -> float:
    times = []
    for _ in range(repeat):
        if warm:
            with tempfile.TemporaryDirectory() as cache:
                run(project, python, jobs, Path(cache))  # fill the cache
                times.append(run(project, python, jobs, Path(cache)))
        else:
            times.append(run(project, python, jobs, None))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--python", required=True, help="the project's environment: an interpreter or its folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as empty:
        (Path(empty) / "lib" / "python3" / "site-packages").mkdir(parents=True)
        (Path(empty) / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
        print("| run | no libraries (s) | with libraries (s) | ratio |")
        print("|---|---|---|---|")
        for label, warm in (("cold", False), ("warm", True)):
            without = best(args.project, empty, args.jobs, args.repeat, warm)
            with_libraries = best(args.project, args.python, args.jobs, args.repeat, warm)
            print(f"| {label} | {without:.2f} | {with_libraries:.2f} | {with_libraries / without:.2f}x |")


if __name__ == "__main__":
    main()
