"""Plain, picklable data shared by the engine and every front end.

Nothing here refers to LibCST nodes: findings cross process boundaries and
are serialised to JSON, so they hold only strings and numbers.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import re
from typing import Any


def content_hash(data: bytes) -> str:
    """The hash the cache knows a file's bytes by."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Applicability(str, enum.Enum):
    """How safe a fix is to apply, in ruff's terms."""

    SAFE = "safe"  # no change in behaviour when nothing fails
    UNSAFE = "unsafe"  # may change timing or exception types; needs --unsafe-fixes
    DISPLAY_ONLY = "display-only"  # shown to the user, never applied


@dataclasses.dataclass(frozen=True)
class FixInfo:
    """A fix that is available for a finding."""

    applicability: Applicability
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"applicability": self.applicability.value, "message": self.message}


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    """One reported problem. Lines and columns are 1-based; the end is exclusive."""

    path: str
    line: int
    column: int
    code: str
    name: str = dataclasses.field(compare=False)
    message: str = dataclasses.field(compare=False)
    end_line: int = dataclasses.field(compare=False)
    end_column: int = dataclasses.field(compare=False)
    fix: FixInfo | None = dataclasses.field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in the README."""
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "fix": self.fix.to_dict() if self.fix else None,
        }


class SourceError(Exception):
    """A file that cannot be analysed: the message names the reason, not the file."""


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines as Python numbers them (``str.splitlines`` also splits on form feeds)."""
    return _LINE_BREAK.split(text)
