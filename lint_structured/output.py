"""Machine-readable outputs: SARIF 2.1.0, GitHub workflow commands, statistics."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Sequence

from lint_structured import __version__
from lint_structured.model import Finding


def _uri(path: str) -> str:
    return path.replace("\\", "/")


def sarif(findings: Sequence[Finding], show_fixes: bool = True) -> str:
    """A SARIF 2.1.0 log with one run: every rule's metadata and every finding
    (with the fix each would get, when fixes were planned)."""
    from lint_structured.rules import ALL_RULES

    rules = []
    for rule in ALL_RULES:
        fix = rule.fix_applicability.value if rule.fix_applicability else "none"
        rules.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": " ".join(rule.what_it_does.split())},
                "help": {"text": " ".join(rule.why_bad.split()), "markdown": rule.documentation()},
                "defaultConfiguration": {"level": "warning", "enabled": rule.default_enabled},
                "properties": {"fix": fix, "tags": ["asyncio", "structured-concurrency"]},
            }
        )
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": "warning",
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(finding.path)},
                        "region": {
                            "startLine": finding.line,
                            "startColumn": finding.column,
                            "endLine": finding.end_line,
                            "endColumn": finding.end_column,
                        },
                    }
                }
            ],
        }
        if show_fixes:
            result["properties"] = {"fix": finding.fix.applicability.value if finding.fix else "none"}
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "lint-structured", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands: one annotation per finding on the pull request."""
    lines = []
    for f in findings:
        props = (
            f"file={_escape_property(_uri(f.path))},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},title={_escape_property(f'{f.code} {f.name}')}"
        )
        lines.append(f"::warning {props}::{_escape_data(f'{f.code} {f.message}')}")
    return "\n".join(lines)


def statistics(findings: Sequence[Finding]) -> str:
    """Counts per code, most frequent first, as ruff's ``--statistics`` does."""
    counts = Counter((f.code, f.name) for f in findings)
    if not counts:
        return "No findings."
    width = max(len(str(n)) for n in counts.values())
    rows = [f"{n:>{width}}  {code}  {name}" for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    rows.append(f"{sum(counts.values()):>{width}}  total")
    return "\n".join(rows)
