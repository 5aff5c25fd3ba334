"""A comparison as JSON: every document's report and the matrix built from them."""

from __future__ import annotations

import json

from ketcover import __version__
from ketcover.compare import Comparison
from ketcover.render.report_json import SCHEMA


def to_json_data(comparison: Comparison) -> dict:
    return {
        "schema": SCHEMA,
        "ketcover_version": __version__,
        "documents": [r.to_json() for r in comparison.reports],
        "comparison": comparison.to_json(),
    }


def render_json(comparison: Comparison) -> str:
    return json.dumps(to_json_data(comparison), indent=2, ensure_ascii=False) + "\n"
