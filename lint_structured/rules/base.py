"""The rule base class: one small visitor per rule, all run in one batched pass."""

from __future__ import annotations

import dataclasses
import textwrap
from typing import ClassVar, Generic, TypeVar

from lint_structured import nodes as cst
from lint_structured.analysis import ModuleAnalysis
from lint_structured.model import Applicability
from lint_structured.walk import CachedVisitors


#: Prefilter words shared by rule families.
SPAWNER_WORDS = ("create_task", "ensure_future", "run_coroutine_threadsafe")
COROUTINE_WORDS = ("async", "await", "asyncio", "anyio", "trio")
CANCEL_WORDS = ("CancelledError", "BaseException", "except:", "except :", "suppress")
#: Methods that close, stop or release what they are called on (``session.close()``). The
#: rules and fixers that ask "is this cleanup?" start from this one set and add what their
#: question needs (settling a future, logging, ...).
CLOSE_CALLS = frozenset({"close", "aclose", "disconnect", "shutdown", "terminate", "release", "stop", "cleanup"})


def short_call(callee: str) -> str:
    """How a message names a call: its last name, ``create_task()`` for
    ``asyncio.get_running_loop().create_task`` (the position says which call)."""
    return "`" + callee.rsplit(".", 1)[-1] + "()`"


#: The tree a report's node lives in: the light tree the rules read, or (in the fixers)
#: LibCST's twin of it.
NodeT = TypeVar("NodeT")


@dataclasses.dataclass(frozen=True)
class Report(Generic[NodeT]):
    """A finding before positions are resolved: the node still lives in the tree."""

    node: NodeT
    code: str
    name: str
    message: str


class Rule(CachedVisitors):
    """A lint rule.

    Subclasses declare their code, kebab-case name, a one-line summary, the
    fix they offer (``fix_applicability`` is None while no automatic fix
    exists) and their documentation sections, and report nodes with
    :meth:`report`. They read shared name resolution from ``self.analysis``,
    which has already visited each node before the rule sees it.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    default_enabled: ClassVar[bool] = True
    fix_applicability: ClassVar[Applicability | None] = None
    #: The module of ``lint_structured.fixers`` whose ``plan(ctx, report)`` fixes the findings.
    fixer: ClassVar[str | None] = None
    #: Other tools' codes whose ``# noqa`` also silences this rule (ruff's ``RUF006``).
    noqa_aliases: ClassVar[tuple[str, ...]] = ()
    # The prefilters (``prefilter.py``) read these through the generated ``codes.py``,
    # so that a run whose files all fail them never imports a rule.
    #: Text stage: words of which a file must contain at least one for the rule to find anything.
    prefilter: ClassVar[tuple[str, ...]] = ()
    #: Syntax stage: names or attributes of which the module must use one (``gather``).
    prefilter_names: ClassVar[tuple[str, ...]] = ()
    #: Syntax stage, what else lets a module through: "handlers" (an ``except`` or
    #: ``suppress`` in a module with async code) or "async" (async code, an import of an
    #: async library, or of a module of its own package that defines coroutine functions;
    #: the text stage then also passes a file importing from its own package).
    prefilter_syntax: ClassVar[str | None] = None
    #: The setting whose configured names (globs) both stages also look for.
    prefilter_setting: ClassVar[str | None] = None
    #: The rule asks ``ModuleAnalysis`` which calls return coroutines (this
    #: module's outline and its project's index are built for it).
    needs_coroutines: ClassVar[bool] = False
    #: The rule's fixer asks which calls return coroutines (``check`` and ``fix``
    #: resolve them when planning fixes).
    fix_needs_coroutines: ClassVar[bool] = False
    what_it_does: ClassVar[str]
    why_bad: ClassVar[str]
    example: ClassVar[str]
    use_instead: ClassVar[str]
    fix_safety: ClassVar[str]

    #: Every concrete rule, in the order its module was imported (see ``registered``).
    _registry: ClassVar[list[type["Rule"]]] = []

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:  # a rule, not a shared base
            Rule._registry.append(cls)

    @staticmethod
    def registered() -> tuple[type["Rule"], ...]:
        """The rules defined so far, in code order."""
        return tuple(sorted(Rule._registry, key=lambda rule: rule.code))

    def __init__(self, analysis: ModuleAnalysis) -> None:
        super().__init__()
        self.analysis = analysis
        self.reports: list[Report[cst.CSTNode]] = []

    def report(self, node: cst.CSTNode, message: str) -> None:
        self.reports.append(Report(node, self.code, self.name, message))

    @classmethod
    def documentation_text(cls) -> str:
        """``documentation`` as plain text (SARIF's ``help.text``, ``explain`` in a pipe)."""
        from lint_structured.terminal import render_markdown

        return render_markdown(cls.documentation())

    @classmethod
    def documentation(cls) -> str:
        """The rule's docs in Markdown, in ruff's section order."""
        def block(text: str) -> str:
            return textwrap.dedent(text).strip()

        return "\n\n".join(
            [
                f"## {cls.code} {cls.name}",
                f"*{cls.summary}*" + ("" if cls.default_enabled else " (off by default)"),
                "### What it does\n\n" + block(cls.what_it_does),
                "### Why is this bad?\n\n" + block(cls.why_bad),
                "### Example\n\n```python\n" + block(cls.example) + "\n```",
                "### Use instead\n\n```python\n" + block(cls.use_instead) + "\n```",
                "### Fix safety\n\n" + block(cls.fix_safety),
            ]
        )
