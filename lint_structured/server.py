"""The language server: ``lint-structured server`` speaks the Language Server Protocol
over stdio (built on pygls), so that findings meet people in their editor.

- Diagnostics on open and save, and after each change once typing pauses (debounced),
  from the same engine as ``check`` and the flake8 plugin, with the project's settings
  (``pyproject.toml``), ``# noqa`` and per-file-ignores. A save re-checks the other
  open files: what a module defines can change their findings.
- Code actions: each finding's fix, titled safe or unsafe (unsafe ones are never
  preferred), a ``# noqa: CODE`` for the line, and a "fix all safe" source action
  (``source.fixAll.lint-structured``). Every fix passes the checks ``fix`` makes.
- Hover over a finding: the rule's summary and what it does.
- Bad input never stops the server: a buffer that does not parse, or that cannot be
  analysed, clears its diagnostics and logs the reason to the client.

The engine is not thread-safe; every analysis runs on one worker thread, so that the
event loop stays free to hear the next change (and to drop an outdated answer).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import functools
import os
import re
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from lint_structured import __version__
from lint_structured.model import Finding, SourceError
from lint_structured.settings import ConfigError, Settings, find_config, load_settings

SOURCE = "lint-structured"
FIX_ALL = types.CodeActionKind.SourceFixAll + ".lint-structured"
#: How long typing must pause before a changed buffer is checked again (seconds).
DEBOUNCE = 0.3
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")

T = TypeVar("T")


@dataclasses.dataclass
class Checked:
    """The findings of one version of a document, and what it was checked with."""

    version: int | None
    text: str
    path: str
    settings: Settings
    findings: list[Finding]
    #: (code, line, column) -> (title, edit) for the finding's fix, worked out on first ask.
    fixes: dict[tuple[str, int, int], tuple[str, bool, str] | None] = dataclasses.field(default_factory=dict)
    fix_all: str | None = None  # the text with every safe fix made, on first ask


class LintServer(LanguageServer):
    """A pygls server that keeps the latest findings of every open document."""

    def __init__(self, debounce: float = DEBOUNCE) -> None:
        super().__init__(SOURCE, __version__)
        self.debounce = debounce
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lint-structured")
        self._settings: dict[str, tuple[float, Settings]] = {}
        self._warned: set[str] = set()

    # ------------------------------------------------------------ settings
    def settings_for(self, path: str) -> Settings:
        """The settings of the project ``path`` is in (re-read when its pyproject.toml changes)."""
        from lint_structured.codes import ALL_CODES

        config = find_config(Path(path))
        key = str(config) if config is not None else ""
        try:
            stamp = config.stat().st_mtime if config is not None else 0.0
        except OSError:
            stamp = 0.0
        cached = self._settings.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            settings = load_settings(config, ALL_CODES)
        except ConfigError as exc:
            if str(exc) not in self._warned:
                self._warned.add(str(exc))
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"lint-structured: {exc}"))
            settings = Settings(root=str(Path(path).parent))
        self._settings[key] = (stamp, settings)
        return settings

    # ------------------------------------------------------------ checking
    def schedule(self, uri: str, delay: float) -> None:
        """Check ``uri`` after ``delay`` seconds, replacing a check already waiting."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(delay, lambda: loop.create_task(self.check(uri)))

    async def run(self, work: Callable[[], T]) -> T:
        """Run engine work on the one worker thread."""
        return await asyncio.get_running_loop().run_in_executor(self.worker, work)

    async def check(self, uri: str) -> None:
        """Check the current text of ``uri`` and publish its diagnostics, unless the
        document changed (or closed) meanwhile: a newer check is then on its way."""
        self.pending.pop(uri, None)
        document = self._open(uri)
        if document is None:
            return
        version, text, path = document.version, document.source, document.path
        settings = self.settings_for(path)
        try:
            checked, reason = await self.run(lambda: _lint(text, path, version, settings))
        except Exception as exc:  # noqa: BLE001 - one bad buffer must not stop the server
            checked, reason = None, f"internal error: {type(exc).__name__}: {exc} (please report this)"
        if reason is not None:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Info, message=f"lint-structured: {path}: {reason}"))
        current = self._open(uri)
        if current is None or current.version != version:
            return
        if checked is None:
            self.checked.pop(uri, None)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[], version=version))
            return
        self.checked[uri] = checked
        lines = source_lines(text)
        diagnostics = [diagnostic(f, lines, document) for f in checked.findings]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def _open(self, uri: str) -> TextDocument | None:
        document: TextDocument | None = self.workspace.text_documents.get(uri)
        return document

    # ------------------------------------------------------------ fixes
    async def actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        checked = self.checked.get(uri)
        document = self._open(uri)
        if checked is None or document is None or document.version != checked.version:
            return []  # findings of an older text: a new check is coming
        wanted = [str(k) for k in params.context.only] if params.context.only is not None else None
        out: list[types.CodeAction] = []
        if _wanted(types.CodeActionKind.QuickFix, wanted):
            for finding in checked.findings:
                if not _overlaps(finding, params.range, document):
                    continue
                found = diagnostic(finding, source_lines(checked.text), document)
                fixed = await self.run(functools.partial(self._fix_one, checked, finding))
                if fixed is not None:
                    title, safe, new_text = fixed
                    out.append(
                        types.CodeAction(
                            title=title,
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=[found],
                            is_preferred=safe,
                            edit=_edit(uri, document, checked.text, new_text),
                        )
                    )
                noqa = noqa_text(checked.text, finding)
                if noqa is not None:
                    out.append(
                        types.CodeAction(
                            title=f"Ignore {finding.code} on this line (# noqa)",
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=[found],
                            edit=_edit(uri, document, checked.text, noqa),
                        )
                    )
        if _wanted(FIX_ALL, wanted):
            fixed_all = await self.run(lambda: self._fix_all(checked))
            if fixed_all is not None:
                out.append(types.CodeAction(title="lint-structured: fix all safe fixes", kind=FIX_ALL, edit=_edit(uri, document, checked.text, fixed_all)))
        return out

    def _fix_one(self, checked: Checked, finding: Finding) -> tuple[str, bool, str] | None:
        """(title, safe, new text) of the finding's fix, or None when it has none that passes."""
        key = (finding.code, finding.line, finding.column)
        if key not in checked.fixes:
            checked.fixes[key] = self._plan(checked, finding)
        return checked.fixes[key]

    def _plan(self, checked: Checked, finding: Finding) -> tuple[str, bool, str] | None:
        from lint_structured import fixers
        from lint_structured.fixers.apply import fix_source

        data = _encoded(checked.text)
        if data is None:
            return None
        try:
            planned = fixers.lint(checked.text, checked.path, checked.settings)
            info = next((f.fix for f in planned if (f.code, f.line, f.column) == (finding.code, finding.line, finding.column)), None)
            if info is None or info.applicability.value not in ("safe", "unsafe"):
                return None
            result = fix_source(data, checked.path, checked.settings, unsafe=True, only=(finding.code, finding.line, finding.column))
        except SourceError:
            return None
        if result.fixed is None:
            return None
        safe = info.applicability.value == "safe"
        return f"Fix {finding.code} ({info.applicability.value}): {info.message}", safe, result.new_text

    def _fix_all(self, checked: Checked) -> str | None:
        from lint_structured.fixers.apply import fix_source

        if checked.fix_all is None:
            data = _encoded(checked.text)
            try:
                result = fix_source(data, checked.path, checked.settings) if data is not None and checked.findings else None
            except SourceError:
                result = None
            checked.fix_all = result.new_text if result is not None and result.fixed is not None else ""
        return checked.fix_all or None


def _lint(text: str, path: str, version: int | None, settings: Settings) -> tuple[Checked | None, str | None]:
    """The findings of ``text`` (the buffer of ``path``), or None and why there are none."""
    from lint_structured.engine import lint_source

    if settings.is_excluded(path):
        return Checked(version, text, path, settings, []), None
    try:
        return Checked(version, text, path, settings, lint_source(text, path, settings)), None
    except SourceError as exc:
        return None, str(exc)


def _wanted(kind: str, only: list[str] | None) -> bool:
    """Whether the client asked for actions of ``kind`` (``only`` names kinds or their parents)."""
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


# ---------------------------------------------------------------- positions
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` with their ends, split where Python and LSP split them (at
    ``\n``, ``\r\n`` and ``\r`` only: not at the form feeds and line separators that
    ``str.splitlines`` also takes)."""
    return _LINE.findall(text)

def _position(document: TextDocument, lines: Sequence[str], line: int, column: int) -> types.Position:
    """A 1-based (line, code-point column) as the client counts (UTF-16 unless agreed otherwise)."""
    return document.position_codec.position_to_client_units(lines, types.Position(line=max(line - 1, 0), character=max(column - 1, 0)))


def diagnostic(finding: Finding, lines: Sequence[str], document: TextDocument) -> types.Diagnostic:
    from lint_structured.output import rule_url

    return types.Diagnostic(
        range=types.Range(start=_position(document, lines, finding.line, finding.column), end=_position(document, lines, finding.end_line, finding.end_column)),
        message=finding.message,
        severity=types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code, finding.name)),
        source=SOURCE,
    )


def _overlaps(finding: Finding, wanted: types.Range, document: TextDocument) -> bool:
    lines = source_lines(document.source)
    start = _position(document, lines, finding.line, finding.column)
    end = _position(document, lines, finding.end_line, finding.end_column)
    return (start.line, start.character) <= (wanted.end.line, wanted.end.character) and (wanted.start.line, wanted.start.character) <= (end.line, end.character)


def _edit(uri: str, document: TextDocument, old: str, new: str) -> types.WorkspaceEdit:
    """The change from ``old`` to ``new`` as one edit of the lines between their common
    first and last lines (an editor keeps its cursor and folds elsewhere)."""
    old_lines, new_lines = source_lines(old), source_lines(new)
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < min(len(old_lines), len(new_lines)) - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    start = types.Position(line=head, character=0)
    end = types.Position(line=len(old_lines) - tail, character=0)
    replacement = "".join(new_lines[head : len(new_lines) - tail])
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=types.Range(start=start, end=end), new_text=replacement)]})


def _encoded(text: str) -> bytes | None:
    """The bytes a file with ``text`` holds: in the encoding its coding line names, else
    UTF-8. None when the text cannot be written in it (no fix is offered)."""
    head = text.encode("utf-8", "surrogatepass")[:400].splitlines()[:2]
    encoding = "utf-8"
    for line in head:
        match = _CODING.match(line)
        if match:
            encoding = match.group(1).decode("ascii", "replace")
            break
    try:
        return text.encode(encoding)
    except (LookupError, UnicodeError):
        return None


def noqa_text(text: str, finding: Finding) -> str | None:
    """``text`` with ``# noqa: CODE`` on the finding's line (added to a noqa already there).
    None where a comment cannot go: a line continued with a backslash."""
    lines = source_lines(text)
    if not 0 < finding.line <= len(lines):
        return None
    line = lines[finding.line - 1]
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    if body.rstrip().endswith("\\"):
        return None
    existing = re.search(r"#\s*noqa\s*:\s*([A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", body, re.IGNORECASE)
    if existing:
        body = body[: existing.end(1)] + f",{finding.code}" + body[existing.end(1) :]
    else:
        body = body.rstrip() + f"  # noqa: {finding.code}"
    lines[finding.line - 1] = body + ending
    return "".join(lines)


# ---------------------------------------------------------------- features
def make_server(debounce: float = DEBOUNCE) -> LintServer:
    server = LintServer(debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: LintServer, params: types.DidOpenTextDocumentParams) -> None:
        await ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: LintServer, params: types.DidSaveTextDocumentParams) -> None:
        await ls.check(params.text_document.uri)
        for uri in list(ls.workspace.text_documents):  # what this module defines may change theirs
            if uri != params.text_document.uri:
                ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        waiting = ls.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        ls.checked.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(ls: LintServer, params: types.DidChangeWatchedFilesParams) -> None:
        from lint_structured import coroutines

        ls.worker.submit(coroutines.clear_caches)  # a module added or removed: look again
        for uri in list(ls.workspace.text_documents):
            ls.schedule(uri, 0)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False),
    )
    async def code_action(ls: LintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return await ls.actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: LintServer, params: types.HoverParams) -> types.Hover | None:
        return hover_for(ls, params)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: LintServer, params: Any) -> None:
        for waiting in ls.pending.values():
            waiting.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)

    return server


def hover_for(ls: LintServer, params: types.HoverParams) -> types.Hover | None:
    """The rule's summary and what it does, over a finding."""
    from lint_structured.rules import lookup

    uri = params.text_document.uri
    checked = ls.checked.get(uri)
    document = ls._open(uri)
    if checked is None or document is None or document.version != checked.version:
        return None
    at = types.Range(start=params.position, end=params.position)
    parts = []
    for finding in checked.findings:
        if _overlaps(finding, at, document):
            rule = lookup(finding.code)
            if rule is not None:
                what = " ".join(rule.what_it_does.split())
                parts.append(f"**{rule.code} {rule.name}**: {finding.message}\n\n{what}\n\n`lint-structured explain {rule.code}` says more.")
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


def serve() -> None:
    """Speak LSP on stdin/stdout until the client says exit."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    make_server().start_io()


