"""The fast path (pypdfium2) and the pdfplumber path agree on pages and concerns for the samples."""

from __future__ import annotations

import pytest

from ketcover.analyze import Options, analyze

from conftest import SAMPLES

PDFS = sorted(SAMPLES.glob("*.pdf"))


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_fast_and_pdfplumber_paths_agree_on_pages_and_concerns(pdf, compiled_rules):
    fast, = analyze([pdf], compiled_rules.ruleset, Options(engine="pdfium"))
    slow, = analyze([pdf], compiled_rules.ruleset, Options(engine="pdfplumber"))
    assert fast.status == slow.status == "ok"
    assert fast.pages == slow.pages
    fast_pages = {(f.concern, f.page) for f in fast.findings}
    slow_pages = {(f.concern, f.page) for f in slow.findings}
    assert fast_pages == slow_pages, (
        f"only fast: {sorted(fast_pages - slow_pages)}; only pdfplumber: {sorted(slow_pages - fast_pages)}")
