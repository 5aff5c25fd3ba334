"""The web page's report, comparison and case views in headless Chromium with axe-core, by keyboard, at 1366 and 390 px.

Same set-up as tests/test_browser.py (Debian chromium driven by the pip package playwright), plus
axe-core from npm: `npm install --no-save --prefix .axe axe-core@4` (or $KETCOVER_AXE pointing at
axe.min.js); skipped without them. Screenshots web-*.png go to $KETCOVER_SCREENSHOTS when set
(docs/screenshots).
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest

from test_browser import CHROMIUM, SAMPLES, browser, drop, server, sync_playwright  # noqa: F401 (fixtures)
from test_comparison_browser import AXE, screenshot_if_asked, serious_violations

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="the pip package playwright is not installed"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (Debian: apt-get install chromium)"),
    pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core not installed at {AXE} (npm install --prefix .axe axe-core@4)"),
]

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
POLICY = SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf"
DENIAL = SAMPLES / "denial-letter_example-health_spravato.pdf"
EOC = SAMPLES / "eoc_example-health_gold-hmo.pdf"
SBC = SAMPLES / "sbc_example-health_silver-ppo.pdf"
TIMEOUT_MS = 180_000
# label-content-name-mismatch is an "experimental" axe rule, off by default: the UX review ran it
# (93 citation buttons failed it), so it runs here too.
AXE_RUN = """async () => await axe.run(document, { rules: { "label-content-name-mismatch": { enabled: true } } })"""


@contextmanager
def page_at(browser, server, layout):
    """The web page in a fresh browser context of `layout`'s size, ready; the context closes after."""
    # bypass_csp lets the test inject axe-core; the page's own policy is checked in test_server.
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[layout])), bypass_csp=True)
    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(server.url)
        tab.wait_for_selector("body[data-ready=true]")
        yield tab
    finally:
        context.close()


def serious(page) -> list:
    """axe-core's serious and critical violations, the experimental name-mismatch rule included."""
    return serious_violations(page, AXE_RUN)


def shot(page, name: str, top: str | None = "#report-title") -> None:
    """A screenshot with `top` scrolled to the top of the screen, when $KETCOVER_SCREENSHOTS is set."""
    if os.environ.get("KETCOVER_SCREENSHOTS"):
        if top:
            page.locator(top).evaluate("node => node.scrollIntoView({ block: 'start' })")
        screenshot_if_asked(page, name)


def open_first_citation(page, selector: str):
    button = page.locator(selector).first
    button.scroll_into_view_if_needed()
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#viewer:not([hidden])")
    page.wait_for_function("() => { const i = document.getElementById('page-image');"
                           " return i.complete && i.naturalWidth > 0 && document.getElementById('viewer-note').textContent"
                           " !== 'Loading the page…'; }")
    return button


def upload_report(page, pdf=POLICY):
    drop(page, [pdf])
    page.wait_for_selector("#results .concern")


def upload_comparison(page):
    drop(page, [SBC, EOC])
    page.wait_for_selector("#results .card-group", state="attached")


def upload_case(page):
    page.locator("#mode-case").check()
    drop(page, [POLICY, DENIAL, EOC])
    page.wait_for_selector("#case-results .case-treatment")
    page.wait_for_function("() => document.getElementById('case-status').textContent.includes('ready')")


@pytest.mark.parametrize("layout", sorted(WIDTHS))
def test_report_view_has_no_serious_axe_violations(browser, server, layout):
    with page_at(browser, server, layout) as page:
        upload_report(page)
        assert serious(page) == []
        shot(page, f"web-report-{WIDTHS[layout][0]}.png")
        for details in page.locator("#results details.more").all():
            details.evaluate("d => d.open = true")
        assert serious(page) == []
        open_first_citation(page, "#results .cite")
        assert serious(page) == []
        if layout == "phone":
            shot(page, "web-viewer-390.png", top=None)
        page.locator("#viewer-zoom").click()
        assert serious(page) == []


@pytest.mark.parametrize("layout", sorted(WIDTHS))
def test_comparison_view_has_no_serious_axe_violations(browser, server, layout):
    with page_at(browser, server, layout) as page:
        upload_comparison(page)
        assert serious(page) == []
        shot(page, f"web-compare-{WIDTHS[layout][0]}.png")
        open_first_citation(page, "#results .cite-small:visible")
        assert serious(page) == []


@pytest.mark.parametrize("layout", sorted(WIDTHS))
def test_case_view_has_no_serious_axe_violations(browser, server, layout):
    with page_at(browser, server, layout) as page:
        upload_case(page)
        page.locator("#profile-details > summary").click()
        for details in page.locator("#case-results details").all():
            details.evaluate("d => d.open = true")
        assert serious(page) == []
        open_first_citation(page, "#case-results button.cite")
        assert serious(page) == []


# Every control whose accessible name is set apart from its text must still contain that text, so
# a voice-control user can say what they see ("click p. 3").
NAME_MISMATCHES = """() => Array.from(document.querySelectorAll('button[aria-label], a[aria-label], [role=button][aria-label]'))
    .filter((node) => node.offsetParent !== null || node.closest('dialog[open]'))
    .map((node) => [node.getAttribute('aria-label').replace(/\\s+/g, ' ').trim().toLowerCase(),
                    node.innerText.replace(/\\s+/g, ' ').trim().toLowerCase(), node.outerHTML.slice(0, 120)])
    .filter(([name, text]) => text && !name.includes(text))"""
LABELLED = "() => document.querySelectorAll('#results .cite-small:not(.cards .cite-small)').length"


def test_every_accessible_name_contains_the_visible_text(browser, server):
    with page_at(browser, server, "desktop") as page:
        upload_report(page, SBC)
        assert page.evaluate(LABELLED) > 0  # the cost buttons are checked, not an empty list
        assert page.evaluate(NAME_MISMATCHES) == []
        upload_comparison(page)
        assert page.evaluate(LABELLED) > 5
        assert page.evaluate(NAME_MISMATCHES) == []
        upload_case(page)
        assert page.evaluate(NAME_MISMATCHES) == []


def focused(page) -> dict:
    return page.evaluate("""() => { const a = document.activeElement;
        return { id: a.id, tag: a.tagName, text: (a.innerText || '').trim().slice(0, 80),
                 inViewer: !!a.closest('#viewer'), concern: (a.closest('.concern') || {}).id || null }; }""")


@pytest.mark.parametrize("layout", sorted(WIDTHS))
def test_page_viewer_by_keyboard_over_the_report_without_squeezing_it(browser, server, layout):
    with page_at(browser, server, layout) as page:
        upload_report(page)
        page.locator("#results .cite").first.scroll_into_view_if_needed()
        report_box = page.locator("#results .concerns").bounding_box()
        opener = open_first_citation(page, "#results .cite")
        opener_id = opener.evaluate("b => b.dataset.id")
        assert focused(page)["inViewer"]  # the focus moved into the viewer
        # the report under the drawer kept its place and width: the viewer is an overlay
        assert page.locator("#results .concerns").bounding_box() == report_box
        viewer = page.locator("#viewer").bounding_box()
        assert viewer["x"] + viewer["width"] <= WIDTHS[layout][0] + 1 and viewer["height"] >= WIDTHS[layout][1] - 2

        # Tab and Shift+Tab stay inside the viewer (the page behind it is inert).
        for key in ["Tab"] * 6 + ["Shift+Tab"] * 8:
            page.keyboard.press(key)
            assert focused(page)["inViewer"], key

        # The page image scrolls with the arrow keys once its frame has the focus.
        if page.locator("#viewer-zoom").get_attribute("aria-pressed") != "true":
            page.locator("#viewer-zoom").focus()
            page.keyboard.press("Enter")
        scroller = page.locator("#page-scroll")
        scroller.focus()
        scroller.evaluate("el => el.scrollTo(0, 0)")
        for key in ["ArrowDown"] * 4 + ["ArrowRight"] * 4:
            page.keyboard.press(key)
        page.wait_for_timeout(300)  # keyboard scrolling may be smooth
        position = scroller.evaluate("el => [el.scrollTop, el.scrollLeft, el.scrollHeight > el.clientHeight, el.scrollWidth > el.clientWidth]")
        assert position[2] and position[3], "zoomed, the page is larger than its frame both ways"
        assert position[0] > 0 and position[1] > 0, position

        # Escape closes it and the focus is back on the quote that opened it.
        page.keyboard.press("Escape")
        page.wait_for_selector("#viewer", state="hidden")
        assert page.evaluate("() => document.activeElement.dataset.id") == opener_id
        assert page.evaluate("() => document.activeElement.classList.contains('cite')")


def test_the_comparison_keeps_its_columns_while_a_page_is_open(browser, server):
    with page_at(browser, server, "desktop") as page:
        upload_comparison(page)
        widths = page.locator("table.comparison thead th").evaluate_all("ths => ths.map(t => t.getBoundingClientRect().width)")
        open_first_citation(page, "table.comparison .cite-small")
        assert page.locator("table.comparison thead th").evaluate_all("ths => ths.map(t => t.getBoundingClientRect().width)") == widths
        assert min(widths[1:]) >= 224  # every plan column is readable: at least 14rem
        page.keyboard.press("Escape")
        page.wait_for_selector("#viewer", state="hidden")


@pytest.mark.parametrize("layout", sorted(WIDTHS))
def test_appeals_is_a_few_tab_presses_away(browser, server, layout):
    with page_at(browser, server, layout) as page:
        upload_report(page, EOC)
        assert page.locator("#results .concern .cite").count() > 30  # a report long enough to need the menu
        assert focused(page)["id"] == "report-title"
        for presses in range(1, 16):
            page.keyboard.press("Tab")
            if focused(page)["text"] == "Appeals" and focused(page)["tag"] == "A":
                break
        else:
            pytest.fail("the Appeals link was not reached in 15 Tab presses")
        page.keyboard.press("Enter")
        now = focused(page)
        assert now["concern"] == "concern-appeals" and now["tag"] == "H3", now
        heading = page.locator("#concern-appeals h3").bounding_box()
        menu = page.locator("#results nav.jump").bounding_box()
        assert menu["y"] + menu["height"] <= heading["y"] + 1  # not hidden under the sticky menu
        assert heading["y"] + heading["height"] <= WIDTHS[layout][1]
        # the next Tab goes on inside Appeals, to its first quote
        page.keyboard.press("Tab")
        assert focused(page)["concern"] == "concern-appeals"


@pytest.mark.parametrize("layout", sorted(WIDTHS))
def test_the_jump_menu_stays_in_view_while_the_report_scrolls(browser, server, layout):
    with page_at(browser, server, layout) as page:
        upload_report(page, EOC)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(100)
        assert page.evaluate("window.scrollY") > 1000  # it did scroll
        menu = page.locator("#results nav.jump").bounding_box()
        assert -1 <= menu["y"] <= 1 and menu["height"] < 120, menu
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[layout][0]


def test_the_comparison_header_row_stays_in_view_while_the_table_scrolls(browser, server):
    with page_at(browser, server, "desktop") as page:
        upload_comparison(page)
        wrap = page.locator(".table-wrap")
        box = wrap.bounding_box()
        wrap.evaluate("el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(100)
        assert wrap.evaluate("el => el.scrollTop") > 200  # it did scroll
        header = page.locator("table.comparison thead th").nth(1).bounding_box()
        assert box["y"] - 1 <= header["y"] <= box["y"] + 5  # the plan names are still at the top
        assert box["height"] <= WIDTHS["desktop"][1]  # the whole frame fits on the screen


def test_a_phone_shows_the_comparison_as_cards_with_a_jump_menu(browser, server):
    with page_at(browser, server, "phone") as page:
        upload_comparison(page)
        assert not page.locator(".table-wrap").is_visible()
        cards = page.locator("#cards-appeals .card")
        assert cards.count() == 2 and cards.first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
        page.locator('#results nav.jump a:text-is("Appeals")').click()
        assert focused(page)["id"] == "cards-appeals-title"
        assert page.locator("#cards-appeals-title").is_visible()


def test_a_printed_report_has_every_quote_and_no_controls(browser, server):
    with page_at(browser, server, "desktop") as page:
        upload_report(page, EOC)
        folded = page.locator("#results details.more:not([open]) .cite").count()
        assert folded > 0  # the EOC's report folds some quotes on screen
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser sends before printing
        assert page.locator("#results details.more:not([open])").count() == 0
        assert page.locator("#results .cite").evaluate_all("bs => bs.every(b => b.offsetParent !== null)")
        for hidden in ("#start", "#results .downloads", "#results nav.jump"):
            assert not page.locator(hidden).is_visible(), hidden
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert page.locator("#results details.more:not([open]) .cite").count() == folded  # folded again
