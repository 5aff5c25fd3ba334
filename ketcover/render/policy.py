"""The one Content-Security-Policy of every HTML page ketcover writes or serves, and the inline stylesheet and script it pins."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
# One stylesheet for every page the CLI writes (report, comparison, case, letter), inlined so a
# page opened from disk is one file; the policy pins it (and the comparison's script) by hash,
# so no other inline style or script can run, even if a page ever failed to escape something.
STYLESHEET = (TEMPLATES / "ketcover.css").read_text(encoding="utf-8")
SCRIPT = (TEMPLATES / "compare.js").read_text(encoding="utf-8")


def source_hash(source: str) -> str:
    """A CSP hash source ('sha256-...') for an inline <style> or <script> body."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


# 'self' serves the web page's own files (served by `ketcover serve`); a page opened from disk
# loads nothing, so there 'self' has nothing to allow. frame-ancestors only counts when sent as a
# header (the server's); in a page's <meta> the browser ignores it.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'self' {source_hash(SCRIPT)}; style-src 'self' {source_hash(STYLESHEET)}; "
    "img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
