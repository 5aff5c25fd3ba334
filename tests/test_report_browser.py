"""The CLI's report and case pages in headless Chromium with axe-core: no serious or critical
violations at 1366 px and 390 px, a skip link and a jump menu that reach every concern, the one
policy (no console error: a CSP violation is one).

Needs /usr/bin/chromium, the pip package playwright, and axe-core from npm:
`npm install --no-save --prefix .axe axe-core@4` (or $KETCOVER_AXE pointing at axe.min.js).
Screenshots go to $KETCOVER_SCREENSHOTS when it is set.
"""

from __future__ import annotations

from datetime import date

import pytest

from test_browser import CHROMIUM, SAMPLES, browser, sync_playwright  # noqa: F401 (browser: the shared fixture)
from test_comparison_browser import AXE, WIDTHS, screenshot_if_asked, serious_violations

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="the pip package playwright is not installed"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (Debian: apt-get install chromium)"),
    pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core not installed at {AXE} (npm install --prefix .axe axe-core@4)"),
]
POLICY = SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf"
DENIAL = SAMPLES / "denial-letter_example-health_spravato.pdf"
EOC = SAMPLES / "eoc_example-health_gold-hmo.pdf"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The analyze HTML report of every sample, the case page and the letter, written as the CLI writes them."""
    from ketcover.analyze import analyze
    from ketcover.case import case_from_sources
    from ketcover.case.sources import read_sources
    from ketcover.render import render_report
    from ketcover.render.case import render_case

    pdfs = sorted(SAMPLES.glob("*.pdf"))
    if not all(p.is_file() for p in (POLICY, DENIAL, EOC)):
        pytest.skip(f"the sample policy, denial letter and EOC are not in {SAMPLES}")
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    written["report"] = folder / "report.html"
    written["report"].write_text(render_report(analyze(pdfs), "html"), encoding="utf-8")
    case = case_from_sources(read_sources([POLICY, DENIAL, EOC]), None, today=date(2026, 3, 1))
    for name, fmt in (("case", "html"), ("letter", "letter-html")):
        written[name] = folder / f"{name}.html"
        written[name].write_text(render_case(case, fmt), encoding="utf-8")
    return written


def _open(browser, path, size, *, bypass_csp=True):
    # bypass_csp lets the test inject axe-core; the policy itself is checked with it on, below.
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=bypass_csp)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    return context, page, errors


@pytest.mark.parametrize("layout", sorted(WIDTHS))
@pytest.mark.parametrize("name", ["report", "case", "letter"])
def test_no_serious_or_critical_axe_violations(browser, pages, name, layout):
    context, page, _ = _open(browser, pages[name], WIDTHS[layout])
    try:
        bad = serious_violations(page)
        assert bad == [], bad
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[layout][0]  # nothing wider than the screen
        screenshot_if_asked(page, f"{name}-{WIDTHS[layout][0]}.png")
    finally:
        context.close()


@pytest.mark.parametrize("name", ["report", "case", "letter"])
def test_the_policy_lets_the_page_style_itself_and_nothing_else(browser, pages, name):
    context, page, errors = _open(browser, pages[name], WIDTHS["desktop"], bypass_csp=False)
    try:
        # The pinned stylesheet applied (a blocked one would leave the browser's default margins).
        assert page.evaluate("getComputedStyle(document.body).marginTop") != "8px"
        # frame-ancestors is only honoured as a header; a <meta> policy makes Chromium say so, nothing else.
        assert [e for e in errors if "frame-ancestors" not in e] == []
    finally:
        context.close()


def test_report_skip_link_and_jump_menu_reach_each_document_and_concern(browser, pages):
    context, page, _ = _open(browser, pages["report"], WIDTHS["desktop"])
    try:
        page.keyboard.press("Tab")
        skip = page.evaluate("document.activeElement.textContent")
        assert skip == "Skip to the main content"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        menu = page.locator('nav[aria-label="Jump to a document or concern"]')
        documents = menu.locator("ul.documents > li > a")
        assert documents.count() == len(list(SAMPLES.glob("*.pdf")))
        # every concern heading with quotes has its link in the menu, and the link leads there
        headings = page.locator("main h3[id]").evaluate_all("hs => hs.map(h => h.id)")
        targets = menu.locator("ul ul a").evaluate_all("as => as.map(a => a.getAttribute('href').slice(1))")
        assert headings and sorted(headings) == sorted(targets)
        link = menu.locator("ul ul a", has_text="Appeals").first
        target = link.get_attribute("href")
        link.click()
        assert page.evaluate("location.hash") == target
        assert page.locator(target).is_visible()
    finally:
        context.close()


def test_case_jump_menu_leads_to_each_part(browser, pages):
    context, page, _ = _open(browser, pages["case"], WIDTHS["phone"])
    try:
        links = page.locator('nav[aria-label="Jump to a part of your case"] a')
        hrefs = links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert "#deadlines" in hrefs and "#letter" in hrefs  # the denial letter makes a draft letter
        for href in hrefs:
            assert page.locator(href).count() == 1, href
        page.click('nav.jump a:has-text("Deadlines")')
        assert page.locator("#deadlines").is_visible()
    finally:
        context.close()
