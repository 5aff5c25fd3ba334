"""The web page in a real headless Chromium: drop a policy, read the cited report, compare plans.

Needs the Debian package `chromium` (/usr/bin/chromium) and the pip package `playwright`
(driving that Chromium; `playwright install` is never run). Screenshots go to
$KETCOVER_SCREENSHOTS when it is set (docs/screenshots is made that way), else to a temp folder.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ketcover.compare import DISPLAY_ORDER

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SAMPLES = ROOT / "sample_policies"
CORPUS = ROOT.parent / "shared" / "corpus"
TIMEOUT_MS = 180_000

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="the pip package playwright is not installed"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (Debian: apt-get install chromium)"),
]


def sample_pdfs() -> list[Path]:
    """Two plans to drop: the project's samples, else the CMS sample SBC and another corpus SBC."""
    samples = sorted(SAMPLES.glob("*.pdf"), key=lambda p: (not p.name.startswith("sbc"), not p.name.startswith("eoc"), p.name))
    if len(samples) >= 2:
        return samples[:2]
    corpus = sorted(CORPUS.glob("sbc_cms_*.pdf")) + sorted(CORPUS.glob("sbc_aetna_*.pdf"))
    if len(samples + corpus) >= 2:
        return (samples + corpus)[:2]
    pytest.skip(f"no sample policy PDFs: none in {SAMPLES} and no CMS sample SBC in {CORPUS}")


@pytest.fixture(scope="module")
def server():
    from ketcover.server import create_server

    instance = create_server().start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


class Recorder:
    """Every request the page makes, and every console error (a CSP violation is one)."""

    def __init__(self, server):
        self.origin = f"127.0.0.1:{server.port}"
        self.requests: list[str] = []
        self.errors: list[str] = []

    def assert_only_local(self):
        assert self.requests, "no request was recorded"
        outside = [url for url in self.requests if urlsplit(url).netloc != self.origin]
        assert not outside, f"the page asked for addresses outside 127.0.0.1: {outside}"
        assert not self.errors, f"the page logged errors: {self.errors}"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 960})
    recorder = Recorder(server)
    context.on("request", lambda request: recorder.requests.append(request.url))

    def route(route):
        # Nothing may leave this machine: record it (above) and refuse it.
        if urlsplit(route.request.url).netloc == recorder.origin:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.on("console", lambda message: recorder.errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: recorder.errors.append(str(error)))
    tab.recorder = recorder
    tab.goto(server.url)
    tab.wait_for_selector("body[data-ready=true]")
    yield tab
    context.close()


def drop(page, paths: list[Path], names: list[str] | None = None) -> None:
    """Drop files on the drop zone the way a desktop drag does (a DataTransfer with File objects)."""
    files = [{"name": (names or [p.name for p in paths])[i], "data": base64.b64encode(Path(p).read_bytes()).decode()}
             for i, p in enumerate(paths)]
    page.evaluate(
        """(files) => {
            const transfer = new DataTransfer();
            for (const file of files) {
                const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
                transfer.items.add(new File([bytes], file.name, { type: "application/pdf" }));
            }
            const zone = document.getElementById("dropzone");
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
            }
        }""",
        files,
    )


def job_json(page, job_id: str) -> dict:
    return page.evaluate("(id) => fetch(`api/jobs/${id}`).then((r) => r.json())", job_id)


def download(page, link_text: str, within: str = ".downloads") -> tuple[str, str]:
    with page.expect_download() as info:
        page.locator(within).get_by_role("link", name=link_text, exact=True).first.click()
    result = info.value
    return result.suggested_filename, Path(result.path()).read_text(encoding="utf-8")


def screenshot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KETCOVER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_citation(page, button) -> dict:
    """Select a citation; wait for the page image and its highlight. Returns the geometry."""
    button.click()
    page.wait_for_selector("#viewer:not([hidden])")
    page.wait_for_function("() => { const i = document.getElementById('page-image');"
                           " return i.complete && i.naturalWidth > 0 && document.getElementById('viewer-note').textContent"
                           " !== 'Loading the page…'; }")
    image = page.locator("#page-image").bounding_box()
    marks = [m.bounding_box() for m in page.locator("#page-marks .mark").all()]
    return {"image": image, "marks": marks, "title": page.locator("#viewer-title").inner_text(),
            "quote": page.locator("#viewer-quote").inner_text(), "note": page.locator("#viewer-note").inner_text()}


def test_single_policy_report_with_cited_pages(page, tmp_path):
    policy = sample_pdfs()[0]
    drop(page, [policy])
    page.wait_for_selector("#results .concern")
    concerns = page.locator("#results .concern")
    assert [concerns.nth(i).get_attribute("data-concern") for i in range(concerns.count())] == list(DISPLAY_ORDER)
    assert page.locator("#report-title").inner_text().strip()
    assert policy.name in page.locator("#results .meta").inner_text()

    # The page shows the server's report: the same answer, quotes and pages for every concern.
    job_id = page.locator("#results .cite").first.get_attribute("data-job")
    report = job_json(page, job_id)["report"]
    assert report["status"] in ("ok", "ok_with_warnings")
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('#results .concern')).map((item) => ({
        concern: item.dataset.concern,
        question: item.querySelector('h3').textContent,
        status: item.querySelector('.status-badge').textContent,
        answer: item.querySelector('.answer').textContent,
        quotes: Array.from(item.querySelectorAll('.cite')).map((b) => ({
            id: Number(b.dataset.id), page: Number(b.dataset.page),
            label: b.querySelector('.cite-page').textContent, quote: b.querySelector('.cite-quote').textContent })),
    }))""")
    for item, concern in zip(shown, report["concerns"]):
        assert item["concern"] == concern["concern"]
        assert item["question"] == concern["question"]
        assert item["status"] == concern["status_label"]
        assert item["answer"] == concern["answer"]
        assert [(q["id"], q["page"], q["quote"]) for q in item["quotes"]] == [
            (f["id"], f["page"], f["quote"]) for f in concern["findings"]]
        for quote in item["quotes"]:
            assert quote["label"].startswith(f"Page {quote['page']}")
            assert 1 <= quote["page"] <= report["pages"]
    found = [c for c in report["concerns"] if c["status"] == "found"]
    assert len(found) >= 3, "a sample policy should answer several concerns"
    assert report["concerns"][0]["concern"] == "mental_health_coverage"

    # Selecting a quote shows its page with the clause highlighted.
    first = next(c for c in report["concerns"] if c["findings"])
    finding = first["findings"][0]
    view = open_citation(page, page.locator(f"#concern-{first['concern']} .cite").first)
    assert view["title"].startswith(f"Page {finding['page']} of ")
    assert view["quote"] == finding["quote"]
    assert view["marks"], view["note"]
    image = view["image"]
    for mark in view["marks"]:
        assert image["x"] - 1 <= mark["x"] and mark["x"] + mark["width"] <= image["x"] + image["width"] + 1
        assert image["y"] - 1 <= mark["y"] and mark["y"] + mark["height"] <= image["y"] + image["height"] + 1
        assert mark["width"] > 5 and mark["height"] > 3
    assert "highlighted" in view["note"]
    page.screenshot(path=str(screenshot_dir(tmp_path) / "report.png"))

    page.keyboard.press("Escape")
    page.wait_for_selector("#viewer", state="hidden")

    name, text = download(page, "HTML")
    assert name.endswith(".html") and "<!DOCTYPE html>" in text and "ketcover report" in text
    name, text = download(page, "Markdown")
    assert name.endswith(".md") and text.startswith("# ketcover report")
    name, text = download(page, "JSON")
    assert name.endswith(".json") and json.loads(text)["documents"][0]["file"] == policy.name
    page.recorder.assert_only_local()


def test_compare_two_plans_and_download_csv(page, tmp_path):
    plans = sample_pdfs()
    page.set_input_files("#file-input", [str(p) for p in plans])
    page.wait_for_selector("table.comparison")
    headers = page.locator("table.comparison thead th")
    assert headers.count() == 3
    rows = page.locator("table.comparison tbody tr")
    keys = [rows.nth(i).get_attribute("data-row") for i in range(rows.count())]
    assert [k for k in keys if not k.startswith("cost.")] == list(DISPLAY_ORDER)
    for i in range(rows.count()):
        assert rows.nth(i).locator("td").count() == 2

    # A cell's page opens that page with the quote behind the answer highlighted.
    button = page.locator("table.comparison tbody tr[data-row] td .cite-small").first
    page_number = int(button.get_attribute("data-page"))
    view = open_citation(page, button)
    assert view["title"].startswith(f"Page {page_number} of ")
    assert view["quote"] == button.get_attribute("title")
    assert view["marks"], view["note"]
    page.screenshot(path=str(screenshot_dir(tmp_path) / "comparison.png"))
    page.locator("#viewer-close").click()
    page.wait_for_selector("#viewer", state="hidden")

    name, text = download(page, "CSV")
    assert name == "ketcover-comparison.csv"
    records = list(csv.DictReader(io.StringIO(text)))
    assert {r["file"] for r in records} == {p.name for p in plans}
    assert {r["row"] for r in records} >= set(DISPLAY_ORDER)

    # Each plan's full report is one click away, and back.
    page.locator(".report-links button").first.click()
    page.wait_for_selector("#results .concern")
    page.locator("button.back").click()
    page.wait_for_selector("table.comparison")
    page.recorder.assert_only_local()


def test_not_a_pdf_shows_a_plain_message(page, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Call the plan on Monday about the denial letter.\n", encoding="utf-8")
    drop(page, [notes])
    page.wait_for_selector("#results .error-box")
    message = page.locator("#results .error-box").inner_text()
    assert "This is not a PDF (a plain text file)" in message
    page.recorder.assert_only_local()


def test_password_protected_pdf_prompts_for_the_password(page, tmp_path):
    from test_server import policy_pdf

    protected = tmp_path / "locked.pdf"
    protected.write_bytes(policy_pdf(password="open sesame"))
    drop(page, [protected])
    page.wait_for_selector("#password-panel:not([hidden])")
    assert "password" in page.locator("#password-message").inner_text().lower()
    page.fill("#password-input", "wrong guess")
    page.locator("#password-form button[type=submit]").click()
    page.wait_for_function("() => document.getElementById('password-message').textContent.includes('does not open')")
    page.fill("#password-input", "open sesame")
    page.locator("#password-form button[type=submit]").click()
    page.wait_for_selector("#results .concern")
    assert page.locator("#password-panel").is_hidden()
    view = open_citation(page, page.locator("#results .cite").first)
    assert view["marks"]
    page.recorder.assert_only_local()


def test_scanned_page_warning_is_shown(page, tmp_path):
    from test_server import scanned_pdf

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf())
    drop(page, [scan])
    page.wait_for_selector("#results .warning-box")
    assert "Page 1 has no text (a scan or image)" in page.locator("#results .warning-box").inner_text()
    assert page.locator("#results .concern.status-unknown").count() == len(DISPLAY_ORDER)
    page.recorder.assert_only_local()
