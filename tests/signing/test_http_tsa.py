"""The HTTP path: pyHanko's HTTP time-stamper against ``TimeStampAuthority.respond`` behind a web server.

The server here is a 15-line stand-in for the Django ``/tsa/`` view.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from signing import archive_lta, http_timestamper, seal_as_employer, verify_pdf


@pytest.fixture(scope="module")
def tsa_url(authority):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            reply = authority.respond(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/tsa/"
    server.shutdown()
    server.server_close()


class TestHttpTimeStamper:
    def test_seal_and_archive_over_http(self, tsa_url, contract, employer, seal_png, pki):
        stamper = http_timestamper(tsa_url)
        pdf, boxes = contract
        sealed = seal_as_employer(
            pdf,
            employer_box=boxes["sig-employer"],
            worker_box=boxes["sig-worker"],
            signer=employer,
            seal_png=seal_png,
            timestamper=stamper,
        )
        archived = archive_lta(sealed, trust=[pki.root.certificate], crls=pki.crls(), timestamper=stamper)
        report = verify_pdf(archived, trust_roots=[pki.root.certificate])
        assert report.ok, report.to_dict()["reasons"]


class TestArchiveRenewal:
    def test_a_second_archive_timestamp_extends_the_chain(self, archived_pdf, pki, timestamper):
        renewed = archive_lta(archived_pdf, trust=[pki.root.certificate], crls=pki.crls(), timestamper=timestamper)
        report = verify_pdf(renewed, trust_roots=[pki.root.certificate])
        assert report.ok, report.to_dict()["reasons"]
        names = [s.field_name for s in report.signatures]
        assert names[-2:] == ["ArchiveTimestamp1", "ArchiveTimestamp2"]
