"""The independently computed vectors of tests/vectors/, through the public Python API."""

from __future__ import annotations

import json
from typing import Any

import pytest

import pagoefectivo
from pagoefectivo import webhooks

from conftest import VECTORS


def load(name: str) -> list[Any]:
    vectors: list[Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))["vectors"]
    return vectors


@pytest.mark.parametrize("v", load("auth-hashstring.json"), ids=lambda v: v["name"])
def test_hash_string(v: dict[str, Any]) -> None:
    got = pagoefectivo.hash_string(v["idService"], v["accessKey"], v["secretKey"], v["dateRequest"])
    assert got == v["hashString"]


@pytest.mark.parametrize("v", load("webhook-signature.json"), ids=lambda v: v["name"])
def test_webhook_signature(v: dict[str, Any]) -> None:
    body = v["body"].encode()
    if v["valid"]:
        event = webhooks.construct_event(body, v["signature"], v["secret"])
        parsed = json.loads(body)
        assert event.event_type == parsed["eventType"]
        assert str(event.cip) == parsed["data"]["cip"]
        sig = v["signature"]
        if sig.strip() == sig and sig == sig.lower():
            assert webhooks.sign(body, v["secret"]) == sig
    else:
        with pytest.raises(pagoefectivo.SignatureVerificationError) as info:
            webhooks.construct_event(body, v["signature"], v["secret"])
        assert info.value.code == "signature_verification_failed"
        assert info.value.reason == v["reason"]


def test_vector_files_are_not_empty() -> None:
    assert len(load("auth-hashstring.json")) >= 9
    assert len(load("webhook-signature.json")) >= 19
