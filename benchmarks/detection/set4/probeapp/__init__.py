"""probeapp: a small async service toolkit."""

__version__ = "0.1.0"
