"""A case as JSON, text, Markdown or print-ready HTML, and the appeal letter alone (from the templates)."""

from __future__ import annotations

import json

from ketcover.render.pages import render_page, render_plain

STATUS_WORDS = {
    "covered_with_conditions": "covered when criteria are met",
    "covered": "covered",
    "excluded_experimental": "experimental / investigational (usually not paid)",
    "not_covered": "not covered",
    "not_addressed": "not addressed by your documents",
    "conflicting": "your documents disagree",
    "met": "met", "not_met": "NOT met", "unknown": "unknown",
    "several": "more than one is named (ask which pays)", "not_stated": "not stated",
}


def _words(value) -> str:
    return STATUS_WORDS.get(value, str(value).replace("_", " "))


def _md(text) -> str:
    return " ".join(str(text or "").split()).replace("*", "\\*").replace("_", "\\_")


FILTERS = (("words", _words), ("md", _md))


def render_json(case: dict) -> str:
    return json.dumps(case, indent=2, ensure_ascii=False) + "\n"


def render_case(case: dict, format: str) -> str:
    if format.startswith("letter-"):
        if not case.get("appeal_letter"):
            return "No denial letter is among the documents, so there is no appeal letter to draft.\n"
        return render_letter_html(case) if format == "letter-html" else case["appeal_letter"]["markdown"]
    if format == "json":
        return render_json(case)
    if format == "html":
        return render_page("case.html.j2", filters=FILTERS, case=case)
    return render_plain("case.md.j2" if format == "markdown" else "case.txt.j2", filters=FILTERS, case=case)


def render_letter_html(case: dict) -> str:
    """The appeal letter alone, print-ready (every piece of text escaped)."""
    return render_page("letter.html.j2", filters=FILTERS, case=case)
