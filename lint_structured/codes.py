"""The rule codes as plain data, for selection and validation without loading the rules.

Importing the rules imports LibCST, which a warm (fully cached) run never
needs. A test keeps this list equal to the registry in ``rules/__init__.py``.
"""

ALL_CODES = ("LSC101", "LSC102", "LSC103", "LSC201", "LSC202", "LSC203", "LSC204", "LSC301", "LSC302", "LSC401", "LSC402", "LSC501")
DEFAULT_OFF = frozenset({"LSC204", "LSC402", "LSC501"})

_SPAWNER_WORDS = ("create_task", "ensure_future", "run_coroutine_threadsafe")
# A synchronous module can also call its package's coroutine functions: the
# prefilter adds "from ." and its own package's name for such files (see
# prefilter.text_words).
_COROUTINE_WORDS = ("async", "await", "asyncio", "anyio", "trio")

#: Words of which a file must contain one for the rule to find anything (the
#: text prefilter); the rule classes declare the same tuples.
PREFILTER_WORDS = {
    "LSC101": _SPAWNER_WORDS,
    "LSC102": _SPAWNER_WORDS,
    "LSC103": _SPAWNER_WORDS,
    "LSC201": ("gather",),
    "LSC202": ("gather",),
    "LSC203": ("FIRST_COMPLETED", "FIRST_EXCEPTION", "timeout"),
    "LSC204": ("gather",),
    "LSC301": _COROUTINE_WORDS,
    "LSC302": _COROUTINE_WORDS,
    "LSC401": ("CancelledError", "BaseException", "except:", "except :", "suppress"),
    "LSC402": ("CancelledError", "BaseException", "except:", "except :", "suppress"),
    "LSC501": ("wait_for",),
}
