"""Detection benchmark: recall and precision on a probe set, against ruff's RUF006.

    python benchmarks/detection.py

The probe sets (benchmarks/detection/set1 ... set6) were written from the
rule descriptions by helpers that did not read the implementation; each
revealed misses or false positives, since fixed, so none is held out any
more (set5 and set6 were written to be adversarial; set4 and set6 are small
projects whose modules import each other):
``runaway_*.py`` files mark every line
that must be reported with ``# expect: LSCxxx``; ``clean_*.py`` files are
look-alikes on which nothing may be reported. ruff is scored when it is on
PATH (``pip install ruff``), by line only, since it has no LSC codes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "detection"
EXPECT = re.compile(r"#\s*expect:\s*(LSC\d{3})")
#: The rule families each set was written for. A set's clean files are look-alikes
#: for those rules only (set1's clean files may well hold a real gather finding).
FAMILIES = {
    "set1": ("LSC1",),
    "set2": ("LSC1",),
    "set3": ("LSC2", "LSC4", "LSC5"),
    "set4": ("LSC3",),
    "set5": ("LSC1", "LSC2", "LSC4"),
    "set6": ("LSC3",),
}


def expected() -> set[tuple[str, int, str]]:
    out = set()
    for path in sorted(HERE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for code in EXPECT.findall(line):
                out.add((_key(path), number, code))
    return out


def lint_structured() -> set[tuple[str, int, str]]:
    sys.path.insert(0, str(HERE.parent.parent))
    from lint_structured.engine import lint_source
    from lint_structured.settings import Settings

    found = set()
    for path in sorted(HERE.rglob("*.py")):
        settings = Settings(select=FAMILIES[_key(path).split("/")[0]])  # off-by-default rules included
        # The real path: LSC3xx resolves imports of sibling modules through the project index.
        for f in lint_source(path.read_bytes(), str(path), settings):
            found.add((_key(path), f.line, f.code))
    return found


def ruff() -> set[tuple[str, int]] | None:
    exe = shutil.which("ruff")
    if exe is None:
        return None
    run = subprocess.run(
        [exe, "check", "--isolated", "--select", "RUF006", "--output-format", "json", "--exit-zero", str(HERE)],
        capture_output=True, text=True, check=True,
    )
    return {(_key(Path(d["filename"])), d["location"]["row"]) for d in json.loads(run.stdout)}


def _key(path: Path) -> str:
    return path.resolve().relative_to(HERE).as_posix()


def score(name: str, found_lines: set[tuple[str, int]], want_lines: set[tuple[str, int]]) -> str:
    hits = len(found_lines & want_lines)
    on_clean = sum(1 for file, _ in found_lines if Path(file).name.startswith("clean_"))
    extra = len(found_lines - want_lines)
    recall = hits / len(want_lines) if want_lines else 1.0
    return f"| {name} | {hits}/{len(want_lines)} ({recall:.0%}) | {on_clean} | {extra} |"


def main() -> None:
    want = expected()
    ours = lint_structured()
    ruff_found = ruff()
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, families in FAMILIES.items():
        groups.setdefault(families, []).append(name)
    print("| rules | probe sets | tool | runaway lines found (recall) | findings on clean files | findings not expected |")
    print("|---|---|---|---|---|---|")
    for families, sets in groups.items():
        def inside(key: str) -> bool:
            return key.split("/")[0] in sets

        want_lines = {(f, n) for f, n, _ in want if inside(f)}
        label = f"| {', '.join(families)} | {', '.join(sets)} "
        print(label + score("lint-structured", {(f, n) for f, n, _ in ours if inside(f)}, want_lines))
        task_lines = {(f, n) for f, n, c in want if inside(f) and c.startswith("LSC1")}
        if ruff_found is None:
            print(label + "| ruff RUF006 | not installed | | |")
        elif "LSC1" in families:
            # Scored on the task-handle lines only: ruff has no rule for the others.
            print(label + score("ruff RUF006 (LSC1xx lines)", {x for x in ruff_found if inside(x[0])}, task_lines))
        else:
            print(label + "| ruff | no rule for these | | |")
    wrong_code = [x for x in sorted(ours) if (x[0], x[1]) in {(f, n) for f, n, _ in want} and x not in want]
    if wrong_code:
        print("\nright line, other code:", wrong_code)
    missed = sorted(want - ours)
    if missed:
        print("\nmissed by lint-structured:", *missed, sep="\n  ")


if __name__ == "__main__":
    main()
