"""Bad input of every kind gets a typed exception with a stable code; nothing crashes the interpreter."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import pagoefectivo
from pagoefectivo import webhooks

from conftest import order

SECRET = "SECRETKEY0000000000000000000000000000000"


def fields(e: pagoefectivo.PagoEfectivoError) -> list[str]:
    return sorted(f.field for f in e.field_errors)


def test_float_amount_is_refused_with_the_field_named(client: pagoefectivo.Client) -> None:
    with pytest.raises(pagoefectivo.ValidationError) as info:
        client.cips.create(**order(amount=25.5))
    e = info.value
    assert isinstance(e, ValueError) and e.code == "validation_error" and e.attempts == 0
    assert fields(e) == ["amount"] and "float" in e.field_errors[0].message
    assert "float" in str(e)


def test_every_problem_at_once(client: pagoefectivo.Client) -> None:
    with pytest.raises(pagoefectivo.ValidationError) as info:
        client.cips.create(currency="EUR", amount=0.1, transaction_code=7.5, user_email="x")  # type: ignore[arg-type]
    assert fields(info.value) == ["amount", "currency", "transactionCode", "userEmail"]


def test_missing_required_fields_are_field_errors(client: pagoefectivo.Client) -> None:
    with pytest.raises(pagoefectivo.ValidationError) as info:
        client.cips.create()
    assert fields(info.value) == ["amount", "currency", "transactionCode", "userEmail"]


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-1"),
        Decimal("0"),
        Decimal("1.001"),
        True,
        b"1",
        [1],
        "1e999",
    ],
)
def test_bad_amounts(client: pagoefectivo.Client, amount: Any) -> None:
    with pytest.raises(pagoefectivo.ValidationError) as info:
        client.cips.create(**order(amount=amount))
    assert fields(info.value) == ["amount"]


def test_naive_datetime_is_refused(client: pagoefectivo.Client) -> None:
    with pytest.raises(pagoefectivo.ValidationError) as info:
        client.cips.create(**order(date_expiry=datetime.now() + timedelta(days=1)))
    assert fields(info.value) == ["dateExpiry"] and "aware" in str(info.value)
    cip = client.cips.create(**order())
    with pytest.raises(pagoefectivo.ValidationError):
        client.cips.extend(cip.cip, datetime.now() + timedelta(days=1))
    with pytest.raises(pagoefectivo.ValidationError):
        client.cips.extend(cip.cip, date.today())  # type: ignore[arg-type]
    with pytest.raises(pagoefectivo.ValidationError):
        client.cips.extend(cip.cip, "not a time")


@pytest.mark.parametrize("cip", [0, -1, True, 2**64, 10**14, 1.0, "12a", "", None, Decimal("5.5"), b"5"])
def test_bad_cip_numbers(client: pagoefectivo.Client, cip: Any) -> None:
    # The core's rule: an int or a digit string of 1 to 14 digits, not 0 ("123" is a CIP number).
    for call in (client.cips.get, client.cips.delete, lambda c: client.cips.search([c])):
        with pytest.raises(pagoefectivo.ValidationError) as info:
            call(cip)
        assert info.value.attempts == 0


def test_search_needs_a_list(client: pagoefectivo.Client) -> None:
    with pytest.raises(pagoefectivo.ValidationError):
        client.cips.search("123")  # type: ignore[arg-type]
    with pytest.raises(pagoefectivo.ValidationError):
        client.cips.search(5)  # type: ignore[arg-type]


def test_bad_wait_options(client: pagoefectivo.Client) -> None:
    for bad in (-1, float("nan"), "10", None):
        with pytest.raises(pagoefectivo.ValidationError):
            client.cips.wait_for_final_status(1, timeout=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"access_key": "A", "secret_key": "S"},
        {"access_key": "A", "secret_key": "S\n", "id_service": 1},
        {"access_key": "A", "secret_key": "S", "id_service": 12345},
        {"access_key": "A", "secret_key": "S", "id_service": -1},
        {"access_key": "A", "secret_key": "S", "id_service": "twelve"},
        {"access_key": 5, "secret_key": "S", "id_service": 1},
        {"access_key": "A", "secret_key": "S", "id_service": 1, "environment": "moon"},
        {"access_key": "A", "secret_key": "S", "id_service": 1, "base_url": "http://example.com/v1"},
        {"access_key": "A", "secret_key": "S", "id_service": 1, "request_timeout": 0},
        {"access_key": "A", "secret_key": "S", "id_service": 1, "request_timeout": "30"},
        {"access_key": "A", "secret_key": "S", "id_service": 1, "max_attempts": 0},
        {"access_key": "A", "secret_key": "S", "id_service": 1, "language": "fr"},
        {"access_key": "A", "secret_key": "S", "id_service": 1, "search_batch_size": 500},
        {
            "access_key": "A",
            "secret_key": "S",
            "id_service": 1,
            "environment": "production",
            "base_url": "https://pre1a.services.pagoefectivo.pe/v1/",
        },
    ],
)
def test_bad_configuration(options: dict[str, Any]) -> None:
    with pytest.raises(pagoefectivo.ConfigurationError) as info:
        pagoefectivo.Client(**options)
    assert info.value.code == "configuration_error" and "S\n" not in str(info.value)


def test_config_and_options_together_is_a_type_error(client: pagoefectivo.Client) -> None:
    with pytest.raises(TypeError):
        pagoefectivo.Client(client.config, max_attempts=2)


@pytest.mark.parametrize("body", ['{"a":1}', {"eventType": "cip.paid"}, ["x"], None, 5])
def test_webhook_body_must_be_bytes(body: Any) -> None:
    with pytest.raises(pagoefectivo.RawBodyError) as info:
        webhooks.construct_event(body, "00" * 32, SECRET)
    e = info.value
    assert isinstance(e, TypeError) and isinstance(e, pagoefectivo.ValidationError)
    assert "request.body" in str(e) and "request.get_data()" in str(e) and "await request.body()" in str(e)


def test_webhook_accepts_bytearray_and_memoryview() -> None:
    body = b'{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"5","currency":"PEN","amount":1.00}}'
    sig = webhooks.sign(body, "k")
    for raw in (bytearray(body), memoryview(body)):
        assert webhooks.construct_event(raw, sig, "k").cip == 5


def test_webhook_bad_signatures() -> None:
    body = b"{}"
    for sig, reason in [
        (None, "missing_signature"),
        ("", "missing_signature"),
        ("zz", "malformed_signature"),
    ]:
        with pytest.raises(pagoefectivo.SignatureVerificationError) as info:
            webhooks.construct_event(body, sig, "k")
        assert info.value.reason == reason
    with pytest.raises(pagoefectivo.ValidationError):
        webhooks.construct_event(body, 123, "k")  # type: ignore[arg-type]


def test_random_inputs_never_crash(client: pagoefectivo.Client) -> None:
    rng = random.Random(4)
    values: list[Any] = [
        None,
        True,
        0,
        -5,
        2**70,
        1.5,
        float("nan"),
        "",
        "x" * 500,
        "ñ" * 40,
        "\x00",
        b"\xff",
        [],
        {},
        (),
        Decimal("1.23"),
        Decimal("-0"),
        Decimal("sNaN"),
        datetime.now(),
        date.today(),
        object(),
    ]
    keys = [
        "currency",
        "amount",
        "transaction_code",
        "user_email",
        "date_expiry",
        "payment_concept",
        "user_phone",
        "user_code_country",
        "user_document_type",
        "user_ubigeo",
    ]
    for _ in range(300):
        params = {k: rng.choice(values) for k in rng.sample(keys, rng.randint(0, len(keys)))}
        try:
            pagoefectivo.validate_cip_request(**params)
        except pagoefectivo.ValidationError as e:
            assert e.field_errors and e.code == "validation_error"
    for value in values:
        for call in (client.cips.get, lambda v: webhooks.construct_event(v, "0" * 64, "k")):
            try:
                call(value)
            except pagoefectivo.PagoEfectivoError as e:
                assert e.code
