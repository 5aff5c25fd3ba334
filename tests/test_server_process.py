"""The web server's own process never loads the PDF libraries: pages are read, drawn and searched by workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "sample_policies" / "medical-policy_example-health_esketamine-ketamine.pdf"

# Uploads the policy, waits for its report, then draws its first page and finds its first quote's
# boxes: every PDF step the page can ask for. Prints the PDF libraries the server process holds.
PROBE = """
import http.client, json, sys, time
from ketcover.server import create_server

server = create_server().start()
try:
    def call(method, path, body=None, extra=None):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        headers = {"Host": f"127.0.0.1:{server.port}", **(extra or {})}
        connection.request(method, f"/{server.token}/{path}", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    status, body = call("POST", "api/jobs", open(sys.argv[1], "rb").read(),
                        {"Content-Type": "application/pdf", "X-Ketcover-Filename": "policy.pdf"})
    assert status == 202, body
    job = json.loads(body)["id"]
    deadline = time.monotonic() + 120
    while json.loads(call("GET", f"api/jobs/{job}")[1])["state"] != "done":
        assert time.monotonic() < deadline, "the analysis did not finish"
        time.sleep(0.2)
    status, png = call("GET", f"api/jobs/{job}/pages/1.png")
    assert status == 200 and png.startswith(b"\\x89PNG"), status
    status, boxes = call("GET", f"api/jobs/{job}/findings/0/boxes")
    assert status == 200 and json.loads(boxes)["boxes"], boxes
finally:
    server.stop()
print("LOADED", sorted({m.split(".")[0] for m in sys.modules} & {"pypdfium2", "pdfplumber", "pdfminer"}))
"""


def test_the_server_process_never_loads_the_pdf_libraries():
    result = subprocess.run([sys.executable, "-c", PROBE, str(POLICY)], capture_output=True, text=True, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "LOADED []" in result.stdout, result.stdout[-300:]
