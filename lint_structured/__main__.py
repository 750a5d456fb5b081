"""Allow ``python -m lint_structured``."""

from lint_structured.cli import main

if __name__ == "__main__":
    main()
