"""Reports as JSON: the public schema, every finding with its page and verbatim quote."""

from __future__ import annotations

import json

from ketcover import __version__
from ketcover.model import DocumentReport

SCHEMA = "ketcover.report/1"


def to_json_data(reports: list[DocumentReport]) -> dict:
    return {
        "schema": SCHEMA,
        "ketcover_version": __version__,
        "documents": [r.to_json() for r in reports],
    }


def render_json(reports: list[DocumentReport]) -> str:
    return json.dumps(to_json_data(reports), indent=2, ensure_ascii=False) + "\n"
