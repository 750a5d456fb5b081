"""The language server, driven end to end by a real LSP client over stdio (pytest-lsp):
open a file, receive its diagnostics, ask for code actions, apply one, see the
diagnostic go away; bad buffers never stop the server."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

RUNAWAY = textwrap.dedent(
    """\
    import asyncio


    async def handle(request):
        asyncio.create_task(audit(request))
        return request


    async def audit(request):
        await asyncio.sleep(0)
    """
)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "lint_structured", "server"]))
async def client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.lint-structured]\n", encoding="utf-8")
    lsp_client.diagnostics = Published()
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), root_uri=tmp_path.as_uri(), workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="project")])
    )
    yield
    await lsp_client.shutdown_session()


class Published(dict):  # type: ignore[type-arg]
    """The client's table of diagnostics, with every publish of each document kept in
    order (waiting for "the next notification" misses one sent while nobody waits)."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[list[types.Diagnostic]]] = {}

    def __setitem__(self, uri: str, diagnostics: list[types.Diagnostic]) -> None:
        super().__setitem__(uri, diagnostics)
        self.history.setdefault(uri, []).append(list(diagnostics))


async def diagnostics_for(client: LanguageClient, uri: str, nth: int = 1) -> list[types.Diagnostic]:
    """The ``nth`` diagnostics published for ``uri`` (waiting for them)."""
    published = client.diagnostics
    assert isinstance(published, Published)
    for _ in range(1200):
        history = published.history.get(uri, [])
        if len(history) >= nth:
            return history[nth - 1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no publish #{nth} for {uri}: {published.history.get(uri)}")


def open_file(client: LanguageClient, path: Path, text: str, write: bool = True) -> str:
    if write:
        path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    return uri


def change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply(text: str, edit: types.WorkspaceEdit, uri: str) -> str:
    """Apply a workspace edit's text edits to ``text`` as an editor does (UTF-16 columns;
    the fixtures are ASCII)."""
    assert edit.changes is not None
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(position: types.Position) -> int:
        return offsets[min(position.line, len(lines))] + position.character

    for text_edit in sorted(edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(text_edit.range.start)] + text_edit.new_text + text[offset(text_edit.range.end) :]
    return text


async def actions(client: LanguageClient, uri: str, diagnostic: types.Diagnostic, only: list[str] | None = None) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic], only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


@pytest.mark.asyncio
async def test_a_finding_its_fix_and_its_end(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_file(client, tmp_path / "app.py", RUNAWAY)
    (found,) = await diagnostics_for(client, uri)
    assert found.code == "LSC101" and found.source == "lint-structured"
    assert found.severity == types.DiagnosticSeverity.Warning
    assert found.range == types.Range(start=types.Position(line=4, character=4), end=types.Position(line=4, character=39))
    assert found.code_description is not None and found.code_description.href.endswith("#lsc101-dropped-task")

    offered = await actions(client, uri, found)
    titles = [a.title for a in offered]
    fix = next(a for a in offered if a.title.startswith("Fix LSC101 (safe)"))
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    assert "Ignore LSC101 on this line (# noqa)" in titles
    assert fix.edit is not None
    fixed = apply(RUNAWAY, fix.edit, uri)
    compile(fixed, "app.py", "exec")
    assert "_keep_background_task(asyncio.create_task(audit(request)))" in fixed

    change(client, uri, fixed, 2)
    assert await diagnostics_for(client, uri, 2) == []


@pytest.mark.asyncio
async def test_noqa_and_fix_all(client: LanguageClient, tmp_path: Path) -> None:
    text = RUNAWAY.replace("    return request\n", "    asyncio.ensure_future(audit(request))\n    return request\n")
    uri = open_file(client, tmp_path / "app.py", text)
    found = await diagnostics_for(client, uri)
    assert [d.code for d in found] == ["LSC101", "LSC101"]

    noqa = next(a for a in await actions(client, uri, found[0]) if "noqa" in a.title)
    assert noqa.edit is not None
    silenced = apply(text, noqa.edit, uri)
    assert "asyncio.create_task(audit(request))  # noqa: LSC101\n" in silenced
    change(client, uri, silenced, 2)
    assert [d.range.start.line for d in await diagnostics_for(client, uri, 2)] == [5]

    (everything,) = [a for a in await actions(client, uri, found[1], only=["source.fixAll"]) if a.kind == "source.fixAll.lint-structured"]
    assert everything.edit is not None
    change(client, uri, apply(silenced, everything.edit, uri), 3)
    assert await diagnostics_for(client, uri, 3) == []


@pytest.mark.asyncio
async def test_unsafe_fixes_are_labelled_and_never_preferred(client: LanguageClient, tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        async def save(item):
            return item


        async def main(item):
            save(item)
        """
    )
    uri = open_file(client, tmp_path / "app.py", text)
    found = await diagnostics_for(client, uri)
    assert [d.code for d in found] == ["LSC301"]
    (fix,) = [a for a in await actions(client, uri, found[0]) if a.title.startswith("Fix ")]
    assert fix.title.startswith("Fix LSC301 (unsafe)") and not fix.is_preferred
    assert fix.edit is not None and "    await save(item)\n" in apply(text, fix.edit, uri)


@pytest.mark.asyncio
async def test_hover_explains_the_rule(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_file(client, tmp_path / "app.py", RUNAWAY)
    await diagnostics_for(client, uri)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=4, character=10)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**LSC101 dropped-task**")
    nothing = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=1)))
    assert nothing is None


@pytest.mark.asyncio
async def test_settings_come_from_pyproject(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.lint-structured]\nignore = ["LSC101"]\n', encoding="utf-8")
    uri = open_file(client, tmp_path / "app.py", RUNAWAY)
    assert await diagnostics_for(client, uri) == []


@pytest.mark.asyncio
async def test_bad_buffers_never_stop_the_server(client: LanguageClient, tmp_path: Path) -> None:
    broken = open_file(client, tmp_path / "broken.py", "async def f(:\n    asyncio.create_task(x)\n")
    assert await diagnostics_for(client, broken) == []
    # A lone surrogate: text no file can hold in UTF-8.
    odd = open_file(client, tmp_path / "odd.py", "import asyncio\n\nasync def f():\n    asyncio.create_task(g('\udcff'))\n", write=False)
    await diagnostics_for(client, odd)
    latin = open_file(client, tmp_path / "latin.py", "# -*- coding: latin-1 -*-\nimport asyncio\n\n\nasync def f():\n    asyncio.create_task(g('caf\u00e9'))\n", write=False)
    (found,) = await diagnostics_for(client, latin)
    assert found.range.start.line == 5
    # Still alive: a good file is checked as ever, and the broken one once it is mended.
    uri = open_file(client, tmp_path / "app.py", RUNAWAY)
    assert [d.code for d in await diagnostics_for(client, uri)] == ["LSC101"]
    change(client, broken, "import asyncio\n\n\nasync def f(x):\n    asyncio.create_task(x)\n", 2)
    assert [d.code for d in await diagnostics_for(client, broken, 2)] == ["LSC101"]


@pytest.mark.asyncio
async def test_positions_count_utf16_units(client: LanguageClient, tmp_path: Path) -> None:
    text = "import asyncio\n\n\nasync def f(x):\n    y = '\U0001f600'; asyncio.create_task(x)\n"
    uri = open_file(client, tmp_path / "app.py", text)
    (found,) = await diagnostics_for(client, uri)
    # The emoji is one code point but two UTF-16 units: the call starts at code point 13,
    # which is unit 14.
    assert found.range.start == types.Position(line=4, character=14)


@pytest.mark.asyncio
async def test_a_saved_module_refreshes_the_files_that_import_it(client: LanguageClient, tmp_path: Path) -> None:
    helpers = tmp_path / "helpers.py"
    helpers.write_text("def work():\n    return 1\n", encoding="utf-8")
    app_text = "from helpers import work\n\n\nasync def main():\n    work()\n"
    uri = open_file(client, tmp_path / "app.py", app_text)
    assert await diagnostics_for(client, uri) == []
    helpers_uri = open_file(client, helpers, "async def work():\n    return 1\n")
    await diagnostics_for(client, helpers_uri)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=helpers_uri)))
    assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["LSC301"]


@pytest.mark.asyncio
async def test_typing_is_debounced_and_the_last_text_wins(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_file(client, tmp_path / "app.py", RUNAWAY)
    await diagnostics_for(client, uri)
    clean = RUNAWAY.replace("    asyncio.create_task(audit(request))\n", "    await audit(request)\n")
    for version, text in enumerate([RUNAWAY + "\n", RUNAWAY + "\n\n", clean], start=2):
        change(client, uri, text, version)
    for _ in range(1200):  # each publish is of the newest text then; the last has none
        if client.diagnostics.history[uri][-1] == [] and client.diagnostics.get(uri) == []:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1)  # nothing for an outdated version may follow
    publishes = client.diagnostics.history[uri]
    assert publishes[-1] == [] and 2 <= len(publishes) <= 4


def test_noqa_text() -> None:
    from lint_structured.model import Finding
    from lint_structured.server import noqa_text

    def at(line: int) -> Finding:
        return Finding("app.py", line, 5, "LSC101", "dropped-task", "m", line, 10)

    # A form feed is not a line break to Python or LSP (str.splitlines would count one).
    text = "import asyncio\n\x0c\nasync def f(x):\n    asyncio.create_task(x)\n"
    assert noqa_text(text, at(4)) == "import asyncio\n\x0c\nasync def f(x):\n    asyncio.create_task(x)  # noqa: LSC101\n"
    assert noqa_text("x = 1\r\nf(x)  # noqa: LSC301\r\n", at(2)) == "x = 1\r\nf(x)  # noqa: LSC301,LSC101\r\n"
    assert noqa_text("f(x)  # keep this", at(1)) == "f(x)  # keep this  # noqa: LSC101"
    assert noqa_text("f(x, \\\n  y)\n", at(1)) is None  # a comment would end the continued line
    assert noqa_text("f(x)\n", at(3)) is None
