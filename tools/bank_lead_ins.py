"""Fill `lead_in:` of the sentence bank's sentences from notes that quote the line introducing them.

Usage: python tools/bank_lead_ins.py [--show] [--apply]  (counts per split; --show lists the train and
validation sentences' lead-ins, never the test split's; --apply writes them; a sentence that has one is left alone)

Rule (tests/wording/README.md, leadin8):
- a note's quotation ("...", '...' or “...”) right after "under", "item of", "item after" or
  "lead-in (line)", with at most three plain words between ("under the heading 'X'",
  "under its lead-in "X"", "item of (a)(4)(ii) 'X'", "under the privacy notice's heading 'X'");
  also "under the "X" heading";
- a quotation the note calls a lead-in in so many words ("lead-in") that ends with a letter, digit or
  closing bracket gains the ":" that ends a lead-in; any other is kept as quoted;
- skipped: a quotation with an ellipsis ("..." / "…": not verbatim), and one the sentence's own text
  already holds (the sentence keeps its lead-in line).
Only `lead_in:` lines are inserted (after `text:`'s block); nothing else in a file changes.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from ketcover.bank import wording_split  # noqa: E402

WORD = r"[\w’'().-]+"
QUOTE = r"(?:\"(?P<d>[^\"]+)\"|“(?P<c>[^”]+)”|(?<!\w)'(?P<s>[^']+?(?:'\w[^']*?)*)'(?!\w))"
TRIGGER = re.compile(
    r"(?:\b(?:under|items?\s+(?:of|after))\s+(?P<gap>(?:(?:the|its|their|a|an)\s+)?(?:" + WORD + r"\s+){0,3}?)"
    r"|\b(?P<named>lead-in(?:\s+line)?)\s+)" + QUOTE,
    re.IGNORECASE)
# The note names the quotation the lead-in: "under its lead-in "X"", "its real lead-in line 'X'".
NAMES_LEAD_IN = re.compile(r"lead-in(?:\s+line)?\s*$", re.IGNORECASE)


def lead_in_of(note: str, text: str) -> str | None:
    """The line a note quotes as the sentence's lead-in or heading (rule above), or None."""
    for m in TRIGGER.finditer(note):
        quoted = m.group("d") or m.group("c") or m.group("s")
        if not quoted or not quoted.strip():
            continue
        line = quoted.strip()
        if "..." in line or "…" in line:
            return None
        named = m.group("named") or NAMES_LEAD_IN.search(m.group("gap") or "")
        if named and re.search(r"[\w)\]]$", line):
            line += ":"
        if line.rstrip(":").lower() in " ".join(text.split()).lower():
            return None
        return line
    return None


def main() -> None:
    """Count (and with --apply write) the lead-ins per split."""
    apply = "--apply" in sys.argv
    counts: Counter = Counter()
    show = "--show" in sys.argv
    for path in sorted((ROOT / "tests" / "wording").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = []
        for sentence in data["sentences"]:
            split = wording_split(sentence.get("source", ""))
            counts[split, "sentences"] += 1
            if "lead_in" in sentence:
                counts[split, "had"] += 1
                found.append(None)
                continue
            line = lead_in_of(sentence.get("note") or "", sentence["text"])
            found.append(line)
            if line:
                counts[split, "lead_in"] += 1
                if show and split != "test":  # never read the test split's sentences one by one
                    print(f"{split[:5]} | {line!r} <- {sentence['note'][:160]}")
        if apply and any(found):
            insert(path, found)
    for key in sorted(counts):
        print(key, counts[key])


def insert(path: Path, found: list[str | None]) -> None:
    """Insert `  lead_in: ...` after each sentence's text block (a new `- text:` item starts a sentence)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    index = -1
    pending: str | None = None
    in_text = False
    for line in lines:
        if in_text and line.strip() and not line.startswith("    "):
            in_text = False
            if pending:
                out.append("  lead_in: " + yaml.safe_dump(pending, allow_unicode=True, width=10_000,
                                                         default_style=None).rstrip("\n").removesuffix("\n..."))
                pending = None
        if line.startswith("- text:"):
            index += 1
            pending = found[index]
            in_text = True
        out.append(line)
    path.write_text("\n".join(out), encoding="utf-8")
    # The file must read back the same, plus the new key.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    got = [s.get("lead_in") for s in data["sentences"]]
    assert got == found, (path, [(a, b) for a, b in zip(got, found) if a != b][:3])


if __name__ == "__main__":
    main()
