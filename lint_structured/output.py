"""Machine-readable outputs: SARIF 2.1.0, GitHub workflow commands, statistics."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Mapping, Sequence

from lint_structured import __version__
from lint_structured.model import Finding


def _uri(path: str) -> str:
    return path.replace("\\", "/")


#: Where the rules reference is published: each rule's ``helpUri`` is its heading there.
RULES_URL = "https://github.com/lint-structured/lint-structured/blob/main/docs/rules.md"
#: The ``partialFingerprints`` key: a fingerprint that survives lines moving (see ``baseline``).
FINGERPRINT_KEY = "lintStructuredFingerprint/v1"


def rule_url(code: str, name: str) -> str:
    """The rule's heading in the published rules reference (GitHub's anchor for ``## CODE name``)."""
    return f"{RULES_URL}#{code.lower()}-{name}"


def sarif(findings: Sequence[Finding], show_fixes: bool = True, lines: Mapping[str, Sequence[str]] | None = None) -> str:
    """A SARIF 2.1.0 log with one run: every rule's metadata and every finding (with the
    fix each would get, when fixes were planned). ``lines`` (each file's source lines)
    gives each result the baseline's fingerprint as its ``partialFingerprints``: code,
    path and the finding's line text, so that code scanning tracks a finding whose line
    moves and reports a changed line as new."""
    from lint_structured.baseline import fingerprints
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
                "helpUri": rule_url(rule.code, rule.name),
                "help": {"text": rule.documentation_text(), "markdown": rule.documentation()},
                "defaultConfiguration": {"level": "warning", "enabled": rule.default_enabled},
                "properties": {"fix": fix, "tags": ["asyncio", "structured-concurrency"]},
            }
        )
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    prints = fingerprints(findings, lines, Path.cwd()) if lines is not None else [None] * len(findings)
    results = []
    for finding, fingerprint in zip(findings, prints):
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
        if fingerprint is not None:
            result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
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
