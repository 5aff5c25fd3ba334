"""The local web server: token, Host and Origin checks, size limit, busy answer, temp files, headers."""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from ketcover import server as server_module
from ketcover.analyze import analyze_file as real_analyze_file
from ketcover.pdf import quote_boxes, render_page_png
from ketcover.compare import DISPLAY_ORDER

PASSWORD = "s3cret pässword"
POLICY_PAGES = (
    (
        "Example Plan: Evidence of Coverage",
        "Mental health and substance use disorder services are covered.",
        "Outpatient mental health office visit: $30 copay per visit.",
    ),
    (
        "Prior authorization is required for esketamine (Spravato) nasal spray.",
        "Experimental or investigational services are not covered.",
        "You may file an appeal within 180 days after you receive the notice of denial.",
    ),
)


def policy_pdf(pages=POLICY_PAGES, *, password: str | None = None, rotate: int = 0) -> bytes:
    """A small text PDF made in code (reportlab), optionally encrypted or rotated."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    options = {}
    if password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        options["encrypt"] = StandardEncryption(password, ownerPassword="owner-" + password, strength=128)
    pdf = canvas.Canvas(buffer, pagesize=letter, **options)
    for lines in pages:
        if rotate:
            pdf.setPageRotation(rotate)
        pdf.setFont("Helvetica", 12)
        y = 560 if rotate in (90, 270) else 720  # reportlab turns the media box: y runs to 612 then
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def server():
    instance = server_module.create_server(max_upload_bytes=512 * 1024).start()
    yield instance
    instance.stop()


def call(server, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None,
         token: bool = True) -> tuple[int, dict, bytes]:
    """One request; `path` is relative to the token unless token=False. Returns status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        url = f"/{server.token}/{path}" if token else path
        all_headers = {"Host": f"127.0.0.1:{server.port}"}
        all_headers.update(headers or {})
        all_headers = {k: v for k, v in all_headers.items() if v is not None}
        connection.request(method, url, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def upload(server, data: bytes, name: str = "policy.pdf", password: str | None = None, headers: dict | None = None):
    extra = {"X-Ketcover-Filename": name, "Content-Type": "application/pdf"}
    if password is not None:
        from urllib.parse import quote

        extra["X-Ketcover-Password"] = quote(password)
    extra.update(headers or {})
    return call(server, "POST", "api/jobs", body=data, headers=extra)


def wait_done(server, job_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _, body = call(server, "GET", f"api/jobs/{job_id}")
        assert status == 200
        view = json.loads(body)
        if view["state"] == "done":
            return view
        time.sleep(0.1)
    raise AssertionError("the analysis did not finish")


def analyze(server, data: bytes, **options) -> dict:
    status, _, body = upload(server, data, **options)
    assert status == 202, body
    return wait_done(server, json.loads(body)["id"])


def raw_request(server, head: bytes, timeout: float = 10) -> bytes:
    """Send raw request bytes (headers only) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(head)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def temp_files(server) -> list[Path]:
    return sorted(server.temp_dir.iterdir())


@pytest.fixture
def gate(monkeypatch):
    """Hold every analysis until the test opens the gate; records each path it was given."""
    opened = threading.Event()
    seen: list[Path] = []

    def held(path, compiled, options, progress=None):
        seen.append(Path(path))
        if progress:
            progress(3, 10)
        assert opened.wait(30), "the test never opened the gate"
        return real_analyze_file(path, compiled, options, progress)

    monkeypatch.setattr(server_module, "analyze_file", held)
    yield opened, seen
    opened.set()


# ---------------------------------------------------------------- token, Host, Origin


def test_page_needs_the_token(server):
    status, headers, body = call(server, "GET", "/", token=False)
    assert status == 403
    assert b"secret key" in body
    assert call(server, "GET", "/wrong-token/", token=False)[0] == 403
    assert call(server, "GET", f"/{server.token}x/", token=False)[0] == 403
    assert call(server, "GET", f"/api/config?token={server.token}", token=False)[0] == 403
    assert call(server, "GET", f"/{server.token[:-1]}/api/config", token=False)[0] == 403
    status, headers, _ = call(server, "GET", f"/{server.token}", token=False)
    assert status == 301 and headers["location"] == f"/{server.token}/"
    status, headers, body = call(server, "GET", "")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert b'id="dropzone"' in body


def test_url_holds_the_token_and_loopback_address(server):
    assert server.url == f"http://127.0.0.1:{server.port}/{server.token}/"
    assert len(server.token) >= 32
    assert server.httpd.server_address[0] == "127.0.0.1"
    other = server_module.create_server()
    try:
        assert other.token != server.token and other.port != server.port
    finally:
        other.stop()


@pytest.mark.parametrize("host", [
    "evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "localhost", "[::1]:{port}",
    "0.0.0.0:{port}", "127.0.0.2:{port}", "",
])
def test_host_header_must_be_this_server(server, host):
    status, _, body = call(server, "GET", "api/config", headers={"Host": host.format(port=server.port)})
    assert status == 403
    assert json.loads(body)["error"] == "bad_host"


def test_missing_host_header_is_refused(server):
    answer = raw_request(server, f"GET /{server.token}/api/config HTTP/1.1\r\nConnection: close\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 403")


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_loopback_host_names_are_accepted(server, host):
    assert call(server, "GET", "api/config", headers={"Host": host.format(port=server.port)})[0] == 200


@pytest.mark.parametrize("origin", [
    "http://evil.example", "null", "http://127.0.0.1", "http://127.0.0.1:1", "https://127.0.0.1:{port}",
    "http://localhost.evil.example:{port}",
])
def test_cross_origin_requests_are_refused(server, origin):
    origin = origin.format(port=server.port)
    status, headers, body = call(server, "GET", "api/config", headers={"Origin": origin})
    assert status == 403 and json.loads(body)["error"] == "bad_origin"
    status, headers, body = upload(server, policy_pdf(), headers={"Origin": origin})
    assert status == 403
    assert temp_files(server) == []


def test_same_origin_requests_are_accepted(server):
    for origin in (f"http://127.0.0.1:{server.port}", f"http://localhost:{server.port}"):
        assert call(server, "GET", "api/config", headers={"Origin": origin})[0] == 200


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_requests_from_other_sites_are_refused(server, site):
    status, _, _ = call(server, "GET", "api/config", headers={"Sec-Fetch-Site": site})
    assert status == 403
    assert call(server, "GET", "api/config", headers={"Sec-Fetch-Site": "same-origin"})[0] == 200


def test_other_methods_are_refused(server):
    for method in ("PUT", "DELETE", "OPTIONS"):
        assert call(server, method, "api/jobs")[0] == 405


def test_unknown_addresses_answer_404(server):
    for path in ("nothing", "api/jobs/0123456789abcdef", "api/jobs/../../etc/passwd", "../server.py", "web/app.js"):
        assert call(server, "GET", path)[0] == 404


# ---------------------------------------------------------------- headers


def test_every_answer_is_no_store_with_a_strict_policy(server):
    view = analyze(server, policy_pdf())
    job = view["id"]
    finding = view["report"]["concerns"][0]["findings"][0]["id"]
    paths = ["", "app.js", "style.css", "favicon.svg", "api/config", f"api/jobs/{job}", f"api/jobs/{job}/report.html",
             f"api/jobs/{job}/pages/1.png", f"api/jobs/{job}/findings/{finding}/boxes", "nothing"]
    for path in paths:
        status, headers, _ = call(server, "GET", path)
        assert status in (200, 404), path
        assert headers["cache-control"] == "no-store", path
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy, path
        assert "http" not in policy and "*" not in policy and "unsafe" not in policy, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "python" not in headers.get("server", "").lower()
    for path in ("/", "/bad-token/"):
        headers = call(server, "GET", path, token=False)[1]
        assert headers["cache-control"] == "no-store"
        assert "default-src 'none'" in headers["content-security-policy"]


def test_the_web_page_and_the_written_pages_share_one_stylesheet(server):
    from ketcover.render.policy import STYLESHEET

    status, headers, body = call(server, "GET", "style.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert body.decode("utf-8") == STYLESHEET
    assert not (Path(server_module.__file__).parent / "web" / "style.css").exists()


def test_page_loads_nothing_from_outside():
    web = Path(server_module.__file__).parent / "web"
    # style.css is served from the one stylesheet every page shares (render/templates/ketcover.css).
    sources = {"index.html": web / "index.html", "app.js": web / "app.js",
               "style.css": web.parent / "render" / "templates" / "ketcover.css"}
    for name, path in sources.items():
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, name
        assert "@import" not in text and "fonts.g" not in text, name
    index = (web / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index and "style=" not in index and " on" + "click=" not in index


# ---------------------------------------------------------------- uploads


def test_size_limit_is_checked_before_the_body(server):
    head = (f"POST /{server.token}/api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Content-Type: application/pdf\r\nContent-Length: {10 ** 9}\r\n\r\n").encode()
    started = time.monotonic()
    answer = raw_request(server, head)  # no body is ever sent: the answer must come anyway
    assert time.monotonic() - started < 5
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"no-store" in answer
    assert b'"too_large"' in answer and b"larger than the limit" in answer
    assert temp_files(server) == []
    assert not server.busy.locked()


def test_just_over_the_limit_is_refused_and_the_limit_is_accepted(server):
    # A client that waits for "100 Continue" hears 413 instead, and sends nothing.
    head = (f"POST /{server.token}/api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Expect: 100-continue\r\nContent-Length: {server.max_upload_bytes + 1}\r\n\r\n").encode()
    answer = raw_request(server, head)
    assert answer.startswith(b"HTTP/1.1 413") and b"100 Continue" not in answer
    data = b"%PDF-1.7\n" + b"0" * (server.max_upload_bytes - 9)
    status, _, body = upload(server, data, headers={"Expect": "100-continue"})
    assert status == 202
    assert wait_done(server, json.loads(body)["id"])["report"]["status"] == "error"  # a broken PDF
    assert temp_files(server) == []


def test_upload_without_a_length_is_refused(server):
    head = (f"POST /{server.token}/api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n5\r\n%PDF-\r\n0\r\n\r\n").encode()
    assert raw_request(server, head).startswith(b"HTTP/1.1 411")
    head = (f"POST /{server.token}/api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Connection: close\r\n\r\n").encode()
    assert raw_request(server, head).startswith(b"HTTP/1.1 411")
    head = (f"POST /{server.token}/api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Content-Length: -5\r\n\r\n").encode()
    assert raw_request(server, head).startswith(b"HTTP/1.1 400")
    assert temp_files(server) == [] and not server.busy.locked()


def test_interrupted_upload_leaves_no_file(server):
    head = (f"POST /{server.token}/api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Content-Length: 5000\r\n\r\n%PDF-1.7 only part of it").encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head)
        sock.shutdown(socket.SHUT_WR)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400")
    assert temp_files(server) == []
    assert not server.busy.locked()


def test_not_a_pdf_comes_back_as_the_plain_message(server):
    view = analyze(server, b"Dear member, this is a plain text letter, not a PDF.\n", name="letter.txt")
    report = view["report"]
    assert report["status"] == "error"
    assert report["error"]["code"] == "NOT_A_PDF"
    assert report["error"]["message"] == (
        "This is not a PDF (a plain text file). Save or export the policy as a PDF and retry.")
    assert report["file"] == "letter.txt"
    assert temp_files(server) == []
    assert call(server, "GET", f"api/jobs/{view['id']}/pages/1.png")[0] == 409


def test_empty_upload_is_a_plain_error(server):
    report = analyze(server, b"")["report"]
    assert report["error"]["code"] == "EMPTY_FILE"


def scanned_pdf() -> bytes:
    """One page that is only a picture (a blank scan): no text layer to read."""
    from PIL import Image
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    pdf.drawImage(ImageReader(Image.new("RGB", (850, 1100), "white")), 0, 0, width=612, height=792)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_scanned_page_is_a_plain_warning_not_an_answer(server):
    report = analyze(server, scanned_pdf(), name="scan.pdf")["report"]
    assert report["status"] == "ok_with_warnings"
    warning = next(w for w in report["warnings"] if w["code"] == "NO_TEXT_LAYER")
    assert warning["page"] == 1 and warning["message"].startswith("Page 1 has no text (a scan or image);")
    assert {c["status"] for c in report["concerns"]} == {"unknown"}
    assert all("could not be read" in c["answer"] for c in report["concerns"])


def test_report_in_display_order_with_cited_quotes(server):
    view = analyze(server, policy_pdf(), name="my%20plan.pdf")
    report = view["report"]
    assert report["status"] == "ok" and report["pages"] == 2 and report["file"] == "my plan.pdf"
    assert [c["concern"] for c in report["concerns"]] == list(DISPLAY_ORDER)
    concerns = {c["concern"]: c for c in report["concerns"]}
    for name, page in (("mental_health_coverage", 1), ("prior_authorization", 2), ("experimental_exclusion", 2),
                       ("appeals", 2), ("ketamine", 2)):
        assert concerns[name]["status"] == "found", name
        assert any(f["page"] == page for f in concerns[name]["findings"]), name
    assert "180 days" in concerns["appeals"]["answer"]
    assert concerns["billing_codes"]["status"] == "not_found"
    assert concerns["billing_codes"]["status_label"] == "Not mentioned"
    for concern in report["concerns"]:
        assert concern["question"].endswith("?")
        for finding in concern["findings"]:
            page_text = "\n".join(POLICY_PAGES[finding["page"] - 1])
            assert " ".join(finding["quote"].split()) in " ".join(page_text.split())
    assert temp_files(server) == []


def test_cited_page_image_and_quote_boxes(server):
    view = analyze(server, policy_pdf())
    job = view["id"]
    finding = next(f for c in view["report"]["concerns"] if c["concern"] == "prior_authorization" for f in c["findings"])
    status, headers, image = call(server, "GET", f"api/jobs/{job}/pages/{finding['page']}.png")
    assert status == 200 and headers["content-type"] == "image/png" and image.startswith(b"\x89PNG")
    status, _, body = call(server, "GET", f"api/jobs/{job}/findings/{finding['id']}/boxes")
    assert status == 200
    answer = json.loads(body)
    assert answer["page"] == finding["page"] and answer["quote"] == finding["quote"]
    assert len(answer["boxes"]) == 1
    left, top, right, bottom = answer["boxes"][0]
    # The line was drawn at x=72pt, y=720pt of a 612x792pt page (PDF y runs upwards).
    assert 0.10 < left < 0.13 and 0.07 < top < 0.10 and right > 0.6 and bottom < 0.11
    assert call(server, "GET", f"api/jobs/{job}/pages/3.png")[0] == 404
    assert call(server, "GET", f"api/jobs/{job}/findings/999/boxes")[0] == 404


def test_downloads(server):
    job = analyze(server, policy_pdf(), name="Gold plan.pdf")["id"]
    for suffix, kind, marker in (("html", "text/html", b"<!DOCTYPE html>"), ("md", "text/markdown", b"# ketcover report"),
                                 ("json", "application/json", b'"schema"')):
        status, headers, body = call(server, "GET", f"api/jobs/{job}/report.{suffix}")
        assert status == 200 and headers["content-type"].startswith(kind)
        assert headers["content-disposition"] == f'attachment; filename="ketcover-Gold-plan.{suffix}"'
        assert marker in body
    data = json.loads(call(server, "GET", f"api/jobs/{job}/report.json")[2])
    assert data["documents"][0]["file"] == "Gold plan.pdf"
    assert call(server, "GET", f"api/jobs/{job}/report.exe")[0] == 404


def test_comparison_and_csv(server):
    first = analyze(server, policy_pdf(), name="a.pdf")["id"]
    second = analyze(server, policy_pdf(POLICY_PAGES[:1]), name="b.pdf")["id"]
    broken = analyze(server, b"not a pdf at all", name="c.txt")["id"]
    status, _, body = call(server, "GET", f"api/comparison?jobs={first},{second},{broken}")
    assert status == 200
    view = json.loads(body)
    assert [p["job"] for p in view["plans"]] == [first, second, broken]
    assert view["plans"][2]["error"]["code"] == "NOT_A_PDF"
    rows = {row["key"]: row for row in view["rows"]}
    assert {"mental_health_coverage", "prior_authorization", "appeals"} <= set(rows)
    cell_a, cell_b, cell_c = rows["prior_authorization"]["cells"]
    assert cell_a["status"] == "found" and cell_a["citations"][0]["page"] == 2
    assert cell_b["status"] == "not_found" and cell_b["citations"] == []
    assert cell_c["status"] == "error"
    citation = cell_a["citations"][0]
    status, _, body = call(server, "GET", f"api/jobs/{first}/{citation['kind']}/{citation['id']}/boxes")
    assert status == 200 and json.loads(body)["boxes"]
    status, headers, body = call(server, "GET", f"api/comparison.csv?jobs={first},{second}")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert headers["content-disposition"] == 'attachment; filename="ketcover-comparison.csv"'
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert {row["file"] for row in rows} == {"a.pdf", "b.pdf"}
    assert any(row["row"] == "prior_authorization" and row["status"] == "found" and row["pages"] == "2" for row in rows)
    assert call(server, "GET", f"api/comparison?jobs={first}")[0] == 400
    assert call(server, "GET", f"api/comparison?jobs={first},ffffffffffffffff")[0] == 404


def test_password_protected_pdf(server):
    data = policy_pdf(password=PASSWORD)
    report = analyze(server, data)["report"]
    assert report["error"]["code"] == "PASSWORD_REQUIRED"
    assert "Type the password" in report["error"]["message"] and "--password-file" not in report["error"]["message"]
    report = analyze(server, data, password="wrong")["report"]
    assert report["error"]["code"] == "PASSWORD_INCORRECT"
    view = analyze(server, data, password=PASSWORD)
    assert view["report"]["status"] in ("ok", "ok_with_warnings")
    assert PASSWORD not in json.dumps(view)
    job = view["id"]
    assert call(server, "GET", f"api/jobs/{job}/pages/1.png")[2].startswith(b"\x89PNG")
    finding = view["report"]["concerns"][0]["findings"][0]["id"]
    assert json.loads(call(server, "GET", f"api/jobs/{job}/findings/{finding}/boxes")[2])["boxes"]
    download = call(server, "GET", f"api/jobs/{job}/report.json")[2].decode("utf-8")
    assert PASSWORD not in download


# ---------------------------------------------------------------- one at a time, temp files


def test_busy_answer_while_analyzing_and_progress(server, gate):
    opened, seen = gate
    status, _, body = upload(server, policy_pdf(), name="../../etc/passwd.pdf")
    assert status == 202
    job = json.loads(body)["id"]
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    view = json.loads(call(server, "GET", f"api/jobs/{job}")[2])
    assert view["state"] == "reading" and (view["pages_done"], view["pages_total"]) == (3, 10)
    status, headers, body = upload(server, policy_pdf(), name="second.pdf")
    assert status == 503
    assert headers["retry-after"] == "5" and headers["cache-control"] == "no-store"
    answer = json.loads(body)
    assert answer["error"] == "busy" and "Another document is being analyzed" in answer["message"]
    # While it runs, the upload sits in the private folder under a name the server picked.
    assert len(seen) == 1 and seen[0].parent == server.temp_dir
    assert seen[0].name == f"upload-{job}.pdf"
    assert temp_files(server) == [seen[0]]
    assert (server.temp_dir.stat().st_mode & 0o777) == 0o700
    assert (seen[0].stat().st_mode & 0o777) == 0o600
    assert view["name"] == "passwd.pdf"
    opened.set()
    assert wait_done(server, job)["report"]["status"] == "ok"
    assert temp_files(server) == []
    status, _, body = upload(server, policy_pdf())  # free again
    assert status == 202
    wait_done(server, json.loads(body)["id"])


def test_file_deleted_when_the_analysis_fails(server, monkeypatch):
    seen = []

    def broken(path, compiled, options, progress=None):
        seen.append(Path(path))
        assert Path(path).exists()
        raise RuntimeError("a bug")

    monkeypatch.setattr(server_module, "analyze_file", broken)
    view = analyze(server, policy_pdf())
    assert view["report"]["error"]["code"] == "INTERNAL_ERROR"
    assert "a bug" not in json.dumps(view)
    assert seen and not seen[0].exists()
    assert temp_files(server) == []
    assert not server.busy.locked()


def test_stop_removes_the_temp_folder_and_forgets_documents():
    instance = server_module.create_server().start()
    job = analyze(instance, policy_pdf())["id"]
    temp_dir = instance.temp_dir
    assert temp_dir.is_dir() and instance.jobs
    instance.stop()
    assert not temp_dir.exists()
    assert not instance.jobs
    with pytest.raises(OSError):
        call(instance, "GET", f"api/jobs/{job}")


def test_display_name_is_never_a_path():
    assert server_module.display_name("..%2F..%2Fetc%2Fpasswd") == "passwd"
    assert server_module.display_name("C:\\Users\\me\\plan.pdf") == "plan.pdf"
    assert server_module.display_name("a\x1b[31mred\u202e.pdf") == "a[31mred.pdf"
    assert server_module.display_name("") == "upload.pdf"
    assert server_module.download_name("../my plan (2024).pdf", "csv") == "ketcover-my-plan-2024.csv"


# ---------------------------------------------------------------- quote boxes (ketcover.pdf)


def darkness(png: bytes, box) -> float:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    left, top, right, bottom = box
    region = image.crop((int(left * image.width), int(top * image.height),
                         max(int(left * image.width) + 1, int(right * image.width)),
                         max(int(top * image.height) + 1, int(bottom * image.height))))
    pixels = region.tobytes()
    return sum(255 - p for p in pixels) / len(pixels)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_quote_boxes_cover_the_quote_on_the_rendered_page(rotate):
    data = policy_pdf(rotate=rotate)
    quote = "Prior authorization is required for esketamine (Spravato) nasal spray."
    boxes = quote_boxes(data, 2, quote)
    assert len(boxes) == 1
    png = render_page_png(data, 2, dpi=72)
    assert all(0 <= v <= 1 for v in boxes[0])
    assert darkness(png, boxes[0]) > 20  # text is under the box
    left, top, right, bottom = boxes[0]
    assert darkness(png, (left, bottom + 0.1, right, min(1, bottom + 0.12))) < 5 or rotate


def test_quote_boxes_match_words_not_offsets():
    pages = (("Prior author-", "ization is required for", "esketamine   treatment.", "Unrelated closing line here."),)
    data = policy_pdf(pages)
    boxes = quote_boxes(data, 1, "Prior authorization is required for esketamine treatment.")
    assert len(boxes) == 3  # one rectangle per line the quote runs over
    assert [round(b[1], 2) for b in boxes] == sorted(round(b[1], 2) for b in boxes)
    assert quote_boxes(data, 1, "This sentence is nowhere on the page at all.") == ()
    assert quote_boxes(data, 1, "") == ()
    # A quote that runs on to the next page: the part on this page is still found.
    assert len(quote_boxes(data, 1, "Unrelated closing line here. And text from the next page")) == 1


def test_serve_command_prints_the_address_and_cleans_up_on_sigterm(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    process = subprocess.Popen([sys.executable, "-m", "ketcover", "serve", "--no-browser"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line.startswith("ketcover is running at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].strip()
        port = int(url.split(":")[2].split("/")[0])
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert len(token) >= 32
        assert [p.name.startswith("ketcover-serve-") for p in tmp_path.iterdir()] == [True]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/{token}/", headers={"Host": f"127.0.0.1:{port}"})
        assert connection.getresponse().status == 200
        connection.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "uploaded files removed" in process.stderr.read()
    assert list(tmp_path.iterdir()) == []


def test_quote_boxes_skip_hidden_text():
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    pdf.saveState()  # the text render mode is graphics state: keep it to the hidden line
    text = pdf.beginText(72, 720)
    text.setFont("Helvetica", 12)
    text.setTextRenderMode(3)  # invisible, and over no image: not an OCR layer
    text.textLine("Ketamine infusions are covered in full.")
    pdf.drawText(text)
    pdf.restoreState()
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 400, "Ketamine infusions are covered in full.")
    pdf.showPage()
    pdf.save()
    boxes = quote_boxes(buffer.getvalue(), 1, "Ketamine infusions are covered in full.")
    assert len(boxes) == 1
    assert 0.45 < boxes[0][1] < 0.5  # the visible line at y=400pt, not the hidden one at y=720pt


# ---------------------------------------------------------------- slow clients, duplicate headers


def test_a_slow_client_loses_the_slot_at_its_deadline_and_the_next_upload_is_taken():
    # One byte every 0.5 s keeps each read alive (the socket timeout never fires), so only the
    # upload's own deadline (1 s grace + size at 1 MB/s here) frees the analysis slot.
    instance = server_module.create_server(upload_grace_seconds=1.0).start()
    try:
        head = (f"POST /{instance.token}/api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{instance.port}\r\n"
                "Content-Length: 1000\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", instance.port), timeout=30) as sock:
            sock.sendall(head)
            started = time.monotonic()
            answer = b""
            sock.settimeout(0.5)
            while not answer and time.monotonic() - started < 20:
                try:
                    sock.sendall(b"%")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                try:
                    answer = sock.recv(65536)
                except socket.timeout:
                    continue
                except ConnectionResetError:
                    break
            elapsed = time.monotonic() - started
            sock.settimeout(10)
            while answer:  # the head and the body may come in separate reads; the server then closes
                try:
                    more = sock.recv(65536)
                except (socket.timeout, ConnectionResetError):
                    break
                if not more:
                    break
                answer += more
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"arrived too slowly" in answer
        assert elapsed < 10, elapsed
        assert temp_files(instance) == [] and not instance.busy.locked()
        # The slot is free again: a normal upload is accepted and analyzed.
        assert analyze(instance, policy_pdf())["report"]["status"] == "ok"
    finally:
        instance.stop()


def test_an_upload_is_refused_while_a_slow_one_holds_the_slot_then_accepted():
    instance = server_module.create_server(upload_grace_seconds=2.0).start()
    try:
        head = (f"POST /{instance.token}/api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{instance.port}\r\n"
                "Content-Length: 1000\r\n\r\n%PDF").encode()
        with socket.create_connection(("127.0.0.1", instance.port), timeout=30) as sock:
            sock.sendall(head)
            time.sleep(0.3)
            status, headers, body = upload(instance, policy_pdf())
            assert status == 503 and headers["retry-after"] == "5"
            assert json.loads(body)["error"] == "busy"
            sock.settimeout(15)
            assert sock.recv(65536).startswith(b"HTTP/1.1 408")
        assert analyze(instance, policy_pdf())["report"]["status"] == "ok"
    finally:
        instance.stop()


@pytest.mark.parametrize("header", ["Host", "Content-Length"])
def test_duplicate_host_or_length_is_refused(server, header):
    host = f"Host: 127.0.0.1:{server.port}\r\n"
    length = "Content-Length: 4\r\n"
    doubled = host + (host if header == "Host" else "") + length + (length if header == "Content-Length" else "")
    head = f"POST /{server.token}/api/jobs HTTP/1.1\r\n{doubled}Connection: close\r\n\r\n%PDF".encode()
    answer = raw_request(server, head)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"duplicate_header" in answer and header.encode() in answer
    assert temp_files(server) == [] and not server.busy.locked()


def test_duplicate_host_is_refused_on_a_get_too(server):
    host = f"Host: 127.0.0.1:{server.port}\r\n"
    head = f"GET /{server.token}/api/config HTTP/1.1\r\n{host}Host: localhost:{server.port}\r\n\r\n".encode()
    assert raw_request(server, head).startswith(b"HTTP/1.1 400")


@pytest.mark.parametrize("code", ["TOO_MANY_PAGES", "RESOURCE_LIMIT", "TIMEOUT", "PASSWORD_REQUIRED", "PASSWORD_INCORRECT"])
def test_error_messages_on_the_page_name_no_command_line_option(code):
    from ketcover.analyze import error_report
    from ketcover.errors import ReadError
    from ketcover.views import web_report

    details = {"pages": 9000, "limit": 5000, "limit_mb": 2048, "seconds": 600}
    report = error_report("a.pdf", ReadError(code, **details))
    message = web_report(report, "a.pdf").error.message
    assert not re.search(r"--[a-z]|ketcover (analyze|serve)", message), message
