"""The concern registry: each concern's order, report heading, patient question and status wording,
read from the `registry:` block of rules/<concern>.yaml (adding a concern is a YAML edit)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

SECTIONS_FILE = "sections.yaml"
SET_ASIDE_FILE = "set_aside.yaml"  # why a keyword candidate may be set aside (not a concern)
SHARED_FILES = (SECTIONS_FILE, SET_ASIDE_FILE)
# Status wording shared by every concern; a concern's registry may word "negated" its own way
# ("NOT REQUIRED" for prior authorization, "NOT COVERED/EXCLUDED" for mental health).
STATUS_WORDS = {"found": "FOUND", "negated": "NOT REQUIRED/NEGATED", "not_found": "NOT FOUND", "unknown": "UNKNOWN"}
STATUS_LABELS = {
    "found": "The document addresses this",
    "negated": "The document says this does not apply",
    "not_found": "Not mentioned",
    "unknown": "Unknown: some pages could not be read",
}


@dataclass(frozen=True)
class ConcernEntry:
    name: str
    order: int  # the public order: JSON, eval tables, rule files
    display_order: int  # the order reports show: what a patient asks first comes first
    heading: str
    question: str  # what the web page asks, in a patient's words
    status_words: dict
    status_labels: dict


def default_rules_dir() -> Path:
    """The shipped rule set: ketcover/rules once installed (setup.cfg maps the top-level
    rules/ there), the repository's rules/ when running from a checkout or an editable install."""
    package = Path(__file__).resolve().parent
    installed = package / "rules"
    if (installed / SECTIONS_FILE).is_file():
        return installed
    return package.parent / "rules"


REGISTRY_LINE = re.compile(r"^registry: (\{.*\})[ \t]*$", re.M)


def _head(path: Path) -> tuple[str, dict]:
    """(concern name, registry block) of a rule file. The shipped files write the registry as one
    line of JSON-style YAML ("registry: {...}"), read here with json: a report served from the
    cache needs the registry but neither the rules nor a YAML parser. Any other layout is read
    with YAML (the rule set's loader validates the block either way)."""
    text = path.read_text(encoding="utf-8")
    match = REGISTRY_LINE.search(text)
    if match is not None:
        try:
            return path.stem, json.loads(match.group(1))
        except ValueError:
            pass
    import yaml

    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    entry = raw.get("registry") if isinstance(raw, dict) else None
    return path.stem, entry if isinstance(entry, dict) else {}


@functools.cache
def registry() -> tuple[ConcernEntry, ...]:
    """Every concern of the shipped rule set, in public order."""
    entries = []
    for path in sorted(default_rules_dir().glob("*.yaml")):
        if path.name in SHARED_FILES:
            continue
        name, entry = _head(path)
        status = entry.get("status") or {}
        entries.append(ConcernEntry(
            name=name,
            order=int(entry.get("order", 999)),
            display_order=int(entry.get("display_order", 999)),
            heading=str(entry.get("heading") or name),
            question=str(entry.get("question") or entry.get("heading") or name),
            status_words={**STATUS_WORDS, **(status.get("words") or {})},
            status_labels={**STATUS_LABELS, **(status.get("labels") or {})},
        ))
    return tuple(sorted(entries, key=lambda e: (e.order, e.name)))


def concern_names() -> tuple[str, ...]:
    return tuple(e.name for e in registry())


def display_order() -> tuple[str, ...]:
    return tuple(e.name for e in sorted(registry(), key=lambda e: (e.display_order, e.order)))


def titles() -> dict[str, str]:
    return {e.name: e.heading for e in registry()}


def questions() -> dict[str, str]:
    return {e.name: e.question for e in registry()}


def status_word(concern: str, status: str) -> str:
    entry = next((e for e in registry() if e.name == concern), None)
    return (entry.status_words if entry else STATUS_WORDS).get(status, status)


def status_label(concern: str, status: str) -> str:
    entry = next((e for e in registry() if e.name == concern), None)
    return (entry.status_labels if entry else STATUS_LABELS).get(status, status)
