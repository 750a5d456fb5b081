"""lint-structured: find runaway asyncio tasks and migrate them to TaskGroup."""

__version__ = "0.1.0"
