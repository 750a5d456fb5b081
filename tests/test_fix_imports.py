"""Where the fixes' new imports go: in the module's own (isort) order when it has one."""

from __future__ import annotations

import libcst as cst
import pytest

from lint_structured.fixers.base import Import
from lint_structured.fixers.imports import add_imports


def added(source: str, *imports: Import) -> str:
    return add_imports(cst.parse_module(source), imports).code


@pytest.mark.parametrize(
    "source, expected",
    [
        # Sorted standard-library imports: in alphabetical order, comments and blank lines kept.
        ("import asyncio\nimport signal\n\nimport attr\n", "import asyncio\nimport logging\nimport signal\n\nimport attr\n"),
        ('"""Doc."""\n# stdlib\nimport signal\n', '"""Doc."""\n# stdlib\nimport logging\nimport signal\n'),
        ("import asyncio\n", "import asyncio\nimport logging\n"),
        # Only `from` imports of the standard library: the plain import goes before them.
        ("from asyncio import sleep\nfrom typing import Any\n", "import logging\nfrom asyncio import sleep\nfrom typing import Any\n"),
        # Already imported: nothing to add.
        ("import logging\nimport asyncio\n", "import logging\nimport asyncio\n"),
    ],
)
def test_a_standard_library_import_goes_where_isort_puts_it(source, expected):
    assert added(source, Import("logging")) == expected


def test_an_unsorted_block_is_left_to_libcst():
    # Not sorted: there is no order to keep, and LibCST appends after the last import.
    assert added("import signal\nimport asyncio\n", Import("logging")) == "import signal\nimport asyncio\nimport logging\n"


def test_a_name_joins_a_sorted_from_import_in_isort_order():
    source = "from typing import TYPE_CHECKING, Optional\n"
    assert added(source, Import("typing", "Any")) == "from typing import TYPE_CHECKING, Any, Optional\n"
    unsorted = "from typing import Optional, Any\n"
    assert added(unsorted, Import("typing", "TypeVar")) == "from typing import TypeVar, Optional, Any\n"


def test_a_name_added_to_a_parenthesised_import_gets_a_line_of_its_own():
    source = "from typing import (\n    Any,\n    TYPE_CHECKING,\n)\n"
    assert added(source, Import("typing", "TypeVar")) == "from typing import (\n    TypeVar,\n    Any,\n    TYPE_CHECKING,\n)\n"
    sorted_source = "from typing import (\n    TYPE_CHECKING,\n    Any,\n)\n"
    assert added(sorted_source, Import("typing", "TypeVar")) == "from typing import (\n    TYPE_CHECKING,\n    Any,\n    TypeVar,\n)\n"


def test_an_aliased_import_does_not_count_as_the_module():
    # `import logging as log` binds `log`: code that says `logging.` needs `import logging`.
    lines = added("import asyncio\nimport logging as log\n", Import("logging")).splitlines()
    assert "import logging" in lines and "import logging as log" in lines
