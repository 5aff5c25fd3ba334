"""The comparison page in headless Chromium with axe-core: accessible, sticky header, phone layout.

Needs /usr/bin/chromium, the pip package playwright, and axe-core from npm:
`npm install --no-save --prefix .axe axe-core@4` (or $KETCOVER_AXE pointing at axe.min.js).
Screenshots go to docs/screenshots/ when $KETCOVER_SCREENSHOTS is set to that folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from test_browser import CHROMIUM, ROOT, SAMPLES, browser, sync_playwright  # noqa: F401 (browser: the shared fixture)

AXE = Path(os.environ.get("KETCOVER_AXE", ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"))
AXE_DEFAULT_RUN = "async () => await axe.run(document)"


def serious_violations(page, run: str = AXE_DEFAULT_RUN) -> list:
    """axe-core's serious and critical violations on the page as it is now: (rule, impact, nodes, first targets).
    Shared by every browser test that runs axe-core."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(run)
    return [(v["id"], v["impact"], len(v["nodes"]), [n["target"] for n in v["nodes"][:3]])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
def screenshot_if_asked(page, name: str) -> None:
    """Save a screenshot as `name` in $KETCOVER_SCREENSHOTS when it is set (docs/screenshots is made
    that way); shared by the browser tests that take the README's screenshots."""
    folder = os.environ.get("KETCOVER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="the pip package playwright is not installed"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (Debian: apt-get install chromium)"),
    pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core not installed at {AXE} (npm install --prefix .axe axe-core@4)"),
]


@pytest.fixture(scope="module")
def comparison_file(tmp_path_factory):
    from ketcover.analyze import analyze
    from ketcover.compare import build_comparison
    from ketcover.render import render_comparison

    pdfs = sorted(SAMPLES.glob("*.pdf"))
    if len(pdfs) < 2:
        pytest.skip(f"fewer than two sample PDFs in {SAMPLES}")
    reports = analyze(pdfs)
    path = tmp_path_factory.mktemp("compare") / "comparison.html"
    path.write_text(render_comparison(build_comparison(reports), "html"), encoding="utf-8")
    return path


def _open(browser, comparison_file, size):
    # bypass_csp lets the test inject axe-core; the page's own policy is checked in test_compare.
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=True)
    page = context.new_page()
    page.goto(comparison_file.as_uri())
    return context, page


@pytest.mark.parametrize("layout", sorted(WIDTHS))
def test_no_serious_or_critical_axe_violations(browser, comparison_file, layout):
    context, page = _open(browser, comparison_file, WIDTHS[layout])
    try:
        bad = serious_violations(page)
        assert bad == [], bad
        screenshot_if_asked(page, f"compare-{WIDTHS[layout][0]}.png")
    finally:
        context.close()


def test_the_header_row_stays_in_view_while_the_table_scrolls(browser, comparison_file):
    context, page = _open(browser, comparison_file, WIDTHS["desktop"])
    try:
        box = page.locator(".scroller").bounding_box()
        page.locator(".scroller").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(100)
        header = page.locator("#matrix thead th").nth(1).bounding_box()
        assert page.locator(".scroller").evaluate("el => el.scrollTop") > 200  # it did scroll
        assert box["y"] - 1 <= header["y"] <= box["y"] + 5  # the plan names are still at the top
        # every plan column is readable: at least 14rem (224 px)
        widths = page.locator("#matrix thead th").evaluate_all("ths => ths.slice(1).map(t => t.getBoundingClientRect().width)")
        assert min(widths) >= 224
    finally:
        context.close()


def test_a_phone_shows_the_plans_as_cards(browser, comparison_file):
    context, page = _open(browser, comparison_file, WIDTHS["phone"])
    try:
        assert not page.locator(".scroller").is_visible()
        cards = page.locator(".cards .concern").first.locator(".card")
        assert cards.count() >= 2 and cards.first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
        # the jump menu leads to a visible heading, not into the hidden table
        page.click('nav.jump a:has-text("Appeals")')
        assert page.evaluate("location.hash") == "#card-appeals"
        assert page.locator("#card-appeals").is_visible()
    finally:
        context.close()


def test_plans_sort_by_a_cost(browser, comparison_file):
    context, page = _open(browser, comparison_file, WIDTHS["desktop"])
    try:
        page.select_option("#sort-plans", "cost.outpatient_mental_health")
        amounts = page.locator('#matrix tr[data-key="cost.outpatient_mental_health"] td').evaluate_all(
            "tds => tds.map(td => td.getAttribute('data-amount'))")
        numbers = [float(a) for a in amounts if a]
        assert numbers == sorted(numbers) and numbers
        assert "sorted by" in page.locator("#sort-status").inner_text()
    finally:
        context.close()
