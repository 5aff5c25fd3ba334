"""A diff as JSON: both versions' reports and, per concern and cost, what changed."""

from __future__ import annotations

import json

from ketcover import __version__
from ketcover.diff import Diff
from ketcover.render.report_json import SCHEMA


def render_diff_json(diff: Diff) -> str:
    data = {
        "schema": SCHEMA,
        "ketcover_version": __version__,
        "documents": [diff.old.to_json(), diff.new.to_json()],
        "diff": {
            "changed": diff.changed,
            "concerns": {c.concern: c.to_json() for c in diff.concerns},
            "costs": [c.to_json() for c in diff.costs],
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
