"""A framework-free WSGI notification endpoint: verify the raw body, skip redeliveries, answer 200 fast."""

from __future__ import annotations

import os
import queue
from collections.abc import Iterable
from typing import Any, Callable

import pagoefectivo
from pagoefectivo import webhooks

SECRET = os.environ.get("PAGOEFECTIVO_SECRET_KEY", "")
dedup = webhooks.Deduplicator()
work: queue.Queue[webhooks.CipPaidEvent] = queue.Queue()  # a worker marks the orders paid

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw: bytes = environ["wsgi.input"].read(length)  # the raw bytes: never re-serialized JSON
    try:
        # find_signature: the header in any spelling (here its CGI name, HTTP_PE_SIGNATURE).
        event = webhooks.construct_event(raw, webhooks.find_signature(environ), SECRET)
    except pagoefectivo.SignatureVerificationError as e:
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [f"refused: {e.reason}".encode()]
    if isinstance(event, webhooks.CipPaidEvent) and dedup.first_delivery(event):
        work.put(event)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    make_server("127.0.0.1", 8081, app).serve_forever()
