"""The output layer's shape: one policy for every page, each third-party library in one module, one job per renderer."""

from __future__ import annotations

import ast
import html
import io
import re
import threading
from datetime import date

import pytest

from conftest import ROOT, SAMPLES

PACKAGE = ROOT / "ketcover"
META_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _importers(library: str) -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == library or n.startswith(library + ".") for n in names):
                found.add(path.relative_to(PACKAGE).as_posix())
    return found


@pytest.mark.parametrize("library,module", [("jinja2", "render/pages.py"), ("rich", "render/terminal.py")])
def test_each_output_library_is_imported_in_one_module(library, module):
    assert _importers(library) == {module}


def test_every_renderer_module_says_its_job_in_one_line():
    for path in sorted((PACKAGE / "render").glob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and "\n" not in doc.strip(), path.name


@pytest.fixture(scope="module")
def html_pages():
    """Every HTML page the CLI writes: analyze, compare, case, letter."""
    from ketcover.analyze import analyze
    from ketcover.case import case_from_sources
    from ketcover.case.sources import read_sources
    from ketcover.compare import build_comparison
    from ketcover.render import render_comparison, render_report
    from ketcover.render.case import render_case

    pdfs = sorted(SAMPLES.glob("*.pdf"))
    reports = analyze(pdfs)
    case = case_from_sources(read_sources(pdfs), None, today=date(2026, 3, 1))
    return {"report": render_report(reports, "html"), "compare": render_comparison(build_comparison(reports), "html"),
            "case": render_case(case, "html"), "letter": render_case(case, "letter-html")}


def test_one_policy_and_one_stylesheet_for_every_page_and_the_web_page(html_pages):
    from ketcover.render.policy import CONTENT_SECURITY_POLICY, STYLESHEET
    from ketcover.server import SECURITY_HEADERS

    assert dict(SECURITY_HEADERS)["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY
    for name, page in html_pages.items():
        assert [html.unescape(p) for p in META_POLICY.findall(page)] == [CONTENT_SECURITY_POLICY], name
        assert page.count("<style>") == 1 and f"<style>{STYLESHEET}</style>" in page, name
        assert " style=" not in page and " on" + "click=" not in page, name  # would need 'unsafe-inline'


def test_document_text_is_escaped_in_every_html_page():
    from ketcover.model import DocumentReport
    from ketcover.render import render_report
    from ketcover.summary import summarize

    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    report = DocumentReport(file=f"{hostile}.pdf", sha256="0" * 64, pages=1, status="ok", error=None, warnings=(),
                            summary=summarize(None, []), findings=(), plan_name=hostile)
    page = render_report([report], "html")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bars_only_on_a_terminal_and_safe_across_reader_threads():
    from ketcover.render.terminal import Progress

    piped = io.StringIO()
    quiet = Progress(piped)
    quiet("a.pdf", 1, 10)
    quiet.close()
    assert piped.getvalue() == ""

    terminal = _Terminal()
    bars = Progress(terminal)

    def read(name: str) -> None:
        for done in range(1, 41):
            bars(name, done, 40)
        bars(name, 40, 40)  # the reader may report its last page twice

    threads = [threading.Thread(target=read, args=(f"/plans/{n}.pdf",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bars.close()
    assert bars._tasks == {} and len(bars._finished) == 4


def test_terminal_table_shows_every_character_of_names_and_answers():
    from ketcover.compare import build_comparison
    from ketcover.model import DocumentReport
    from ketcover.render.terminal import print_comparison
    from ketcover.summary import summarize

    long_name = "sbc_a-very-long-carrier-name_with-a-plan-code-9999_2024-2025.pdf"
    reports = [DocumentReport(file=f"/x/{name}", sha256="0" * 64, pages=3, status="ok", error=None, warnings=(),
                              summary=summarize(None, []), findings=(), plan_name=plan)
               for name, plan in ((long_name, "[bold]Plan[/bold] A"), ("b.pdf", "Plan B"))]
    out = _Terminal()
    print_comparison(build_comparison(reports), out)
    text = out.getvalue()
    assert "[bold]Plan[/bold] A" in text  # shown as written, never read as markup
    assert "…" not in text  # long words fold onto the next line; nothing is cut off
