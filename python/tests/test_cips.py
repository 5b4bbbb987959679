"""The CIP lifecycle with the blocking client against the sandbox, faults included."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import pagoefectivo
from pagoefectivo import CipStatus
from pagoefectivo.testing import Sandbox

from conftest import FAST, order

LIMA = timezone(timedelta(hours=-5))


def test_create_returns_typed_values(client: pagoefectivo.Client) -> None:
    expiry = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    cip = client.cips.create(**order(date_expiry=expiry, user_phone="987654321", user_code_country="+51"))
    assert isinstance(cip.cip, int) and cip.cip > 0
    assert cip.amount == Decimal("25.50") and isinstance(cip.amount, Decimal)
    assert str(cip.amount) == "25.50"
    assert cip.currency == "PEN" and cip.transaction_code == "ORD-1"
    assert cip.date_expiry == expiry and cip.date_expiry.utcoffset() == timedelta(hours=-5)
    assert cip.cip_url.startswith("http://127.0.0.1:")
    assert repr(cip).startswith(f"Cip(cip={cip.cip}, currency='PEN', amount=Decimal('25.50')")
    assert cip.to_dict()["amount"] == Decimal("25.50")


def test_amount_as_int_or_string_is_exact(client: pagoefectivo.Client) -> None:
    assert client.cips.create(**order(amount=10)).amount == Decimal("10.00")
    assert client.cips.create(**order(amount="9999.99")).amount == Decimal("9999.99")


def test_full_lifecycle_paid(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    cip = client.cips.create(**order())
    info = client.cips.get(cip.cip)
    assert info.status is CipStatus.GENERATED and isinstance(info.status, str)
    assert str(info.status) == "generated"
    assert info.date_payment is None and not info.is_final
    payment = sandbox.pay(cip.cip)
    assert payment.cip == cip.cip and payment.date_payment.utcoffset() == timedelta(hours=-5)
    final = client.cips.wait_for_final_status(cip.cip, timeout=5, initial_interval=0.02, max_interval=0.1)
    assert final.status is CipStatus.PAID and final.is_final
    assert final.date_payment is not None
    assert "status='paid'" in repr(final)


def test_search_many_and_unknown_absent(client: pagoefectivo.Client) -> None:
    made = [client.cips.create(**order(f"ORD-{i}")).cip for i in range(3)]
    found = client.cips.search([*made, 99999999])
    assert [i.cip for i in found] == made
    assert client.cips.search([]) == []


def test_extend_then_delete(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    cip = client.cips.create(**order())
    later = datetime.now(LIMA) + timedelta(days=5)
    client.cips.extend(cip.cip, later)
    assert client.cips.get(cip.cip).date_expiry == later.replace(microsecond=0)
    client.cips.delete(cip.cip)
    assert client.cips.get(cip.cip).status is CipStatus.DELETED
    with pytest.raises(pagoefectivo.InvalidStateError) as info:
        client.cips.delete(cip.cip)
    assert info.value.http_status == 409 and not info.value.retryable


def test_expired_cip_can_be_extended(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    cip = client.cips.create(**order())
    sandbox.expire(cip.cip)
    assert client.cips.get(cip.cip).status is CipStatus.EXPIRED
    client.cips.extend(cip.cip, datetime.now(timezone.utc) + timedelta(hours=3))
    assert client.cips.get(cip.cip).status is CipStatus.GENERATED


def test_not_found(client: pagoefectivo.Client) -> None:
    with pytest.raises(pagoefectivo.NotFoundError) as info:
        client.cips.get(123456)
    assert info.value.code == "not_found"
    assert isinstance(info.value, pagoefectivo.APIError)


def test_wait_timeout(client: pagoefectivo.Client) -> None:
    cip = client.cips.create(**order())
    with pytest.raises(pagoefectivo.WaitTimeoutError) as info:
        client.cips.wait_for_final_status(cip.cip, timeout=0.2, initial_interval=0.05, max_interval=0.05)
    assert info.value.retryable and "generated" in info.value.message


def test_retries_a_503_then_succeeds(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    sandbox.add_fault("cips_create", "status", status=503, times=1)
    client.cips.create(**order())
    assert sandbox.request_count("cips_create") == 2


def test_creation_is_never_resent_after_an_ambiguous_failure(
    client: pagoefectivo.Client, sandbox: Sandbox
) -> None:
    sandbox.add_fault("cips_create", "drop", times=1)
    with pytest.raises(pagoefectivo.OutcomeUnknownError) as info:
        client.cips.create(**order("ORD-AMBIGUOUS"))
    e = info.value
    assert e.code == "outcome_unknown" and e.transaction_code == "ORD-AMBIGUOUS"
    assert isinstance(e, pagoefectivo.IdempotencyError) and not e.retryable
    assert sandbox.request_count("cips_create") == 1
    assert len(sandbox.cips()) == 1  # it was created: the orphan the hint warns about


def test_server_errors_after_retries(sandbox: Sandbox) -> None:
    client = sandbox.client(**FAST)
    sandbox.add_fault("cips_search", "status", status=503)
    with pytest.raises(pagoefectivo.APIError) as info:
        client.cips.get(1)
    assert info.value.http_status == 503 and info.value.retryable and info.value.attempts == 3


def test_connection_refused_is_a_connection_error() -> None:
    with Sandbox() as sb:
        config = sb.config(**FAST)
    client = pagoefectivo.Client(config)
    with pytest.raises(pagoefectivo.APIConnectionError) as info:
        client.cips.get(1)
    assert info.value.code == "connection_error" and info.value.retryable


def test_timeout(sandbox: Sandbox) -> None:
    client = sandbox.client(**{**FAST, "request_timeout": 0.1, "max_attempts": 1})
    client.authenticate()
    sandbox.add_fault("cips_search", "latency", ms=1000)
    with pytest.raises(pagoefectivo.APITimeoutError) as info:
        client.cips.get(1)
    assert info.value.code == "timeout"
    assert isinstance(info.value, pagoefectivo.APIConnectionError)


def test_wrong_credentials(sandbox: Sandbox) -> None:
    client = sandbox.client(secret_key="WRONGSECRET0000000000000000000000000000")
    with pytest.raises(pagoefectivo.AuthenticationError) as info:
        client.authenticate()
    assert info.value.http_status == 401 and "WRONGSECRET" not in str(info.value)


def test_amount_above_maximum() -> None:
    with Sandbox(max_amount=Decimal("100.00")) as sb:
        with pytest.raises(pagoefectivo.AmountAboveMaximumError) as info:
            sb.client(**FAST).cips.create(**order(amount=Decimal("100.01")))
    assert info.value.pe_code == "511"


def test_fourteen_digit_cip_numbers() -> None:
    with Sandbox(first_cip=99_999_999_999_990) as sb:
        client = sb.client(**FAST)
        cip = client.cips.create(**order())
        assert cip.cip == 99_999_999_999_990
        assert client.cips.get(cip.cip).cip == cip.cip


def test_from_env(sandbox: Sandbox) -> None:
    client = pagoefectivo.Client.from_env(sandbox.env())
    assert client.cips.create(**order()).cip > 0
    assert client.config.base_url == sandbox.base_url


def test_token_is_refreshed_after_expiry() -> None:
    with Sandbox(token_lifetime=3600) as sb:
        client = sb.client(**FAST)
        client.cips.create(**order())
        sb.advance_clock(timedelta(hours=2))
        client.cips.create(**order("ORD-2"))
        assert sb.request_count("authorizations") >= 2
