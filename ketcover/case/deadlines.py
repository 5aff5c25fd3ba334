"""Deadlines of a case: every deadline the documents state, dated when they say from when; then the law's defaults."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from ketcover.case import vocab
from ketcover.case.text import cite, in_ranges, reference_ranges, sentences

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6}


def add_period(start: date, amount: int, unit: str) -> date | None:
    """The day a period of `amount` `unit` after `start` ends; None for hours (not a calendar date)."""
    if "month" in unit:
        month = start.month - 1 + amount
        year, month = start.year + month // 12, month % 12 + 1
        return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    if unit in ("days", "calendar days"):
        return start + timedelta(days=amount)
    if unit in ("business days", "working days"):
        day, left = start, amount
        while left:
            day += timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day
    return None


def _kind(text: str) -> dict | None:
    for kind in vocab.load("denial")["kinds"]:
        if vocab.matches(kind["any"], text):
            return kind
    return None


def _anchor(text: str) -> str | None:
    for anchor, patterns in vocab.load("denial")["anchors"].items():
        if vocab.matches(patterns, text):
            return anchor
    return None


def stated_deadlines(sources, notice: date | None, today: date) -> list[dict]:
    """Each deadline sentence of each document; `due` when it runs from the denial notice and its date is known."""
    period = vocab.pattern(vocab.load("denial")["period"])
    deadlines = []
    for source in sources:
        pages = source.pages()
        skip = reference_ranges(pages)
        for number, text in enumerate(pages, start=1):
            for piece in sentences(number, text):
                if in_ranges(piece, skip):
                    continue
                kind = _kind(piece.text)
                if not kind:
                    continue
                for match in period.finditer(piece.text):
                    number_text = match.group("n").lower()
                    amount = int(number_text) if number_text.isdigit() else WORDS[number_text]
                    unit = " ".join(match.group("unit").lower().split())
                    anchor = _anchor(piece.text)
                    due = None
                    if anchor == "denial_notice" and notice and kind["who"] in ("you", "prescriber"):
                        due = add_period(notice, amount, unit)
                    deadlines.append({
                        "what": kind["what"], "who": kind["who"], "period": f"{amount} {unit}",
                        "runs_from": anchor, "due": due.isoformat() if due else None,
                        "passed": bool(due and due < today), "source": "document", **cite(source.name, piece),
                    })
                    break  # one deadline per sentence: its first period
    return deadlines


def plan_types(sources, profile: dict | None) -> tuple[list[str], bool]:
    """The plan types whose law applies: the profile's, else those the documents name, else the defaults.

    A companion (ACA external review) comes with the type it follows, never alone.
    """
    law = vocab.load("law")["plan_types"]
    if profile and profile.get("plan_type") in law:
        found = [profile["plan_type"]]
        detected = True
    else:
        found = [t for t, spec in law.items() if spec["detect"] and any(
            s.document is not None and vocab.matches(spec["detect"], s.document.text) for s in sources)]
        detected = bool(found)
        if not found:
            found = [t for t in vocab.load("law")["default_plan_types"] if not law[t].get("companion_of")]
    companions = [t for t, spec in law.items() if spec.get("companion_of") in found]
    return found + [c for c in companions if c not in found], detected


def law_deadlines(types: list[str], detected: bool, notice: date | None, today: date) -> list[dict]:
    law = vocab.load("law")
    deadlines = []
    for plan_type in types:
        spec = law["plan_types"][plan_type]
        for item in spec["deadlines"]:
            due = None
            if item.get("from") == "denial_notice" and notice:
                due = add_period(notice, item.get("days") or item.get("months"), "days" if item.get("days") else "months")
            deadlines.append({
                "what": item["what"], "who": item["who"], "period": item["period"], "due": due.isoformat() if due else None,
                "passed": bool(due and due < today), "source": "law", "plan_type": plan_type, "plan_type_label": spec["label"],
                "applies": "detected" if detected else "if your plan is this type",
                "citation": item["citation"], "checked": str(law["checked"]),
                "file": None, "page": None, "quote": None,
            })
    return deadlines


def build_deadlines(sources, denial: dict | None, profile: dict | None, today: date) -> dict:
    notice = date.fromisoformat(denial["date"]["date"]) if denial and denial.get("date") else None
    types, detected = plan_types(sources, profile)
    items = stated_deadlines(sources, notice, today) + law_deadlines(types, detected, notice, today)
    # What to do first: the earliest dated deadline still open, the documents' own before the law's.
    open_items = sorted((d for d in items if d["due"] and not d["passed"]), key=lambda d: (d["due"], d["source"] != "document"))
    return {
        "notice_date": notice.isoformat() if notice else None,
        "plan_types": types,
        "plan_type_detected": detected,
        "next": open_items[0] if open_items else None,
        "items": items,
    }
