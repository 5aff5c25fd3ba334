"""The "My case" view in a real headless Chromium: three documents of one plan, the profile form, the letter.

Same set-up as tests/test_browser.py (Debian chromium driven by the pip package playwright; skipped
without them). Screenshots case-*.png go to $KETCOVER_SCREENSHOTS when set (docs/screenshots).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ketcover.render.case import STATUS_WORDS
from test_browser import CHROMIUM, SAMPLES, browser, drop, open_citation, page, screenshot_dir, server, sync_playwright  # noqa: F401

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="the pip package playwright is not installed"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (Debian: apt-get install chromium)"),
]

POLICY = SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf"
DENIAL = SAMPLES / "denial-letter_example-health_spravato.pdf"
EOC = SAMPLES / "eoc_example-health_gold-hmo.pdf"
LETTER_QUOTE = re.compile(r"“(?P<quote>[^”]+)” \((?P<file>[^,()]+\.pdf), p\. (?P<page>\d+)\)")


def shown_statuses(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#case-results .case-treatment'))
        .map((item) => [item.dataset.treatment, item.querySelector('.status-badge').textContent]))""")


def checklist(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#case-checklist li'))
        .map((item) => [item.dataset.check, item.querySelector('.status-badge').textContent]))""")


def download_button(page, name: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.locator("#case-results .downloads").get_by_role("button", name=name, exact=True).click()
    result = info.value
    return result.suggested_filename, Path(result.path()).read_text(encoding="utf-8")


def fill_profile(page) -> None:
    page.locator("#profile-details > summary").click()
    form = page.locator("#profile-form")
    form.locator("[name=name]").fill("Jordan A. Sample")
    form.locator("[name=age]").fill("38")
    form.locator("[name=prescriber_name]").fill("Dana Whitfield, MD")
    form.locator("[name=prescriber_specialty]").select_option("psychiatrist")
    form.locator("[name=current_oral_antidepressant]").fill("sertraline 150 mg")
    form.locator("[name=rems_certified_site]").select_option("true")
    form.locator("[name=diagnoses]").fill("F33.2 major depressive disorder, recurrent, severe without psychotic features")
    form.locator("[name=psychotherapy]").fill("CBT, 16 sessions, 2025")
    trials = page.locator("#trials tr")
    for index, (drug, dose, weeks, outcome) in enumerate([("sertraline", "150 mg daily", "11", "no_response"),
                                                           ("bupropion", "300 mg daily", "8", "partial_response")]):
        row = trials.nth(index)
        row.locator("[name=drug]").fill(drug)
        row.locator("[name=dose]").fill(dose)
        row.locator("[name=weeks]").fill(weeks)
        row.locator("[name=outcome]").select_option(outcome)
        row.locator("[name=current_episode]").select_option("true")
    scale = page.locator("#scales tr").first
    scale.locator("[name=scale]").fill("PHQ-9")
    scale.locator("[name=score]").fill("21")
    scale.locator("[name=date]").fill("2026-01-10")


def test_my_case_three_documents_profile_letter_and_print_view(page, tmp_path):  # noqa: F811
    from ketcover.case.sources import read_sources

    shots = screenshot_dir(tmp_path)
    page.locator("#mode-case").check()
    drop(page, [POLICY, DENIAL, EOC])
    page.wait_for_selector("#case-results .case-treatment")
    page.wait_for_function("() => document.getElementById('case-status').textContent.includes('ready')")

    # One answer per treatment, in the server's words; all criteria unknown before the form is filled in.
    statuses = shown_statuses(page)
    assert statuses == {"esketamine_nasal": STATUS_WORDS["covered_with_conditions"],
                        "ketamine_iv": STATUS_WORDS["excluded_experimental"],
                        "ketamine_other": statuses["ketamine_other"]}
    assert set(checklist(page).values()) == {STATUS_WORDS["unknown"]}
    assert [li.inner_text() for li in page.locator("#case-documents li").all()] == [POLICY.name, DENIAL.name, EOC.name]
    for section in ("treatments", "flags", "denial", "checklist", "deadlines", "questions", "gather", "assistance"):
        assert page.locator(f"#case-{section}").count() == 1, section
    assert page.locator("#case-deadlines td", has_text="2026-08-15").count() >= 1  # 180 days from the notice
    assert "[object" not in page.locator("#case-results").inner_text()
    assert "Because only" in page.locator("#case-denial").inner_text()
    spravato = page.locator("#case-results .case-treatment[data-treatment=esketamine_nasal]")
    spravato.locator(".case-conditions > summary").click()
    assert spravato.locator(".case-conditions .cite").count() >= 6

    fill_profile(page)
    page.screenshot(path=str(shots / "case-profile.png"), full_page=False)
    page.locator("#profile-apply").click()
    page.wait_for_function("() => document.getElementById('case-status').textContent.includes('Updated')")
    checks = checklist(page)
    for check in ("age", "diagnosis_mdd", "antidepressant_trials", "concurrent_oral_antidepressant", "rems_site"):
        assert checks[check] == STATUS_WORDS["met"], (check, checks)
    # The results were drawn again: the criteria are folded, so the three answers fit the screenshot.
    assert not spravato.locator(".case-conditions").evaluate("(details) => details.open")
    page.locator("#case-status").evaluate("(status) => status.scrollIntoView({ block: 'start' })")
    page.screenshot(path=str(shots / "case-overview.png"))

    # A criterion's quote opens its page, highlighted.
    button = page.locator("#case-checklist li[data-check=age] .cite")
    view = open_citation(page, button)
    assert view["title"].startswith(f"Page {button.get_attribute('data-page')} of {POLICY.name}")
    assert view["marks"], view["note"]
    page.locator("#case-checklist").evaluate("(section) => section.scrollIntoView({ block: 'start' })")
    page.screenshot(path=str(shots / "case-checklist.png"))
    page.locator("#viewer-close").click()
    page.wait_for_selector("#viewer", state="hidden")

    # The letter (Markdown and print-ready HTML) and the case JSON are downloads; every quotation is verbatim.
    pages = {s.name: s.pages() for s in read_sources([POLICY, DENIAL, EOC])}
    name, letter = download_button(page, "Appeal letter (Markdown)")
    assert name == "ketcover-appeal-letter.md"
    assert "Jordan A. Sample" in letter and "Dana Whitfield, MD" in letter
    found = list(LETTER_QUOTE.finditer(letter))
    assert len(found) >= 9
    for match in found:
        page_text = " ".join(pages[match["file"]][int(match["page"]) - 1].split())
        assert match["quote"] in page_text, match["quote"]
    name, html = download_button(page, "Appeal letter (HTML, print-ready)")
    assert name == "ketcover-appeal-letter.html" and "@media print" in html and "Jordan A. Sample" in html
    name, text = download_button(page, "Case (JSON)")
    case = json.loads(text)
    assert name == "ketcover-case.json" and case["profile_used"] is True
    assert [d["file"] for d in case["documents"]] == [POLICY.name, DENIAL.name, EOC.name]

    # The print view: the letter alone, on screen and in print.
    page.locator("#letter-open").click()
    page.wait_for_selector("#letter-view:not([hidden])")
    assert "Jordan A. Sample" in page.locator("#letter-body").inner_text()
    assert page.locator("#letter-body blockquote").count() == len(found)
    page.screenshot(path=str(shots / "case-letter.png"))
    page.emulate_media(media="print")
    page.evaluate("() => window.scrollTo(0, 0)")
    hidden = page.evaluate("""() => ['main', '.site-header', '.site-footer'].map((s) => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none", "none", "none"]
    assert page.locator(".letter-bar").evaluate("(bar) => getComputedStyle(bar).display") == "none"
    assert page.locator("#letter-body").is_visible()
    page.screenshot(path=str(tmp_path / "case-print.png"))  # for a look when it fails; the README shows case-letter.png
    page.emulate_media(media="screen")
    page.keyboard.press("Escape")
    page.wait_for_selector("#letter-view", state="hidden")

    # The same documents as plans (a comparison) and back to the case, without dropping them again.
    page.locator("#mode-plans").check()
    page.wait_for_selector("table.comparison")
    assert page.locator("#case").is_hidden()
    page.locator("#mode-case").check()
    page.wait_for_function("() => document.getElementById('case-status').textContent.includes('Updated')")
    assert shown_statuses(page)["esketamine_nasal"] == STATUS_WORDS["covered_with_conditions"]
    assert page.locator("#results").inner_text() == ""

    # Nothing left the machine, nothing was kept in the browser, no console error (a CSP violation is one).
    stored = page.evaluate("() => localStorage.length + sessionStorage.length")
    assert stored == 0
    requests = [u for u in page.recorder.requests if not u.startswith("blob:")]
    blobs = [u for u in page.recorder.requests if u.startswith("blob:")]
    assert all(urlsplit(u[len("blob:"):]).netloc == page.recorder.origin for u in blobs)
    page.recorder.requests = requests
    page.recorder.assert_only_local()
