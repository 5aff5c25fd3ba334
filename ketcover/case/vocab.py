"""Loading the case's data files (treatment vocabulary, law deadlines, checks, assistance) once, compiled."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """One data file as a dict (cached: the files ship with the package and never change at run time)."""
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=4096)
def pattern(source: str) -> re.Pattern:
    return re.compile(source, re.I)


def first_match(patterns, text: str) -> re.Match | None:
    """The first pattern's match on the text with its line breaks as spaces (a PDF line ends anywhere)."""
    text = " ".join(text.split())
    for source in patterns or ():
        match = pattern(source).search(text)
        if match:
            return match
    return None


def matches(patterns, text: str) -> bool:
    return first_match(patterns, text) is not None
