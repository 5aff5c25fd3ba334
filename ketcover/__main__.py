"""Entry point for `python -m ketcover`."""

from ketcover.cli import main

# Worker processes re-import the main module: only run the CLI when executed directly.
if __name__ == "__main__":
    main()
