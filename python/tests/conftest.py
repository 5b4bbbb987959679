"""Shared fixtures: a fresh sandbox per test and a client with short back-offs, over loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

import pagoefectivo
from pagoefectivo.testing import Sandbox

REPO = Path(__file__).resolve().parents[2]
CONFORMANCE = REPO / "tests" / "conformance"
VECTORS = REPO / "tests" / "vectors"

# Short back-offs keep fault tests fast (as core/tests/common/mod.rs does).
FAST: dict[str, Any] = {
    "request_timeout": 5.0,
    "total_timeout": 15.0,
    "max_attempts": 3,
    "initial_backoff": 0.01,
    "max_backoff": 0.05,
}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> pagoefectivo.Client:
    return sandbox.client(**FAST)


@pytest.fixture
def aclient(sandbox: Sandbox) -> pagoefectivo.AsyncClient:
    return sandbox.async_client(**FAST)


def order(code: str = "ORD-1", **extra: Any) -> dict[str, Any]:
    from decimal import Decimal

    params: dict[str, Any] = {
        "currency": "PEN",
        "amount": Decimal("25.50"),
        "transaction_code": code,
        "user_email": "buyer@example.pe",
    }
    params.update(extra)
    return params
