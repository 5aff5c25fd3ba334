"""Every output ketcover writes (reports, comparisons, diffs; cases in render.case), one module per format; this module picks one."""

from __future__ import annotations

from importlib import import_module

# format -> (module in this package, function); a module is imported only when its format is asked for,
# so a CSV or text run never loads Jinja2.
REPORT_FORMATS = {"text": ("report_text", "render_text"), "markdown": ("report_markdown", "render_markdown"),
                  "json": ("report_json", "render_json"), "html": ("report_html", "render_html")}
COMPARISON_FORMATS = {"text": ("compare_text", "render_text"), "markdown": ("compare_markdown", "render_markdown"),
                      "html": ("compare_html", "render_html"), "csv": ("compare_csv", "render_csv"),
                      "csv-wide": ("compare_csv", "render_csv_wide"), "json": ("compare_json", "render_json")}
DIFF_FORMATS = {"text": ("diff_text", "render_diff_text"), "markdown": ("diff_markdown", "render_diff_markdown"),
                "json": ("diff_json", "render_diff_json")}
# A case's formats (rendered by render/case.py); letter-* print the draft appeal letter alone.
CASE_FORMATS = ("text", "markdown", "html", "json", "letter-markdown", "letter-html")


def _renderer(formats: dict, fmt: str, what: str):
    if fmt not in formats:
        raise ValueError(f"unknown {what} format: {fmt}")
    module, function = formats[fmt]
    return getattr(import_module(f"ketcover.render.{module}"), function)


def render_report(reports: list, fmt: str) -> str:
    return _renderer(REPORT_FORMATS, fmt, "report")(reports)


def render_comparison(comparison, fmt: str) -> str:
    return _renderer(COMPARISON_FORMATS, fmt, "comparison")(comparison)


def render_diff(diff, fmt: str) -> str:
    return _renderer(DIFF_FORMATS, fmt, "diff")(diff)
