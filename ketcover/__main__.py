"""Entry point for `python -m ketcover`."""

from ketcover.cli import main

main()
