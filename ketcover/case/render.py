"""Rendering a case as JSON, text, Markdown or print-ready HTML (Jinja2, imported only here, autoescape on)."""

from __future__ import annotations

import json
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
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


def _environment(autoescape: bool):
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=autoescape,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             )
    env.filters["flat"] = lambda text: " ".join(str(text or "").split())
    env.filters["words"] = lambda value: STATUS_WORDS.get(value, str(value).replace("_", " "))
    env.filters["md"] = lambda text: " ".join(str(text or "").split()).replace("*", "\\*").replace("_", "\\_")
    return env


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
        return _environment(True).get_template("case.html.j2").render(case=case)
    name = "case.md.j2" if format == "markdown" else "case.txt.j2"
    return _environment(False).get_template(name).render(case=case)


def render_letter_html(case: dict) -> str:
    """The appeal letter alone, print-ready (every piece of text escaped)."""
    return _environment(True).get_template("letter.html.j2").render(case=case)
