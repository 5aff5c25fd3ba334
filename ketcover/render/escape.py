"""Document text made safe for each output: one line, the terminal, Markdown and spreadsheets."""

from __future__ import annotations

import re

from ketcover.normalize import one_line

# Terminal safety: C0/C1 controls (escape sequences) and bidirectional overrides.
UNSAFE_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Escapes what could make a link, an image, an HTML tag, emphasis, code or a new table cell.
# Parentheses, "#", "+" and "!" stay readable ("(p. 3)"): escaped text never starts a line, and
# with "[" escaped they cannot form a link or an image.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
# A spreadsheet runs a cell that starts with one of these as a formula; a leading apostrophe makes
# it text (and is not displayed), so a hostile PDF cannot plant a formula through a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_safe(text: str) -> str:
    return UNSAFE_TERMINAL.sub("", text)


def md_escape(text: str) -> str:
    """Document text made inert in Markdown, on one line."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))


def csv_safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value
