"""The examples in python/examples/ run against a sandbox, as a merchant would run them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from pagoefectivo import webhooks
from pagoefectivo.testing import Sandbox

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(name: str, sb: Sandbox) -> str:
    env = {**os.environ, **sb.env()}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_quickstart(sandbox: Sandbox) -> None:
    out = run_example("quickstart.py", sandbox)
    assert "CIP 2523136 for PEN 149.90: pay at http://127.0.0.1:" in out
    assert "status: generated" in out


def test_quickstart_async(sandbox: Sandbox) -> None:
    out = run_example("quickstart_async.py", sandbox)
    assert "(ORD-2001): generated, PEN 20.00" in out and "(ORD-2002): generated, PEN 35.50" in out


def test_wsgi_webhook_endpoint() -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        import webhook_wsgi
    finally:
        sys.path.remove(str(EXAMPLES))
    webhook_wsgi.SECRET = "k"
    body = b'{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":1.00}}'
    answers: list[str] = []

    def call(sig: str) -> bytes:
        environ = {"CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "HTTP_PE_SIGNATURE": sig}
        return b"".join(webhook_wsgi.app(environ, lambda status, headers: answers.append(status)))

    assert call(webhooks.sign(body, "k")) == b"ok"
    assert call(webhooks.sign(body, "k")) == b"ok"  # the redelivery is acknowledged...
    assert webhook_wsgi.work.qsize() == 1  # ...and not processed twice
    assert call("0" * 64) == b"refused: signature_mismatch"
    assert answers == ["200 OK", "200 OK", "400 Bad Request"]
