"""The command line as a user runs it: formats, output files, exit codes, messages without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLES

SBC = SAMPLES / "sbc_example-health_silver-ppo.pdf"
POLICY = SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf"


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "ketcover", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_text_report_is_the_default_and_cites_pages():
    result = run("analyze", SBC)
    assert result.returncode == 0, result.stderr
    assert "Mental health coverage: FOUND" in result.stdout
    # The SBC's mental health row (p. 3): $30 copay/office visit in network, 50% coinsurance out of
    # network, both after the deductible (the SBC's chart line says it applies).
    assert "In network: $30 copay/office visit" in result.stdout
    assert "Out of network: 50% coinsurance, after deductible. (p. 3)" in result.stdout
    assert "Traceback" not in result.stderr


def test_json_contract():
    result = run("analyze", "--format", "json", SBC, POLICY)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "ketcover.report/1" and data["ketcover_version"]
    assert [d["file"] for d in data["documents"]] == [str(SBC), str(POLICY)]
    for document in data["documents"]:
        assert set(document) >= {"file", "sha256", "pages", "status", "error", "warnings", "summary", "findings"}
        assert document["status"] == "ok" and document["error"] is None
        assert set(document["summary"]) == {
            "mental_health_coverage", "experimental_exclusion", "prior_authorization", "step_therapy",
            "off_label", "ketamine", "appeals", "network", "billing_codes"}
        for summary in document["summary"].values():
            assert set(summary) == {"status", "answer", "pages"}
        for finding in document["findings"]:
            assert set(finding) == {"concern", "rule", "page", "quote", "section", "polarity", "score", "method"}
            assert finding["polarity"] in ("affirms", "negates") and finding["page"] >= 1
    policy = data["documents"][1]
    assert policy["summary"]["ketamine"]["status"] == "found"
    codes = policy["summary"]["billing_codes"]["answer"]
    for code in ("G2082", "G2083", "S0013", "J3490", "96365"):
        assert code in codes
    # DOMAIN.md: a diagnosis code is not a code used to bill ketamine or esketamine.
    assert "F33.1" not in codes


@pytest.mark.parametrize("fmt,marker", [("markdown", "# ketcover report"), ("html", "<!DOCTYPE html>"), ("text", "Prior authorization:")])
def test_formats_write_to_an_output_file(tmp_path, fmt, marker):
    target = tmp_path / f"report.{fmt}"
    result = run("analyze", "--format", fmt, "--output", target, POLICY)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # the report went to the file; progress and notes go to stderr
    assert marker in target.read_text()
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


def test_python_dash_m_and_folder_input_analyze_every_pdf(tmp_path):
    result = run("analyze", "--format", "json", SAMPLES)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["documents"]) == len(list(SAMPLES.glob("*.pdf")))


def test_unreadable_input_exits_3_and_the_others_are_still_reported(tmp_path):
    missing = tmp_path / "missing.pdf"
    not_pdf = tmp_path / "scan.pdf"
    not_pdf.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    result = run("analyze", "--format", "json", SBC, missing, not_pdf)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    documents = json.loads(result.stdout)["documents"]
    assert [d["status"] for d in documents] == ["ok", "error", "error"]
    assert documents[1]["error"]["code"] == "IO_ERROR"
    assert documents[2]["error"]["code"] == "NOT_A_PDF" and "PNG" in documents[2]["error"]["message"]


def test_usage_error_exits_2():
    assert run("analyze", "--format", "pdf", SBC).returncode == 2
    assert run("no-such-command").returncode == 2


def test_rules_list_explains_every_concern():
    result = run("rules", "list")
    assert result.returncode == 0
    for concern in ("mental_health_coverage", "experimental_exclusion", "prior_authorization", "appeals"):
        assert concern in result.stdout
    assert "Why it matters:" in result.stdout


def test_rules_test_runs_every_example():
    result = run("rules", "test")
    assert result.returncode == 0, result.stdout
    assert " 0 missed, 0 false hits" in result.stdout


def test_not_found_differs_from_could_not_read(tmp_path):
    """A plan that never mentions a concern says 'not found'; a report never claims 'not covered'."""
    result = run("analyze", "--format", "json", SBC)
    summary = json.loads(result.stdout)["documents"][0]["summary"]
    assert summary["ketamine"]["status"] == "not_found"
    assert summary["ketamine"]["answer"].startswith("not found")


@pytest.mark.parametrize("args", [["--help"], ["rules", "list"]], ids=["help", "rules-list"])
def test_quick_commands_do_not_load_the_heavy_libraries(args):
    """--help and rules list answer without spaCy, the PDF libraries, pydantic or Jinja2 (what makes them fast)."""
    probe = ("import runpy, sys\n"
             f"sys.argv = ['ketcover', *{args!r}]\n"
             "try:\n    runpy.run_module('ketcover', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'pdfplumber', 'pypdfium2', 'rapidfuzz', 'pydantic', 'jinja2'})\n"
             "print('HEAVY', heavy)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout, result.stdout[-300:]


def test_a_cached_compare_loads_neither_spacy_nor_the_rule_yaml(tmp_path):
    """A second run on unchanged files is answered from the cache: no spaCy, no PDF reading, no YAML."""
    env = dict(__import__("os").environ, KETCOVER_CACHE_DIR=str(tmp_path))
    first = subprocess.run([sys.executable, "-m", "ketcover", "compare", "--format", "json", str(SBC), str(POLICY)],
                           capture_output=True, text=True, cwd=ROOT, env=env)
    assert first.returncode == 0, first.stderr
    probe = ("import runpy, sys\n"
             f"sys.argv = ['ketcover', 'compare', '--format', 'json', {str(SBC)!r}, {str(POLICY)!r}]\n"
             "try:\n    runpy.run_module('ketcover', run_name='__main__')\n"
             "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
             "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'pdfplumber', 'pypdfium2', 'yaml', 'jinja2'})\n"
             "print('HEAVY', heavy)\n")
    second = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env)
    assert second.returncode == 0, second.stderr
    assert "HEAVY []" in second.stdout, second.stdout[-300:]
    assert second.stdout.split("HEAVY")[0] == first.stdout
