"""A baseline of known findings, for adopting the linter on a legacy codebase.

``check --baseline FILE --update-baseline`` records today's findings; later
``check --baseline FILE`` reports only new ones. A finding's fingerprint is
its code, its path (relative to the baseline file), the source of its line
with whitespace normalised, and its occurrence index among findings with
the same three: it survives unrelated edits and lines moving up or down,
and a fixed finding drops out at the next update.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Mapping, Sequence

from lint_structured.model import Finding

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file and the reason."""


def _normalise(line: str) -> str:
    return " ".join(line.split())


def fingerprints(findings: Sequence[Finding], lines: Mapping[str, Sequence[str]], anchor: Path) -> list[str]:
    """One fingerprint per finding, in order; paths are taken relative to the folder
    ``anchor`` (the baseline file's folder; for SARIF, the folder the run started in)."""
    anchor = anchor.resolve()
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for finding in findings:
        try:
            rel = os.path.relpath(Path(finding.path).resolve(), anchor).replace(os.sep, "/")
        except ValueError:
            rel = finding.path
        source = lines.get(finding.path, ())
        text = _normalise(source[finding.line - 1]) if 0 < finding.line <= len(source) else ""
        key = (finding.code, rel, text)
        seen[key] += 1
        digest = hashlib.blake2b("\0".join([*key, str(seen[key])]).encode(), digest_size=12).hexdigest()
        out.append(digest)
    return out


def load(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a lint-structured baseline (version {VERSION})")
    return {entry["fingerprint"] for entry in data["findings"] if isinstance(entry, dict) and "fingerprint" in entry}


def write(path: Path, findings: Sequence[Finding], prints: Sequence[str]) -> None:
    """Write the baseline atomically; entries carry code, path and line for reviewers."""
    entries = sorted(
        ({"fingerprint": fp, "code": f.code, "path": f.path.replace(os.sep, "/"), "line": f.line} for f, fp in zip(findings, prints)),
        key=lambda e: (e["path"], e["line"], e["code"], e["fingerprint"]),
    )
    text = json.dumps({"version": VERSION, "tool": "lint-structured", "findings": entries}, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".baseline-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)

