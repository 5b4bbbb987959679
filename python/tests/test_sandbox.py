"""pagoefectivo.testing.Sandbox: the control API merchants use to test their own integration."""

from __future__ import annotations

from datetime import timedelta

import pytest

import pagoefectivo
from pagoefectivo.testing import Sandbox, SandboxError

from conftest import order


def test_options_and_control_errors_are_the_shared_drivers() -> None:
    with pytest.raises(pagoefectivo.ValidationError) as info:
        Sandbox(token_lifetime=0.5)  # whole seconds only
    assert [f.field for f in info.value.field_errors] == ["token_lifetime_seconds"]
    with Sandbox(id_service=42, first_cip=5_000_000, token_lifetime=timedelta(minutes=5)) as sb:
        assert sb.id_service == 42 and sb.client().cips.create(**order()).cip == 5_000_000
        with pytest.raises(SandboxError) as error:
            sb.expire(4242)
        e = error.value
        assert (e.code, e.reason, e.args[1]) == ("not_found", "unknown_cip", "unknown_cip")
        assert isinstance(e, pagoefectivo.PagoEfectivoError) and "4242" in str(e)


def test_context_manager_stops_the_server() -> None:
    with Sandbox() as sb:
        client = sb.client(max_attempts=1, connect_timeout=1)
        client.authenticate()
        assert sb.base_url == f"http://127.0.0.1:{sb.port}/v1/"
    with pytest.raises(pagoefectivo.APIConnectionError):
        client.authenticate()
    sb.close()  # idempotent


def test_control_calls(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    cip = client.cips.create(**order())
    record = sandbox.cip(cip.cip)
    assert record is not None and record["status"] == "generated" and record["transactionCode"] == "ORD-1"
    assert sandbox.cip(1) is None
    before = sandbox.now()
    after = sandbox.advance_clock(timedelta(hours=1))
    assert after - before >= timedelta(hours=1)
    sandbox.expire(cip.cip)
    with pytest.raises(SandboxError) as info:
        sandbox.pay(cip.cip)
    assert info.value.args[1] == "invalid_state"
    with pytest.raises(SandboxError) as info:
        sandbox.pay(424242)
    assert info.value.args[1] == "unknown_cip"


def test_faults_are_listed_counted_and_cleared(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    sandbox.add_fault("any", "latency", ms=1, rate=0.5)
    sandbox.add_fault("cips_create", "status", status=429, retry_after=0, times=2)
    assert [f["kind"] for f in sandbox.faults()] == ["latency", "status"]
    sandbox.clear_faults()
    assert sandbox.faults() == []
    client.cips.create(**order())
    assert sandbox.request_count("cips_create") == 1 and sandbox.request_count() == 2
    with pytest.raises(ValueError):
        sandbox.add_fault("cips_create", "status")  # a status fault needs a status
    with pytest.raises(ValueError):
        sandbox.request_count("nowhere")  # type: ignore[arg-type]


def test_undelivered_notification_is_recorded(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    cip = client.cips.create(**order())
    sandbox.pay(cip.cip)
    [delivery] = sandbox.wait_for_deliveries(1, timeout=5)
    assert delivery.event_type == "cip.paid" and delivery.attempts[0].error == "no notification url"
    event = pagoefectivo.webhooks.construct_event(delivery.body, delivery.signature, sandbox.secret_key)
    assert event.cip == cip.cip


def test_custom_credentials() -> None:
    with Sandbox(id_service=42, access_key="MYACCESS", secret_key="MYSECRET") as sb:
        assert sb.client().cips.create(**order()).cip > 0
        with pytest.raises(pagoefectivo.AuthenticationError):
            sb.client(secret_key="OTHER").authenticate()
