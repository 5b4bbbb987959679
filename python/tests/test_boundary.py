"""The core owns the rules; Python converts types. Hostile native values get the SDK's typed errors.

The error tree against the core's table, panics as ``InternalError``, the
inputs of issue 9 that used to raise ``UnicodeEncodeError``, ``TypeError``,
``ValueError`` or ``OverflowError``, unknown keywords, and the capabilities
reached through the core's operations (headers, body limits, the report page,
proxy and CA options).
"""

from __future__ import annotations

import asyncio
import http.client
import threading
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import pytest

import pagoefectivo
from pagoefectivo import _native, errors, reconcile, webhooks
from pagoefectivo.testing import Sandbox

from conftest import FAST, order

SURROGATE = "\ud800"
BODY = b'{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"5","currency":"PEN","amount":1.00}}'


def fields(e: pagoefectivo.PagoEfectivoError) -> list[str]:
    return sorted(f.field for f in e.field_errors)


def refused(call: Callable[[], Any]) -> pagoefectivo.ValidationError:
    with pytest.raises(pagoefectivo.ValidationError) as info:
        call()
    assert info.value.code == "validation_error" and info.value.family == "validation"
    return info.value


# The error taxonomy ---------------------------------------------------------------------------


def test_the_class_tree_follows_the_core_table() -> None:
    table = pagoefectivo.error_table()
    own_code = {f["name"]: f["code"] for f in table["families"]}
    assert {c["code"] for c in table["codes"]} >= {"validation_error", "internal_error", "outcome_unknown"}
    family_classes: dict[str, type[pagoefectivo.PagoEfectivoError]] = {}
    for name, code in own_code.items():
        # A family is one class: its root code's, or a class of its own when it has no code.
        cls = errors.class_for(code) if code else errors.class_for("", name)
        assert cls is not pagoefectivo.PagoEfectivoError, f"family {name} has no class"
        assert cls.family == name and "family" in vars(cls)
        assert pagoefectivo.PagoEfectivoError in cls.__bases__, f"{cls.__name__} is not a family class"
        family_classes[name] = cls
    for row in table["codes"]:
        cls = errors.class_for(row["code"])
        assert cls is not pagoefectivo.PagoEfectivoError, f"{row['code']} has no class"
        assert cls.code == row["code"] and cls.family == row["family"]
        if row["root"]:
            assert cls is family_classes[row["family"]]
        else:
            assert family_classes[row["family"]] in cls.__bases__, (cls, row)
        assert issubclass(cls, pagoefectivo.PagoEfectivoError)
    # Every class of the module is for a code or a family of the table (RawBodyError: a ValidationError).
    known = {c["code"] for c in table["codes"]} | set(own_code)
    for cls in errors._tree()[1:]:
        if cls is not pagoefectivo.RawBodyError:
            assert vars(cls).get("code") in known or vars(cls).get("family") in known, cls
    assert pagoefectivo.InternalError.code == "internal_error"


def test_a_code_unknown_to_this_version_gets_its_family_class() -> None:
    assert errors.class_for("some_new_api_code", "api") is pagoefectivo.APIError
    assert errors.class_for("some_new_code", "idempotency") is pagoefectivo.IdempotencyError
    assert errors.class_for("some_new_code", "no_such_family") is pagoefectivo.PagoEfectivoError


def test_a_panic_in_the_native_code_is_internal_error() -> None:
    with pytest.raises(pagoefectivo.InternalError) as info:
        _native._panic_for_tests()
    e = info.value
    assert e.code == "internal_error" and e.family == "internal" and not e.retryable
    assert "please report" in str(e) and "on purpose" in str(e)
    try:
        _native._panic_for_tests()
    except Exception as caught:  # pyo3's PanicException is a BaseException: this would miss it
        assert isinstance(caught, pagoefectivo.PagoEfectivoError)


# Issue 9: native values that used to escape as untyped errors ----------------------------------


def test_lone_surrogates_are_validation_errors(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    e = refused(lambda: client.cips.create(**order(user_email=SURROGATE + "ana@example.pe")))
    assert fields(e) == ["userEmail"] and "surrogate" in e.field_errors[0].message and e.attempts == 0
    # ...reported with the request's other problems, at once:
    e = refused(lambda: client.cips.create(**order(user_email=SURROGATE, amount=25.5, currency="EUR")))
    assert fields(e) == ["amount", "currency", "userEmail"]
    e = refused(lambda: client.refunds.create(cip=1, amount="1.00", currency="PEN", reason=SURROGATE))
    assert "reason" in fields(e)
    assert sandbox.request_count("any") == 0
    refused(lambda: webhooks.construct_event(BODY, "0" * 64, SURROGATE + "k"))
    refused(lambda: webhooks.construct_event(BODY, SURROGATE, "k"))
    refused(lambda: webhooks.sign(BODY, SURROGATE))
    refused(lambda: pagoefectivo.hash_string(1, SURROGATE, "k", "2026-01-01T00:00:00-05:00"))
    refused(lambda: pagoefectivo.validate_cci(SURROGATE))
    refused(lambda: pagoefectivo.parse_time(SURROGATE))
    refused(lambda: reconcile.Calendar(extra_holidays=[SURROGATE]))
    refused(
        lambda: reconcile.run(
            [{"order_id": SURROGATE, "currency": "PEN", "amount": "1", "status": "paid"}], []
        )
    )
    refused(lambda: pagoefectivo.Config(access_key="A", secret_key=SURROGATE, id_service=1))
    refused(lambda: client.cips.search([1, SURROGATE]))  # type: ignore[list-item]


def test_a_missing_secret_is_a_validation_error() -> None:
    for secret in (None, 5, b"k"):
        e = refused(lambda s=secret: webhooks.construct_event(BODY, webhooks.sign(BODY, "k"), s))  # type: ignore[misc]
        assert fields(e) == ["secret"]
    refused(lambda: webhooks.sign(BODY, None))  # type: ignore[arg-type]


def test_integers_of_any_size_reach_the_core_exactly(client: pagoefectivo.Client) -> None:
    e = refused(lambda: client.cips.create(**order(amount=10**5000)))
    assert fields(e) == ["amount"]
    refused(lambda: client.cips.get(10**5000))
    refused(lambda: client.cips.get(2**63))
    refused(lambda: client.refunds.eligibility(1, window_days=10**40))
    refused(lambda: pagoefectivo.CipStatus.from_code(2**40))
    assert client.cips.create(**order(amount=10**3)).amount == Decimal("1000.00")


def test_the_calendar_helpers_are_bounded_and_typed() -> None:
    cal = reconcile.Calendar()
    started = time.monotonic()
    for days in (-1, 2**32 - 1, 10**30, 1.5, "-3", None):
        e = refused(lambda d=days: cal.add_business_days(date(2026, 11, 20), d))  # type: ignore[misc]
        assert fields(e) == ["days"]
    assert time.monotonic() - started < 1.0  # refused, never computed
    assert cal.add_business_days("2026-11-20", 3660) > date(2036, 1, 1)
    for year in (10**30, -1, 2.5):
        refused(lambda y=year: cal.holidays(y))  # type: ignore[misc]
    for day in ("2026-13-45", "tomorrow", datetime(2026, 1, 1, tzinfo=timezone.utc), 20261120):
        refused(lambda d=day: cal.is_business_day(d))  # type: ignore[misc]
    refused(lambda: reconcile.Calendar(extra_holidays=["2026-02-30"]))
    assert reconcile.Calendar(extra_holidays=("2026-12-24",)).is_holiday(date(2026, 12, 24))


def test_other_hostile_values_never_escape_untyped(client: pagoefectivo.Client) -> None:
    hostile: list[Any] = [float("nan"), float("inf"), object(), {1: 2}, b"\xff", {SURROGATE: 1}, set(), 1j]
    for value in hostile:
        for call in (
            lambda v: pagoefectivo.validate_cip_request(**order(amount=v)),
            lambda v: pagoefectivo.validate_cip_request(**order(user_email=v)),
            lambda v: client.cips.get(v),
            lambda v: client.cips.wait_for_final_status(1, timeout=v),
            lambda v: pagoefectivo.format_time(v),
            lambda v: reconcile.Calendar().add_business_days("2026-01-01", v),
        ):
            with pytest.raises(pagoefectivo.ValidationError):
                call(value)


# Unknown keywords --------------------------------------------------------------------------


def test_a_misspelt_keyword_is_refused_by_name(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    e = refused(lambda: client.cips.create(**order(date_expire=datetime.now(timezone.utc))))
    assert fields(e) == ["date_expire"] and "not a known field" in e.field_errors[0].message
    e = refused(lambda: pagoefectivo.validate_cip_request(**order(amount=1.5), colour="red"))
    assert fields(e) == ["amount", "colour"]
    refund: dict[str, Any] = {
        "cip": 1,
        "amount": Decimal("1.00"),
        "currency": "PEN",
        "reason": "x",
        "merchant_refund_id": "RF-1",
        "destination": pagoefectivo.BankAccount("00219100123456789053"),
        "beneficiary": pagoefectivo.Beneficiary("DNI", "44556677", "Ana"),
    }
    e = refused(lambda: client.refunds.create(**refund, refund_windw_days=7))
    assert fields(e) == ["refund_windw_days"]
    refused(lambda: pagoefectivo.validate_refund_request(**refund, requested_for="x"))
    assert sandbox.request_count("any") == 0

    async def in_async() -> None:
        with pytest.raises(pagoefectivo.ValidationError) as info:
            await sandbox.async_client(**FAST).cips.create(**order(), date_expire="x")
        assert fields(info.value) == ["date_expire"]

    asyncio.run(in_async())
    with pytest.raises(pagoefectivo.ConfigurationError, match="colour"):
        pagoefectivo.Client(access_key="A", secret_key="S", id_service=1, colour="red")


# Reach: every capability of the core ----------------------------------------------------------


def test_the_signature_header_is_found_in_any_spelling() -> None:
    for headers in (
        {"PE-Signature": "abc"},
        {"pe-signature": "abc", "Content-Type": "application/json"},
        {"HTTP_PE_SIGNATURE": "abc", "wsgi.input": object(), "CONTENT_LENGTH": "3"},  # WSGI / request.META
        [("Pe-Signature", "abc")],
    ):
        assert webhooks.find_signature(headers) == "abc"
    assert webhooks.find_signature({"X-PE-Signature": "x"}) is None
    assert webhooks.SIGNATURE_HEADER == "PE-Signature"


def test_the_body_limit_is_the_cores_and_configurable() -> None:
    big = BODY[:-1] + b',"pad":"' + b"x" * webhooks.DEFAULT_MAX_BODY_BYTES + b'"}'
    with pytest.raises(pagoefectivo.SignatureVerificationError) as info:
        webhooks.construct_event(big, webhooks.sign(big, "k"), "k")
    assert info.value.reason == "body_too_large"
    event = webhooks.construct_event(big, webhooks.sign(big, "k"), "k", max_body_bytes=1 << 20)
    assert isinstance(event, webhooks.CipPaidEvent) and event.dedup_key == "cip.paid:1:5"
    with pytest.raises(pagoefectivo.SignatureVerificationError):
        webhooks.construct_event(BODY, webhooks.sign(BODY, "k"), "k", max_body_bytes=10)
    refused(lambda: webhooks.construct_event(BODY, webhooks.sign(BODY, "k"), "k", max_body_bytes=-1))


def test_events_carry_the_cores_event_type_and_dedup_key() -> None:
    body = b'{"EventType":"cip.expired","OperationNumber":9,"Data":{"Cip":"123"}}'
    event = webhooks.construct_event(body, webhooks.sign(body, "k"), "k")
    assert isinstance(event, webhooks.OtherEvent)
    assert (event.event_type, event.operation_number, event.cip) == ("cip.expired", "9", 123)
    assert event.dedup_key == "cip.expired:9:123"
    assert event.to_dict()["dedup_key"] == event.dedup_key


def test_the_settlement_report_endpoint_and_its_page(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    cip = client.cips.create(**order("ORD-R1")).cip
    sandbox.pay(cip)
    page = client.reconciliation.report_page(limit=10)
    assert [r.cip for r in page.rows] == [cip] and not page.has_more and page.next_cursor
    row = page.rows[0]
    assert row.amount == Decimal("25.50") and row.status is pagoefectivo.CipStatus.PAID
    assert isinstance(row.paid_at, datetime) and row.paid_at.utcoffset() == timedelta(hours=-5)
    assert client.reconciliation.report_page(cursor=page.next_cursor).rows == []
    refused(lambda: client.reconciliation.report_page(date_from="yesterday"))

    async def in_async() -> reconcile.ReportPage:
        return await sandbox.async_client(**FAST).reconciliation.report_page(date_from=date(2020, 1, 1))

    assert asyncio.run(in_async()).rows == page.rows


def test_the_config_shows_the_cores_settings(sandbox: Sandbox) -> None:
    client = sandbox.client(
        request_timeout=timedelta(seconds=5),
        max_response_bytes=1 << 20,
        no_proxy="localhost,127.0.0.1",
        ca_file=None,
        retry={"max_attempts": 2, "initial_backoff_ms": 10},
    )
    c = client.config
    assert (c.request_timeout_ms, c.request_timeout, c.max_attempts, c.initial_backoff_ms) == (
        5000,
        5.0,
        2,
        10,
    )
    assert (c.max_response_bytes, c.no_proxy, c.ca_file, c.proxy) == (
        1 << 20,
        "localhost,127.0.0.1",
        None,
        None,
    )
    assert c.to_dict() == {k: getattr(c, k) for k in c.to_dict()}
    with pytest.raises(pagoefectivo.PagoEfectivoError, match=r"nowhere\.pem"):
        sandbox.client(ca_file="/nowhere.pem")
    with pytest.raises(pagoefectivo.ConfigurationError):
        sandbox.client(request_timeout="30")  # seconds, not a string


def test_the_answer_size_limit_is_applied(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    small = sandbox.client(max_response_bytes=1024, **FAST)
    small.authenticate()
    body = '{"code":"100","message":"ok","data":[' + ",".join(['{"pad":"' + "x" * 100 + '"}'] * 50) + "]}"
    sandbox.add_fault("cips_search", "respond", status=200, body=body, times=5)
    with pytest.raises(pagoefectivo.PagoEfectivoError) as info:
        small.cips.get(1)
    assert "1024" in str(info.value)


class Proxy:
    """A plain-HTTP forward proxy on loopback that counts what it forwards."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def forward(self) -> None:
                proxy.seen.append(self.path)
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                conn = http.client.HTTPConnection(url.hostname or "", url.port or 80, timeout=10)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection",)}
                conn.request(self.command, url.path + (f"?{url.query}" if url.query else ""), body, headers)
                answer = conn.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = forward

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    p = Proxy()
    yield p
    p.server.shutdown()
    p.server.server_close()


def test_requests_go_through_the_configured_proxy(sandbox: Sandbox, proxy: Proxy) -> None:
    user_url = proxy.url.replace("http://", "http://shop:pr0xy-passw0rd@")
    client = sandbox.client(proxy=user_url, **FAST)
    assert client.cips.create(**order()).cip > 0
    assert any("/v1/cips" in p for p in proxy.seen), proxy.seen
    assert "pr0xy-passw0rd" not in repr(client.config) and "[REDACTED]" in (client.config.proxy or "")
    bypass = sandbox.client(proxy=proxy.url, no_proxy="127.0.0.1", **FAST)
    before = len(proxy.seen)
    bypass.cips.get(client.cips.create(**order("ORD-2")).cip)
    assert len(proxy.seen) == before + 1  # only the first client's creation went through the proxy
