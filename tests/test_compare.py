"""Plans side by side in every format, the error column, the CLI, and diffs between versions."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from conftest import CORPUS, ROOT, SAMPLES, needs_corpus

from ketcover import CONCERNS, __version__
from ketcover.analyze import Options, analyze
from ketcover.compare import build_comparison
from ketcover.diff import build_diff
from ketcover.model import CostValue, DocumentError, DocumentReport, Finding
from ketcover.render import render_comparison, render_diff
from ketcover.summary import summarize

SBCS = sorted(CORPUS.glob("sbc_*.pdf")) if CORPUS.is_dir() else []
HOSTILE = "<script>alert(1)</script> | =HYPERLINK(\"x\") \x1b[31mred\x1b[0m `code` [link](http://x)"


# ---------------------------------------------------------------- synthetic reports


def finding(concern: str, page: int, quote: str, answer: str = "covered", polarity: str = "affirms", start: int = 0) -> Finding:
    return Finding(concern=concern, rule=f"{concern}.test", page=page, quote=quote, section=None,
                   polarity=polarity, score=1.0, method="phrase", answer=answer, start=start)


def report(file: str, plan_name: str | None, findings=(), costs=(), pages: int = 5) -> DocumentReport:
    findings = tuple(findings)
    return DocumentReport(file=file, sha256="0" * 64, pages=pages, status="ok", error=None, warnings=(),
                          summary=summarize(None, list(findings)), findings=findings, plan_name=plan_name,
                          costs=tuple(costs))


def error_report(file: str) -> DocumentReport:
    return DocumentReport(file=file, sha256=None, pages=0, status="error",
                          error=DocumentError("NOT_A_PDF", "This is not a PDF (a plain text file). Save or export the policy as a PDF and retry."),
                          warnings=(), summary=(), findings=())


MH_QUOTE = "If you need mental health services Outpatient services $30 copay/visit 50% coinsurance"


@pytest.fixture
def reports() -> list[DocumentReport]:
    gold = report(
        "plans/gold.pdf", "Example Gold PPO Coverage for: Individual | Plan Type: PPO",
        findings=[
            finding("mental_health_coverage", 3, MH_QUOTE),
            finding("prior_authorization", 4, "Preauthorization is required for inpatient mental health care.", "required"),
            finding("experimental_exclusion", 9, "We do not cover experimental or investigational services.", "excluded"),
        ],
        costs=[
            CostValue("outpatient_mental_health", "in_network", "$30 copay/visit", 3, MH_QUOTE),
            CostValue("outpatient_mental_health", "out_of_network", "50% coinsurance", 3, MH_QUOTE),
            CostValue("deductible", "any", "$500 / individual", 1, "What is the overall deductible? $500 / individual"),
        ],
    )
    hostile = report(
        "plans/hostile.pdf", HOSTILE,
        findings=[finding("appeals", 2, "You may appeal. " + HOSTILE, "appeal rights described")],
    )
    return [gold, hostile, error_report("plans/notes.pdf")]


def test_cells_follow_reports_and_rows_cover_concerns_and_costs(reports):
    comparison = build_comparison(reports)
    assert [p.name for p in comparison.plans] == ["Example Gold PPO", HOSTILE.strip(), "notes.pdf"]
    keys = [row.key for row in comparison.rows]
    assert set(CONCERNS) <= set(keys)
    assert {"cost.outpatient_mental_health", "cost.inpatient_mental_health", "cost.deductible",
            "cost.out_of_pocket_limit"} <= set(keys)
    rows = {row.key: row for row in comparison.rows}
    gold = rows["cost.outpatient_mental_health"].cells[0]
    assert gold.answer == "In network: $30 copay/visit. Out of network: 50% coinsurance. (p. 3)"
    assert gold.quote == MH_QUOTE and gold.pages == (3,)
    assert rows["cost.deductible"].cells[0].answer == "$500 / individual. (p. 1)"
    assert rows["cost.inpatient_mental_health"].cells[0].status == "not_found"
    assert rows["prior_authorization"].cells[0].answer == "required for mental health care (p. 4)"
    assert rows["step_therapy"].cells[0].answer == "not found"
    assert all(row.cells[2].status == "error" for row in comparison.rows)


def test_plan_name_falls_back_to_the_file_name():
    comparison = build_comparison([report("a/b/plan_x.pdf", None), report("c/plan_y.pdf", "  ")])
    assert [p.name for p in comparison.plans] == ["plan_x.pdf", "plan_y.pdf"]


def test_two_plans_with_one_name_are_told_apart():
    comparison = build_comparison([report("one.pdf", "Silver PPO"), report("two.pdf", "Silver PPO")])
    assert [p.name for p in comparison.plans] == ["Silver PPO (one.pdf)", "Silver PPO (two.pdf)"]


@pytest.mark.parametrize("width", [80, 100, 160])
def test_text_fits_the_terminal_and_keeps_every_plan(reports, width):
    from ketcover.render.compare_text import render_text

    text = render_text(build_comparison(reports * 2), width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "\x1b" not in text
    assert text.count("[6] ") == 2  # the legend and the header of the table that holds plan 6
    assert "ERROR: could not be read. This is not a PDF" in text
    assert "Outpatient mental" in text and "In network: $30" in text


def test_text_is_the_default_cli_format(reports):
    assert render_comparison(build_comparison(reports), "text").startswith(f"ketcover {__version__}")


def _markdown_cells(line: str) -> list[str]:
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


def test_markdown_table_is_rectangular_and_escaped(reports):
    out = render_comparison(build_comparison(reports), "markdown")
    table = [line for line in out.splitlines() if line.startswith("|")]
    widths = {len(_markdown_cells(line)) for line in table}
    assert widths == {4}  # concern column + 3 plans, on every line: no "|" escaped the cell
    assert "<script>" not in out and "\\<script\\>" in out
    assert "\x1b" not in out
    assert "| Prior authorization | required for mental health care (p. 4) |" in out
    assert "not read: the file could not be read" in out
    assert "This is not a PDF (a plain text file)" in out


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.scripts, self.styles, self.meta = set(), [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag == "meta":
            self.meta.append(attrs)
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def test_html_is_one_offline_file_with_a_strict_policy(reports):
    out = render_comparison(build_comparison(reports), "html")
    page = _Collector()
    page.feed(out)
    csp = next(m["content"] for m in page.meta if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert len(page.scripts) == 1 and _hash(page.scripts[0]) in csp
    assert len(page.styles) == 1 and _hash(page.styles[0]) in csp
    assert not re.search(r"\b(?:src|href)=\"(?:https?:)?//", out)  # nothing loaded from anywhere
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "\x1b" not in out
    assert " onclick=" not in out  # handlers would need 'unsafe-inline'
    # every cell with a quote links to it, and the target holds the page and the quote
    assert page.links and all(link.startswith("#") and link[1:] in page.ids for link in page.links)
    assert "#p1-cost-outpatient_mental_health" in page.links
    target = out[out.index('id="p1-cost-outpatient_mental_health"'):]
    assert "p. 3" in target[:400] and MH_QUOTE in target[:600]
    assert 'id="matrix"' in out and "data-amount=" in out and 'id="sort-plans"' in out
    assert "plans/" not in out  # file names only: a report is forwarded without the user's folders


def test_csv_has_a_row_per_plan_and_concern_with_cost_values(reports):
    out = render_comparison(build_comparison(reports), "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    # "share" was added last (whose share a cost is): the older columns keep their places.
    assert list(rows[0]) == ["plan", "file", "row", "title", "network", "status", "answer", "pages", "quote", "share"]
    gold = [r for r in rows if r["file"] == "gold.pdf"]  # the file's name, never its folder
    assert {r["row"] for r in gold} >= set(CONCERNS)
    outpatient = [r for r in gold if r["row"] == "cost.outpatient_mental_health"]
    assert [(r["network"], r["answer"], r["pages"]) for r in outpatient] == [
        ("in_network", "$30 copay/visit", "3"), ("out_of_network", "50% coinsurance", "3")]
    assert outpatient[0]["quote"] == MH_QUOTE
    pa = next(r for r in gold if r["row"] == "prior_authorization")
    assert (pa["status"], pa["pages"]) == ("found", "4")
    assert pa["quote"] == "Preauthorization is required for inpatient mental health care."
    errors = [r for r in rows if r["file"] == "notes.pdf"]
    assert errors and all(r["status"] == "error" and r["answer"].startswith("This is not a PDF") for r in errors)
    # a spreadsheet must not run document text as a formula
    assert not any(value.startswith(("=", "+", "-", "@")) for r in rows for value in r.values())


def test_json_carries_the_reports_and_the_matrix(reports):
    comparison = build_comparison(reports)
    data = json.loads(render_comparison(comparison, "json"))
    assert data["schema"] == "ketcover.report/1" and data["ketcover_version"] == __version__
    assert data["documents"] == [json.loads(json.dumps(r.to_json())) for r in reports]
    matrix = data["comparison"]
    assert [p["status"] for p in matrix["plans"]] == ["ok", "ok", "error"]
    assert matrix["plans"][2]["error"]["code"] == "NOT_A_PDF"
    row = next(r for r in matrix["rows"] if r["key"] == "cost.outpatient_mental_health")
    assert row["kind"] == "cost" and len(row["cells"]) == 3
    assert [v["value"] for v in row["cells"][0]["values"]] == ["$30 copay/visit", "50% coinsurance"]


def test_an_unreadable_file_is_an_error_column_and_the_rest_still_compare(tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_text("this is a note, not a PDF\n", encoding="utf-8")
    sample = SAMPLES / "sbc_example-health_silver-ppo.pdf"
    reports = analyze([sample, bad], options=Options(isolate=False))
    comparison = build_comparison(reports)
    assert [p.status for p in comparison.plans] == ["ok", "error"]
    assert comparison.plans[1].name == "scan.pdf"
    assert comparison.plans[1].error.startswith("This is not a PDF")
    for fmt in ("text", "markdown", "html"):
        assert "This is not a PDF (a plain text file)" in render_comparison(comparison, fmt)
    rows = {row.key: row for row in comparison.rows}
    assert rows["cost.outpatient_mental_health"].cells[0].status == "stated"
    assert rows["cost.outpatient_mental_health"].cells[1].status == "error"


# ---------------------------------------------------------------- the corpus SBCs


@pytest.fixture(scope="module")
def sbc_comparison(corpus_reports):
    # corpus_reports (tests/conftest.py): each corpus PDF analyzed once, named by its file name.
    return build_comparison([corpus_reports[name] for name in sorted(corpus_reports) if name.startswith("sbc_")])


def _cell(comparison, file_part: str, key: str):
    index = next(i for i, p in enumerate(comparison.plans) if file_part in p.file)
    return next(row for row in comparison.rows if row.key == key).cells[index]


@needs_corpus
def test_sbc_table_cells_match_the_printed_pages(sbc_comparison):
    # Checked by eye on the rendered pages (see tests/test_costs.py for every value).
    cell = _cell(sbc_comparison, "justworks_a7", "cost.outpatient_mental_health")
    # "after deductible" comes from the chart note on p. 2 ("All copayment and coinsurance costs shown
    # in this chart are after your deductible has been met"), said wherever the page states it.
    assert cell.answer == ("In network: Office: $40 copay/visit, deductible doesn't apply; other outpatient services: "
                           "no charge. Out of network: Office & other outpatient services: 30% coinsurance, after "
                           "deductible. (p. 3)")
    assert _cell(sbc_comparison, "justworks_b3", "cost.inpatient_mental_health").answer == \
        "In network: 20% coinsurance, after deductible. Out of network: Not covered. (p. 3)"
    assert _cell(sbc_comparison, "cms_sample", "cost.deductible").answer == "$500 / individual or $1,000 / family. (p. 1)"
    assert _cell(sbc_comparison, "kaiser", "cost.inpatient_mental_health").answer == \
        "In network: $600 / day up to 5 days, after deductible. Out of network: Not covered. (p. 3)"
    assert _cell(sbc_comparison, "rochester", "cost.inpatient_mental_health").answer == \
        ("Preferred tier: $500 copay, after deductible. In network: $500 copay, after deductible. "
         "Out of network: 40% coinsurance, after deductible. (p. 5)")
    # Rochester's outpatient row cannot be read from its text layer: not found, never a guess
    assert _cell(sbc_comparison, "rochester", "cost.outpatient_mental_health").status == "not_found"
    assert _cell(sbc_comparison, "rochester", "mental_health_coverage").answer == "covered (p. 5)"
    names = [p.name for p in sbc_comparison.plans]
    assert "Justworks A7: 3,000/70%" in names and "University of Rochester: Your PPO Option" in names


@needs_corpus
@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "csv", "json"])
def test_sbc_comparison_renders_in_every_format(sbc_comparison, fmt):
    out = render_comparison(sbc_comparison, fmt)
    assert "$750 copay/stay" in out  # Aetna C3 inpatient, in network
    if fmt != "text":  # the text table wraps cells over lines
        assert "Individual $14,000 / Family $28,000" in out  # Aetna C3 out-of-pocket, out of network


@needs_corpus
def test_every_quote_in_the_sbc_comparison_is_on_its_page(sbc_comparison, corpus_documents):
    assert len(sbc_comparison.plans) == len(SBCS)  # the corpus gained BCBS Louisiana's SBC
    for index, plan in enumerate(sbc_comparison.plans):
        document = corpus_documents[plan.file]
        for row in sbc_comparison.rows:
            for page, quote in row.cells[index].quotes:
                assert quote in document.page_text(page), (plan.file, row.key, page)


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ketcover", "compare", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


@needs_corpus
def test_cli_compare_json_over_the_sbcs():
    result = _run_cli(*map(str, SBCS), "--format", "json", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["file"] for d in data["documents"]] == [str(p) for p in SBCS]
    assert len(data["comparison"]["plans"]) == len(SBCS)
    c3 = next(d for d in data["documents"] if "justworks_c3" in d["file"])
    assert {"item": "inpatient_mental_health", "network": "in_network", "value": "$750 copay/stay"}.items() <= \
        next(c for c in c3["costs"] if c["item"] == "inpatient_mental_health" and c["network"] == "in_network").items()


@needs_corpus
def test_cli_compare_csv_with_an_unreadable_file_exits_3(tmp_path):
    bad = tmp_path / "notes.pdf"
    bad.write_text("not a pdf", encoding="utf-8")
    result = _run_cli(*map(str, SBCS), str(bad), "--format", "csv")
    assert result.returncode == 3
    assert "This is not a PDF" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["file"] for r in rows} == {p.name for p in SBCS} | {bad.name}  # names, never paths
    kaiser = [r for r in rows if "kaiser" in r["file"] and r["row"] == "cost.deductible"]
    assert [(r["network"], r["answer"], r["pages"]) for r in kaiser] == [("any", "$250 Individual / $500 Family", "1")]
    assert all(r["status"] == "error" for r in rows if r["file"] == bad.name)


# ---------------------------------------------------------------- diff


def test_diff_by_normalized_quote_with_pages_in_both_versions():
    kept = "Prior authorization is required for  inpatient\nmental health care."
    old = report("v1.pdf", "Plan 2025", findings=[
        finding("prior_authorization", 4, kept, "required", start=10),
        finding("experimental_exclusion", 9, "Ketamine infusions are experimental and not covered.", "excluded"),
    ], costs=[CostValue("outpatient_mental_health", "in_network", "$30 copay/visit", 3, "q"),
              CostValue("deductible", "any", "$500", 1, "q")])
    new = report("v2.pdf", "Plan 2026", findings=[
        finding("prior_authorization", 5, "prior authorization is required for inpatient mental health care.", "required"),
        finding("step_therapy", 6, "You must have tried and failed two antidepressants.", "applies"),
    ], costs=[CostValue("outpatient_mental_health", "in_network", "$45 copay/visit", 3, "q"),
              CostValue("deductible", "any", "$500", 1, "q")])
    diff = build_diff(old, new)
    concerns = {c.concern: c for c in diff.concerns}
    pa = concerns["prior_authorization"]
    assert not pa.added and not pa.removed and not pa.changed
    assert [(m.old_page, m.new_page) for m in pa.moved] == [(4, 5)]
    assert [f.page for f in concerns["experimental_exclusion"].removed] == [9]
    assert concerns["experimental_exclusion"].answer_changed
    assert [f.page for f in concerns["step_therapy"].added] == [6]
    assert [(c.item, c.old.value, c.new.value) for c in diff.costs] == [
        ("outpatient_mental_health", "$30 copay/visit", "$45 copay/visit")]

    text = render_diff(diff, "text")
    assert "- removed (old p. 9): “Ketamine infusions are experimental and not covered.”" in text
    assert "+ added (new p. 6)" in text
    assert "$30 copay/visit (old p. 3) → $45 copay/visit (new p. 3)" in text
    assert "Prior authorization: unchanged" in text and "(old p. 4; new p. 5)" in text
    markdown = render_diff(diff, "markdown")
    assert "**removed** (old p. 9)" in markdown and "\n- - " not in markdown
    data = json.loads(render_diff(diff, "json"))
    assert data["schema"] == "ketcover.report/1" and len(data["documents"]) == 2
    assert data["diff"]["changed"] is True
    assert data["diff"]["concerns"]["experimental_exclusion"]["removed"][0]["page"] == 9
    assert data["diff"]["costs"][0]["new"] == {"value": "$45 copay/visit", "page": 3, "quote": "q"}


def test_diff_of_a_plan_with_itself_is_empty(reports):
    diff = build_diff(reports[0], reports[0])
    assert not diff.changed and not diff.costs
    assert "Changes: none found" in render_diff(diff, "text")


@needs_corpus
def test_diff_of_two_sbcs_reports_cost_changes(corpus_reports):
    a7 = corpus_reports["sbc_aetna_justworks_a7_2024-2025.pdf"]
    f1 = corpus_reports["sbc_aetna_justworks_f1_2024-2025.pdf"]
    changes = {(c.item, c.network): (c.old.value, c.new.value) for c in build_diff(a7, f1).costs}
    # A7 p. 3 vs F1 p. 3: inpatient in network 30% -> 10% coinsurance; p. 1 deductibles
    assert changes[("inpatient_mental_health", "in_network")] == ("30% coinsurance", "10% coinsurance")
    assert changes[("deductible", "in_network")] == ("Individual $3,000 / Family $6,000", "Individual $750 / Family $1,500")
    assert ("outpatient_mental_health", "out_of_network") not in changes  # both "Office & other ...: 30% coinsurance"


# ---------------------------------------------------------------- plans, not files


def test_a_folder_is_one_plan_and_each_cell_names_its_file(tmp_path):
    # Plan A: the sample EOC and its medical policy; plan B: the sample SBC. Copies, so the folder
    # holds only what the test puts there.
    import shutil as _shutil

    a, b = tmp_path / "gold-hmo", tmp_path / "silver-ppo"
    a.mkdir(), b.mkdir()
    _shutil.copy(SAMPLES / "eoc_example-health_gold-hmo.pdf", a)
    _shutil.copy(SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf", a)
    _shutil.copy(SAMPLES / "sbc_example-health_silver-ppo.pdf", b)
    result = _run_cli(str(a), str(b), "--format", "json", "--jobs", "2", "--no-cache")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["comparison"]
    assert [p["name"] for p in data["plans"]] == ["gold-hmo", "silver-ppo"]
    assert data["plans"][0]["file"] == "eoc_example-health_gold-hmo.pdf, medical-policy_example-health_esketamine-ketamine.pdf"
    drug = next(r for r in data["rows"] if r["key"] == "cost.esketamine_drug")["cells"][0]
    # the EOC's schedule (p. 18) prices the specialty tier; p. 28 puts esketamine on it
    assert drug["answer"] == "In network: Specialty tier: 20% up to $250 per 30-day supply (eoc_example-health_gold-hmo.pdf p. 18)."
    assert drug["files"] == ["eoc_example-health_gold-hmo.pdf"]
    outpatient = next(r for r in data["rows"] if r["key"] == "cost.outpatient_mental_health")["cells"][0]
    assert outpatient["answer"] == "In network: $20 per visit, deductible does not apply (eoc_example-health_gold-hmo.pdf p. 18)."
    ketamine = next(r for r in data["rows"] if r["key"] == "ketamine")["cells"][0]
    assert "medical-policy_example-health_esketamine-ketamine.pdf: " in ketamine["answer"]
    assert set(ketamine["files"]) <= set(data["plans"][0]["file"].split(", ")) and ketamine["files"]


def test_wide_csv_has_one_row_per_plan(reports):
    out = render_comparison(build_comparison(reports), "csv-wide")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(reports)
    gold = next(r for r in rows if r["files"] == "gold.pdf")
    assert gold["cost.outpatient_mental_health.in_network"] == "$30 copay/visit"
    assert gold["cost.outpatient_mental_health.in_network.page"] == "3"
    assert gold["prior_authorization.pages"] == "4"


def test_a_visit_limit_is_shown_with_its_price_and_in_its_wide_csv_column():
    limited = report("plans/limited.pdf", "Limited PPO", costs=[
        CostValue("outpatient_mental_health", "in_network", "$20 copay/visit", 3, MH_QUOTE, deductible_applies="false",
                  visit_limit="limited to 20 visits per year"),
        CostValue("outpatient_mental_health", "out_of_network", "50% coinsurance", 3, MH_QUOTE)])
    comparison = build_comparison([limited])
    cell = next(row for row in comparison.rows if row.key == "cost.outpatient_mental_health").cells[0]
    assert cell.answer == ("In network: $20 copay/visit, deductible does not apply; limited to 20 visits per year. "
                           "Out of network: 50% coinsurance. (p. 3)")
    row = next(csv.DictReader(io.StringIO(render_comparison(comparison, "csv-wide"))))
    assert row["cost.outpatient_mental_health.in_network.visit_limit"] == "limited to 20 visits per year"
    assert row["cost.outpatient_mental_health.out_of_network.visit_limit"] == ""


SCHEDULE_QUOTE = "Mental Health/Substance Abuse\nInpatient Treatment\nOutpatient Physician\n100% of the Allowable Charge, after Deductible\n$20 copay then 100% of the Allowable Charge"


def test_what_the_plan_pays_is_never_shown_as_the_members_cost():
    # An SPD's schedule prints the plan's share under "Benefits"; the comparison says so in words, in
    # every format, and keeps the member's share (an SBC's "What You Will Pay") as printed.
    spd = report("plans/spd.pdf", "Gold PPO Plan", costs=[
        CostValue("outpatient_mental_health", "any", "$20 copay then 100% of the Allowable Charge", 82, SCHEDULE_QUOTE,
                  share="plan", share_quote=(82, "Covered Medical Expenses Benefits Limits")),
        CostValue("inpatient_mental_health", "any", "100% of the Allowable Charge, after Deductible", 82, SCHEDULE_QUOTE,
                  deductible_applies="true", share="plan", share_quote=(82, "Covered Medical Expenses Benefits Limits"))])
    sbc = report("plans/sbc.pdf", "Example Silver", costs=[
        CostValue("outpatient_mental_health", "in_network", "20% coinsurance", 3, MH_QUOTE, share="member",
                  share_quote=(3, "What You Will Pay"))])
    comparison = build_comparison([spd, sbc])
    outpatient = next(row for row in comparison.rows if row.key == "cost.outpatient_mental_health")
    assert outpatient.cells[0].answer == ("$20 copay then 100% of the Allowable Charge; 100% is what the plan pays, "
                                          "not the member's cost. (p. 82)")
    assert outpatient.cells[1].answer == "In network: 20% coinsurance. (p. 3)"
    inpatient = next(row for row in comparison.rows if row.key == "cost.inpatient_mental_health")
    assert inpatient.cells[0].answer.startswith("100% of the Allowable Charge, after Deductible; 100% is what the plan pays")
    from html import unescape

    for fmt in ("markdown", "html"):
        assert "100% is what the plan pays, not the member's cost" in unescape(render_comparison(comparison, fmt)), fmt
    # the terminal table wraps a cell at its column's width: one plan alone has room for the words
    assert "100% is what the plan pays" in render_comparison(build_comparison([spd]), "text")
    data = json.loads(render_comparison(comparison, "json"))
    value = next(r for r in data["comparison"]["rows"] if r["key"] == "cost.outpatient_mental_health")["cells"][0]["values"][0]
    assert (value["share"], value["share_quote"]) == ("plan", [82, "Covered Medical Expenses Benefits Limits"])
    long = list(csv.DictReader(io.StringIO(render_comparison(comparison, "csv"))))
    assert {(r["file"], r["share"]) for r in long if r["row"] == "cost.outpatient_mental_health"} == {
        ("spd.pdf", "plan"), ("sbc.pdf", "member")}
    wide = list(csv.DictReader(io.StringIO(render_comparison(comparison, "csv-wide"))))
    assert wide[0]["cost.outpatient_mental_health.any.share"] == "plan"
    assert wide[1]["cost.outpatient_mental_health.in_network.share"] == "member"
