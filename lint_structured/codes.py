"""The rule codes as plain data, for selection and validation without loading the rules.

Importing the rules imports LibCST, which a warm (fully cached) run never
needs. A test keeps this list equal to the registry in ``rules/__init__.py``.
"""

ALL_CODES = ("LSC101", "LSC102", "LSC103", "LSC201", "LSC202", "LSC203", "LSC301", "LSC302", "LSC401", "LSC501")
DEFAULT_OFF = frozenset({"LSC501"})
