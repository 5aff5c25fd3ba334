"""`ketcover serve`'s "My case" routes: one person's uploads read together, the profile form used and forgotten."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from ketcover.case import cited_items
from ketcover.render.case import STATUS_WORDS
from ketcover.caseweb import ProfileError, profile_from_page, unique_names
from test_server import analyze, call, gate, policy_pdf, server, upload, wait_done  # noqa: F401  (fixtures and helpers)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_policies"
POLICY = SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf"
DENIAL = SAMPLES / "denial-letter_example-health_spravato.pdf"
EOC = SAMPLES / "eoc_example-health_gold-hmo.pdf"
FORM = {  # what the page's form sends (its JSON), one of each field
    "name": "Jordan A. Sample",
    "age": 38,
    "diagnoses": ["F33.2 major depressive disorder, recurrent, severe without psychotic features"],
    "antidepressant_trials": [
        {"drug": "sertraline", "dose": "150 mg daily", "weeks": 11, "outcome": "no_response", "current_episode": True},
        {"drug": "bupropion", "dose": "300 mg daily", "weeks": 8, "outcome": "partial_response", "current_episode": True},
    ],
    "psychotherapy": "CBT, 16 sessions, 2025",
    "current_oral_antidepressant": "sertraline 150 mg",
    "rems_certified_site": True,
    "rating_scales": [{"scale": "PHQ-9", "score": 21, "date": "2026-01-10"}],
    "prescriber_specialty": "psychiatrist",
    "prescriber_name": "Dana Whitfield, MD",
}
LETTER_QUOTE = re.compile(r"“(?P<quote>[^”]+)” \((?P<file>[^,()]+\.pdf), p\. (?P<page>\d+)\)")


@pytest.fixture(scope="module")
def jobs(server):  # noqa: F811
    """The three sample documents of one plan, uploaded and read: (job ids, display names)."""
    ids = []
    for path in (POLICY, DENIAL, EOC):
        view = analyze(server, path.read_bytes(), name=path.name)
        assert view["report"]["status"] in ("ok", "ok_with_warnings"), view["report"]
        ids.append(view["id"])
    return ids


@pytest.fixture(scope="module")
def page_texts():
    from ketcover.case.sources import read_sources

    return {s.name: s.pages() for s in read_sources([POLICY, DENIAL, EOC])}


def post_case(server, payload, suffix: str = "", headers: dict | None = None):  # noqa: F811
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return call(server, "POST", f"api/case{suffix}", body=body,
                headers={"Content-Type": "application/json", **(headers or {})})


def cited(node):
    """The dicts of a view that cite a document (file, page, quote)."""
    return (item for _where, item in cited_items(node))


def on_page(quote_text: str, page_text: str, flatten: bool = False) -> bool:
    """Verbatim on the page; a masked number ("••••7729") stands for as many characters of the page."""
    if flatten:
        page_text = " ".join(page_text.split())
    if "•" not in quote_text:
        return quote_text in page_text
    pattern = "".join(r"\S" if ch == "•" else re.escape(ch) for ch in quote_text)
    return re.search(pattern, page_text) is not None


def test_case_of_three_documents_without_a_profile(server, jobs, page_texts):  # noqa: F811
    status, headers, body = post_case(server, {"jobs": jobs})
    assert status == 200, body
    assert headers["content-security-policy"].startswith("default-src 'none'")
    view = json.loads(body)
    assert view["schema"] == "ketcover.case/1" and view["profile_used"] is False
    by_treatment = {t["treatment"]: t for t in view["treatments"]}
    assert by_treatment["esketamine_nasal"]["status"] == "covered_with_conditions"
    assert by_treatment["esketamine_nasal"]["prior_authorization"] == "required"
    assert len([c for c in by_treatment["esketamine_nasal"]["conditions"] if c["phase"] == "initial"]) >= 6
    assert by_treatment["ketamine_iv"]["status"] == "excluded_experimental"
    assert [d["kind"] for d in view["documents"]] == ["medical_policy", "denial_letter", "eoc"]
    assert all("findings" not in d for d in view["documents"])  # the page gets the case, not three full reports
    assert view["jobs"] == {POLICY.name: jobs[0], DENIAL.name: jobs[1], EOC.name: jobs[2]}
    assert view["words"] == STATUS_WORDS
    assert {item["status"] for item in view["checklist"]["items"]} == {"unknown"}
    assert view["denial"]["file"] == DENIAL.name and view["appeal_letter"]
    items = list(cited(view))
    assert len(items) > 40
    for item in items:
        assert "/" not in item["file"]
        assert on_page(item["quote"], page_texts[item["file"]][item["page"] - 1]), item
    assert "EHP004417729" not in body.decode()  # the member ID is masked
    assert not server.busy.locked()
    assert sorted(p.name for p in server.temp_dir.iterdir()) == []  # the bytes written for reading are gone


def test_profile_form_checks_the_criteria_and_is_not_kept(server, jobs):  # noqa: F811
    status, _, body = post_case(server, {"jobs": jobs, "profile": FORM})
    assert status == 200, body
    view = json.loads(body)
    assert view["profile_used"] is True
    checks = {item["check"]: item["status"] for item in view["checklist"]["items"]}
    for check in ("age", "diagnosis_mdd", "antidepressant_trials", "concurrent_oral_antidepressant", "rems_site"):
        assert checks[check] == "met", (check, view["checklist"]["items"])
    letter = view["appeal_letter"]["markdown"]
    assert "Jordan A. Sample" in letter and "Dana Whitfield, MD" in letter
    # The next case without the form knows nothing of it: the server kept no profile.
    status, _, body = post_case(server, {"jobs": jobs})
    assert status == 200 and b"Jordan A. Sample" not in body and b"Whitfield" not in body
    assert {item["status"] for item in json.loads(body)["checklist"]["items"]} == {"unknown"}


def test_letter_and_case_downloads(server, jobs, page_texts):  # noqa: F811
    payload = {"jobs": jobs, "profile": FORM}
    status, headers, body = post_case(server, payload, ".letter.md")
    assert status == 200 and headers["content-type"].startswith("text/markdown")
    assert headers["content-disposition"] == 'attachment; filename="ketcover-appeal-letter.md"'
    letter = body.decode()
    found = list(LETTER_QUOTE.finditer(letter))
    assert len(found) >= 9
    for match in found:
        assert on_page(match["quote"], page_texts[match["file"]][int(match["page"]) - 1], flatten=True), match["quote"]
    for needed in ("Jordan A. Sample", "claim file", "external review", "P.O. Box 4150"):
        assert needed in letter

    hostile = {"jobs": jobs, "profile": {**FORM, "name": "<script>alert(1)</script>"}}
    status, headers, body = post_case(server, hostile, ".letter.html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers["content-disposition"] == 'attachment; filename="ketcover-appeal-letter.html"'
    html = body.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "@media print" in html

    status, headers, body = post_case(server, payload, ".json")
    assert status == 200 and headers["content-disposition"] == 'attachment; filename="ketcover-case.json"'
    case = json.loads(body)
    assert case["schema"] == "ketcover.case/1" and case["profile_used"] is True
    assert [d["file"] for d in case["documents"]] == [POLICY.name, DENIAL.name, EOC.name]
    assert case["documents"][0]["findings"]  # the download is the whole case, as `ketcover case --format json`

    status, _, body = post_case(server, payload, ".md")
    assert status == 200 and "Spravato" in body.decode()
    status, headers, body = post_case(server, payload, ".html")
    assert status == 200 and headers["content-type"].startswith("text/html") and b"Jordan A. Sample" in body
    status, _, _ = post_case(server, payload, ".pdf")
    assert status == 404


def test_case_quote_is_highlighted_only_when_it_is_on_that_page(server, jobs):  # noqa: F811
    view = json.loads(post_case(server, {"jobs": jobs})[2])
    condition = next(t for t in view["treatments"] if t["treatment"] == "esketamine_nasal")["conditions"][0]
    job = view["jobs"][condition["file"]]
    status, _, body = call(server, "GET", f"api/jobs/{job}/pages/{condition['page']}/boxes?quote={quote(condition['quote'])}")
    assert status == 200, body
    boxes = json.loads(body)["boxes"]
    assert boxes and all(0 <= box[0] < box[2] <= 1 and 0 <= box[1] < box[3] <= 1 for box in boxes)
    status, _, body = call(server, "GET", f"api/jobs/{job}/pages/{condition['page']}/boxes?quote={quote('words that are on no page')}")
    assert status == 404 and json.loads(body)["error"] == "no_such_citation"
    status, _, _ = call(server, "GET", f"api/jobs/{job}/pages/999/boxes?quote={quote(condition['quote'])}")
    assert status == 404


@pytest.mark.parametrize("payload, code, fragment", [
    ({"jobs": []}, "too_few", "at least one document"),
    ({"jobs": "abc"}, "too_few", "at least one document"),
    ([1, 2], "bad_request", "Reload the page"),
    ({"jobs": ["0123456789abcdef"]}, "unknown_document", "Drop it again"),
])
def test_case_requests_that_cannot_be_answered(server, payload, code, fragment):  # noqa: F811
    status, _, body = post_case(server, payload)
    answer = json.loads(body)
    assert status in (400, 404) and answer["error"] == code and fragment in answer["message"]
    assert not server.busy.locked()


@pytest.mark.parametrize("form, fragment", [
    ({"age": "thirty"}, "Age must be a whole number"),
    ({"age": 38.5}, "Age must be a whole number"),
    ({"antidepressant_trials": [{"dose": "20 mg"}]}, "give the drug's name"),
    ({"antidepressant_trials": [{"drug": "sertraline", "weeks": "six"}]}, "weeks must be a number"),
    ({"rating_scales": [{"scale": "PHQ-9"}]}, "both the scale's name and the score"),
    ({"rems_certified_site": "maybe"}, "yes, no or not known"),
    ({"favourite_colour": "blue"}, "fields this server does not know"),
    ({"name": "x" * 600}, "longer than 500 characters"),
])
def test_a_wrong_profile_field_is_a_plain_message(server, jobs, form, fragment):  # noqa: F811
    status, _, body = post_case(server, {"jobs": jobs, "profile": form})
    answer = json.loads(body)
    assert status == 400 and answer["error"] == "bad_profile" and fragment in answer["message"], answer
    assert "Traceback" not in answer["message"]


def test_case_transport_checks(server, jobs):  # noqa: F811
    status, _, body = call(server, "POST", "api/case", body=json.dumps({"jobs": jobs}).encode(),
                           headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _, body = post_case(server, b"{not json")
    assert status == 400 and json.loads(body)["error"] == "bad_request"
    status, _, body = post_case(server, b"{" + b" " * (70 * 1024) + b"}")
    assert status == 413
    status, _, body = post_case(server, {"jobs": jobs}, headers={"Origin": "http://evil.example"})
    assert status == 403
    status, _, body = call(server, "POST", "api/case", body=json.dumps({"jobs": jobs}).encode(),
                           headers={"Content-Type": "application/json"}, token=False)
    assert status == 403
    status, _, _ = call(server, "GET", "api/case")
    assert status == 404
    assert not server.busy.locked()


def test_case_waits_for_the_analysis_slot(server, jobs, gate):  # noqa: F811
    opened, _ = gate
    status, _, body = upload(server, policy_pdf(), name="held.pdf")
    assert status == 202
    held = json.loads(body)["id"]
    status, headers, body = post_case(server, {"jobs": jobs})
    assert status == 503 and json.loads(body)["error"] == "busy" and headers["retry-after"] == "5"
    opened.set()
    wait_done(server, held)
    status, _, body = post_case(server, {"jobs": jobs})
    assert status == 200, body


def test_an_unreadable_upload_does_not_stop_the_case(server, jobs):  # noqa: F811
    broken = analyze(server, b"this is not a PDF at all", name="scan.pdf")
    assert broken["report"]["status"] == "error"
    status, _, body = post_case(server, {"jobs": [broken["id"], jobs[0]]})
    assert status == 200, body
    view = json.loads(body)
    assert [(d["file"], d["kind"]) for d in view["documents"]] == [("scan.pdf", "unreadable"), (POLICY.name, "medical_policy")]
    assert view["documents"][0]["error"]
    assert next(t for t in view["treatments"] if t["treatment"] == "esketamine_nasal")["status"] == "covered_with_conditions"


def test_two_uploads_with_one_name_are_told_apart(server, jobs):  # noqa: F811
    again = analyze(server, POLICY.read_bytes(), name=POLICY.name)
    status, _, body = post_case(server, {"jobs": [jobs[0], again["id"]]})
    assert status == 200
    view = json.loads(body)
    second = POLICY.name.replace(".pdf", " (2).pdf")
    assert view["jobs"] == {POLICY.name: jobs[0], second: again["id"]}
    assert {item["file"] for item in cited(view)} <= {POLICY.name, second}


def test_profile_from_page():
    assert profile_from_page(None) is None
    assert profile_from_page({"name": " ", "diagnoses": [""], "antidepressant_trials": [{}], "rating_scales": []}) is None
    profile = profile_from_page(FORM)
    assert profile["antidepressant_trials"][0] == FORM["antidepressant_trials"][0]
    assert profile["rems_certified_site"] is True and profile["age"] == 38
    assert profile_from_page({"rems_certified_site": False}) == {"rems_certified_site": False}
    with pytest.raises(ProfileError):
        profile_from_page({"antidepressant_trials": [{"drug": "x", "colour": "red"}]})
    assert unique_names(["a.pdf", "b.pdf", "a.pdf", "a.pdf", "c"]) == ["a.pdf", "b.pdf", "a (2).pdf", "a (3).pdf", "c"]
