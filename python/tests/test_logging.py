"""Rust log events reach Python's logging under the `pagoefectivo` logger, at its configured level."""

from __future__ import annotations

import logging

import pytest

import pagoefectivo
from pagoefectivo.testing import Sandbox

from conftest import order


def test_info_records_one_per_attempt(client: pagoefectivo.Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pagoefectivo"):
        client.cips.create(**order())
    records = [r for r in caplog.records if r.name == "pagoefectivo"]
    assert records and all(r.levelno == logging.INFO for r in records)
    fields = [r.pagoefectivo for r in records]  # type: ignore[attr-defined]
    assert [f["operation"] for f in fields] == ["authorizations", "cips.create"]
    assert all(f["request_id"].startswith("req_") for f in fields)
    assert "status=201" in records[-1].getMessage()


def test_nothing_below_the_logger_level(
    client: pagoefectivo.Client, caplog: pytest.LogCaptureFixture
) -> None:
    logging.getLogger("pagoefectivo").setLevel(logging.WARNING)
    try:
        with caplog.at_level(logging.DEBUG):
            client.cips.create(**order())
        assert not [r for r in caplog.records if r.name.startswith("pagoefectivo")]
    finally:
        logging.getLogger("pagoefectivo").setLevel(logging.NOTSET)


def test_retries_are_logged_as_warnings_or_info(
    client: pagoefectivo.Client, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.add_fault("cips_create", "status", status=503, times=1)
    with caplog.at_level(logging.DEBUG, logger="pagoefectivo"):
        client.cips.create(**order())
    statuses = [r.pagoefectivo.get("status") for r in caplog.records if hasattr(r, "pagoefectivo")]
    assert "503" in statuses and "201" in statuses
