"""Refunds against the sandbox: validation, each rule, idempotent retries, the audit trail, the lifecycle."""

from __future__ import annotations

import asyncio
import json
import pickle
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import pagoefectivo
from pagoefectivo import BankAccount, Beneficiary, Ewallet, RefundStatus, webhooks
from pagoefectivo.testing import Sandbox, SandboxError

from conftest import FAST, order

CCI = "00219100123456789053"
ANA = Beneficiary(document_type="DNI", document_number="44556677", name="Ana Quispe")


def refund(cip: int, ref: str = "RF-1", amount: str = "10.00", **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "cip": cip,
        "amount": Decimal(amount),
        "currency": "PEN",
        "reason": "Pedido cancelado",
        "merchant_refund_id": ref,
        "destination": BankAccount(CCI),
        "beneficiary": ANA,
    }
    params.update(extra)
    return params


def paid_cip(sb: Sandbox, client: pagoefectivo.Client, amount: str = "100.00", currency: str = "PEN") -> int:
    cip = client.cips.create(**order(amount=Decimal(amount), currency=currency)).cip
    sb.pay(cip)
    return cip


def test_format_problems_come_together_before_any_request(
    sandbox: Sandbox, client: pagoefectivo.Client
) -> None:
    bad = refund(
        1,
        amount="0",
        destination=Ewallet("014567890"),
        beneficiary={"document_type": "DNI", "document_number": "123", "name": "Ana"},
    )
    with pytest.raises(pagoefectivo.ValidationError) as info:
        client.refunds.create(**bad)
    fields = sorted(f.field for f in info.value.field_errors)
    assert fields == ["amount", "beneficiary.documentNumber", "destination.phone"]
    assert info.value.attempts == 0 and sandbox.request_count("any") == 0
    with pytest.raises(pagoefectivo.ValidationError) as info:
        client.refunds.create(cip=1, currency="PEN")
    missing = {f.field for f in info.value.field_errors if f.code == "112"}
    assert {"amount", "reason", "merchantRefundId", "destination.type", "beneficiary.name"} <= missing


def test_a_float_amount_is_refused_by_name() -> None:
    with pytest.raises(pagoefectivo.ValidationError) as info:
        pagoefectivo.validate_refund_request(**refund(5, amount="1.00") | {"amount": 10.5})
    [f] = info.value.field_errors
    assert f.field == "amount" and "float" in f.message


def test_dataclasses_and_dicts_are_the_same_request() -> None:
    pagoefectivo.validate_refund_request(**refund(5))
    as_dicts = refund(5, destination={"type": "ewallet", "phone": "+51 987 654 321"})
    as_dicts["beneficiary"] = {"documentType": "DNI", "documentNumber": "44556677", "name": "Ana"}
    pagoefectivo.validate_refund_request(**as_dicts)


def test_cci_helpers() -> None:
    assert pagoefectivo.cci_with_check_digits("002191001234567890") == CCI
    pagoefectivo.validate_cci(CCI)
    with pytest.raises(pagoefectivo.ValidationError) as info:
        pagoefectivo.validate_cci(CCI[:10] + "4" + CCI[11:])
    assert "check digits" in info.value.field_errors[0].message
    with pytest.raises(pagoefectivo.ValidationError):
        pagoefectivo.cci_with_check_digits("12")


def test_only_a_paid_cip_can_be_refunded(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    cip = client.cips.create(**order()).cip
    with pytest.raises(pagoefectivo.RefundNotAllowedError) as info:
        client.refunds.create(**refund(cip))
    assert info.value.reason == "cip_not_paid" and info.value.attempts == 0
    assert sandbox.request_count("refunds_create") == 0
    assert client.refunds.eligibility(cip).blocked_by == "cip_not_paid"


def test_the_currency_must_match(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    cip = paid_cip(sandbox, client, "20.00", "USD")
    with pytest.raises(pagoefectivo.RefundNotAllowedError) as info:
        client.refunds.create(**refund(cip, amount="5.00"))
    assert info.value.reason == "currency_mismatch" and "USD" in str(info.value)


def test_the_window_is_checked_here_and_by_the_api(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    cip = paid_cip(sandbox, client)
    with pytest.raises(pagoefectivo.RefundNotAllowedError) as info:
        client.refunds.create(**refund(cip, refund_window_days=0))
    assert info.value.reason == "window_expired" and info.value.attempts == 0
    assert sandbox.request_count("refunds_create") == 0
    # The sandbox's clock moves past its own 90-day window; the API refuses with 133.
    sandbox.advance_clock(91 * 86400)
    with pytest.raises(pagoefectivo.RefundNotAllowedError) as info:
        sandbox.client(**FAST).refunds.create(**refund(cip))
    assert (info.value.reason, info.value.pe_code, info.value.http_status) == ("window_expired", "133", 422)


def test_partial_refunds_never_exceed_the_payment(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    cip = paid_cip(sandbox, client)
    client.refunds.create(**refund(cip, "RF-A", "60.00"))
    e = client.refunds.eligibility(cip)
    assert (e.paid_amount, e.refunded_amount, e.refundable_amount) == (
        Decimal("100.00"),
        Decimal("60.00"),
        Decimal("40.00"),
    )
    with pytest.raises(pagoefectivo.RefundNotAllowedError) as info:
        client.refunds.create(**refund(cip, "RF-B", "50.00"))
    assert info.value.reason == "amount_exceeds_refundable" and "40.00" in info.value.message
    client.refunds.create(**refund(cip, "RF-C", "40.00"))
    assert client.refunds.eligibility(cip).blocked_by == "nothing_left"
    assert [r.merchant_refund_id for r in client.refunds.list(cip)] == ["RF-A", "RF-C"]


def test_retrying_a_reference_is_one_refund(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    cip = paid_cip(sandbox, client)
    first = client.refunds.create(**refund(cip, "RF-SAME"))
    again = client.refunds.create(**refund(cip, "RF-SAME"))  # the application's own retry
    assert again == first and len(sandbox.refunds()) == 1
    sandbox.add_fault("refunds_create", "drop", times=1)  # processed, then the connection breaks
    dropped = client.refunds.create(**refund(cip, "RF-DROP"))
    assert dropped.status is RefundStatus.REQUESTED
    assert sandbox.request_count("refunds_create") == 4 and len(sandbox.refunds()) == 2


def test_a_reference_reused_with_other_parameters_conflicts(
    sandbox: Sandbox, client: pagoefectivo.Client
) -> None:
    cip = paid_cip(sandbox, client)
    client.refunds.create(**refund(cip, "RF-X"))
    with pytest.raises(pagoefectivo.IdempotencyConflictError) as info:
        client.refunds.create(**refund(cip, "RF-X", "5.00"))
    e = info.value
    assert isinstance(e, pagoefectivo.IdempotencyError) and (e.http_status, e.pe_code) == (409, "134")
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is pagoefectivo.IdempotencyConflictError and copy.pe_code == "134"


def test_lifecycle_with_signed_notifications(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    cip = paid_cip(sandbox, client)
    r = client.refunds.create(**refund(cip, "RF-LIFE", "25.50"))
    assert (r.status, r.is_final, r.amount) == (RefundStatus.REQUESTED, False, Decimal("25.50"))
    sandbox.process_refund(r.refund_id)
    assert client.refunds.get(r.refund_id).status == "processing"
    sandbox.complete_refund(r.refund_id)
    done = client.refunds.wait_for_final_status(r.refund_id, timeout=3, initial_interval=0.02)
    assert done.status is RefundStatus.REFUNDED and done.is_final and done.date_update is not None
    deliveries = sandbox.wait_for_deliveries(3)
    assert [d.event_type for d in deliveries] == ["cip.paid", "refund.processing", "refund.refunded"]
    dedup = webhooks.Deduplicator()
    event = webhooks.construct_event(deliveries[2].body, deliveries[2].signature, sandbox.secret_key)
    assert isinstance(event, webhooks.RefundEvent)
    assert (event.refund_id, event.cip, event.amount, event.status) == (
        r.refund_id,
        cip,
        Decimal("25.50"),
        RefundStatus.REFUNDED,
    )
    assert event.merchant_refund_id == "RF-LIFE" and "RF" in repr(event)
    assert dedup.first_delivery(event) and not dedup.first_delivery(event)
    with pytest.raises(pagoefectivo.SignatureVerificationError):
        webhooks.construct_event(deliveries[2].body, deliveries[1].signature, sandbox.secret_key)


def test_a_rejection_keeps_its_code_and_frees_the_amount(
    sandbox: Sandbox, client: pagoefectivo.Client
) -> None:
    cip = paid_cip(sandbox, client)
    r = client.refunds.create(**refund(cip, "RF-REJ", "100.00"))
    sandbox.reject_refund(r.refund_id, "R01")
    got = client.refunds.get(r.refund_id)
    assert (got.status, got.reason_code) == (RefundStatus.REJECTED, "R01")
    assert client.refunds.create(**refund(cip, "RF-REJ2", "100.00")).status == "requested"
    with pytest.raises(SandboxError) as info:
        sandbox.complete_refund(r.refund_id)
    assert info.value.args[1] == "invalid_transition"
    with pytest.raises(SandboxError) as info:
        sandbox.process_refund("RFD404")
    assert info.value.args[1] == "unknown_refund"


def test_unknown_and_malformed_refund_ids(client: pagoefectivo.Client) -> None:
    with pytest.raises(pagoefectivo.NotFoundError):
        client.refunds.get("RFD999")
    with pytest.raises(pagoefectivo.ValidationError):
        client.refunds.get("../cips")
    with pytest.raises(pagoefectivo.ValidationError):
        client.refunds.eligibility(True)  # a bool is not a CIP number


def test_the_configured_window_sets_the_deadline(sandbox: Sandbox) -> None:
    client = sandbox.client(refund_window=7 * 86400, **FAST)
    assert client.config.refund_window == 7 * 86400 and client.config.refunds_path == "refunds"
    cip = paid_cip(sandbox, client)
    e = client.refunds.eligibility(cip)
    assert e.payment_date is not None and e.deadline is not None
    assert (e.deadline - e.payment_date).days == 7 and 0 < e.seconds_left <= 7 * 86400
    assert client.refunds.eligibility(cip, window_days=30).deadline != e.deadline


def test_audit_file_records_each_operation_without_secrets(sandbox: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "refund-audit.jsonl"
    client = sandbox.client(refund_audit=path, **FAST)
    cip = paid_cip(sandbox, client)
    r = client.refunds.create(**refund(cip, "RF-AUD", requested_by="operator-7"))
    with pytest.raises(pagoefectivo.RefundNotAllowedError):
        client.refunds.create(**refund(cip, "RF-BIG", "500.00"))
    client.refunds.get(r.refund_id)
    text = path.read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    assert [(x["operation"], x["outcome"]) for x in records] == [
        ("refund.create", "ok"),
        ("refund.create", "refund_not_allowed"),
        ("refund.get", "ok"),
    ]
    first = records[0]
    assert first["actor"] == "operator-7" and first["merchantRefundId"] == "RF-AUD"
    assert first["idempotencyKey"].startswith("rfd_") and first["cip"] == cip
    assert first["response"]["refundId"] == r.refund_id and first["at"].endswith("-05:00")
    assert sandbox.secret_key not in text and "Bearer" not in text and "eyJ" not in text


def test_audit_callable_gets_each_record(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    client = sandbox.client(refund_audit=seen.append, **FAST)
    cip = paid_cip(sandbox, client)
    client.refunds.create(**refund(cip))
    [record] = seen
    assert record["operation"] == "refund.create" and record["request"]["amount"] == Decimal("10.00")

    def broken(record: dict[str, Any]) -> None:
        raise RuntimeError("audit store down")

    # A failing sink loses the record (logged, and shown as unraisable), never the refund.
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    r = sandbox.client(refund_audit=broken, **FAST).refunds.create(**refund(cip, "RF-2"))
    assert r.status == "requested"
    assert [str(u.exc_value) for u in unraisable] == ["audit store down"]
    with pytest.raises(pagoefectivo.ConfigurationError):
        sandbox.client(refund_audit=42, **FAST)  # type: ignore[arg-type]


def test_async_refunds(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = sandbox.async_client(**FAST)
        cip = (await client.cips.create(**order(amount=Decimal("100.00")))).cip
        sandbox.pay(cip)
        r = await client.refunds.create(**refund(cip))
        assert (await client.refunds.eligibility(cip)).refundable_amount == Decimal("90.00")
        assert [x.refund_id for x in await client.refunds.list(cip)] == [r.refund_id]
        sandbox.process_refund(r.refund_id)
        sandbox.complete_refund(r.refund_id)
        done = await client.refunds.wait_for_final_status(r.refund_id, timeout=3, initial_interval=0.02)
        assert done == await client.refunds.get(r.refund_id) and done.status is RefundStatus.REFUNDED
        with pytest.raises(pagoefectivo.RefundNotAllowedError):
            await client.refunds.create(**refund(cip, "RF-2", "95.00"))

    asyncio.run(main())


def test_refund_results_are_readable_and_plain(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    cip = paid_cip(sandbox, client)
    r = client.refunds.create(**refund(cip))
    assert repr(r).startswith("Refund(refund_id='RFD") and "Decimal('10.00')" in repr(r)
    d = r.to_dict()
    assert d["amount"] == Decimal("10.00") and d["status"] is RefundStatus.REQUESTED
    e = client.refunds.eligibility(cip)
    assert "refundable_amount=Decimal('90.00')" in repr(e) and e.to_dict()["blocked_by"] is None
