"""Secrets never appear in a repr, a str, an exception, a pickled exception or a log record."""

from __future__ import annotations

import logging
import pickle

import pytest

import pagoefectivo
from pagoefectivo import webhooks
from pagoefectivo.testing import Sandbox

from conftest import FAST, order

SECRET = "SECRETKEY0000000000000000000000000000000"


def test_reprs_hide_the_secret(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    for obj in (client, client.config, client._native, sandbox, sandbox._native):
        assert SECRET not in repr(obj) and SECRET not in str(obj)
    assert "[REDACTED]" in repr(client.config)
    assert not hasattr(client.config, "secret_key")


def test_logs_hide_the_secret_and_token(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.client(**FAST)
    with caplog.at_level(logging.DEBUG, logger="pagoefectivo"):
        cip = client.cips.create(**order())
        client.cips.get(cip.cip)
        with pytest.raises(pagoefectivo.AuthenticationError):
            sandbox.client(secret_key="OTHERSECRET0000000000000000000000000000").authenticate()
    text = "\n".join(f"{r.getMessage()} {getattr(r, 'pagoefectivo', '')}" for r in caplog.records)
    assert "cips.create" in text and "hashString" in text  # the debug bodies were logged...
    assert SECRET not in text and "OTHERSECRET" not in text  # ...redacted
    assert "Bearer" not in text and "eyJ" not in text  # no JWT


def test_exceptions_hide_the_secret_and_pickle(sandbox: Sandbox) -> None:
    with pytest.raises(pagoefectivo.AuthenticationError) as info:
        sandbox.client(secret_key="OTHERSECRET0000000000000000000000000000").authenticate()
    e = info.value
    for text in (str(e), repr(e), str(e.__dict__)):
        assert "OTHERSECRET" not in text
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is type(e) and copy.code == e.code and copy.http_status == 401 and str(copy) == str(e)


def test_padded_secret_error_does_not_echo_it() -> None:
    with pytest.raises(pagoefectivo.ConfigurationError) as info:
        pagoefectivo.Config(access_key="A", secret_key=SECRET + "\n", id_service=1)
    assert SECRET not in str(info.value) and "whitespace" in str(info.value)


def test_webhook_mismatch_does_not_echo_the_secret() -> None:
    body = b'{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"5","currency":"PEN","amount":1.00}}'
    with pytest.raises(pagoefectivo.SignatureVerificationError) as info:
        webhooks.construct_event(body, webhooks.sign(body, SECRET), SECRET + "x")
    assert SECRET not in str(info.value) and info.value.reason == "signature_mismatch"
    assert info.value.hint


def test_the_proxy_password_never_shows(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    password = "pr0xy-s3cret-w0rd"
    client = sandbox.client(proxy=f"http://shop:{password}@127.0.0.1:9", max_attempts=1, connect_timeout=1)
    with caplog.at_level(logging.DEBUG, logger="pagoefectivo"):
        with pytest.raises(pagoefectivo.APIConnectionError) as info:
            client.authenticate()  # the proxy is not there: a connection error
    e = info.value
    shown = [repr(client), str(client.config), repr(client.config), str(client.config.to_dict())]
    shown += [str(e), repr(e), str(e.__dict__), str(pickle.loads(pickle.dumps(e)))]
    shown += [f"{r.getMessage()} {getattr(r, 'pagoefectivo', '')}" for r in caplog.records]
    for text in shown:
        assert password not in text, text
    assert client.config.proxy == "http://[REDACTED]@127.0.0.1:9"


@pytest.mark.parametrize("scheme", ["postgres://shop", "redis://shop", "redis://"])
def test_a_dedup_store_password_never_shows(scheme: str, caplog: pytest.LogCaptureFixture) -> None:
    """A store URL's password is in no repr, error (message, repr, pickle) or log record, even when
    the store is unreachable (nothing listens on port 9 of loopback)."""
    body = b'{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"5","currency":"PEN","amount":1.00}}'
    event = webhooks.construct_event(body, webhooks.sign(body, "k"), "k")
    url = f"{scheme}:hunter2@127.0.0.1:9/0"
    with caplog.at_level(logging.DEBUG, logger="pagoefectivo"):
        dedup = webhooks.Deduplicator.from_url(url, ttl=60)
        assert "hunter2" not in repr(dedup) and "hunter2" not in str(dedup)
        with pytest.raises(pagoefectivo.APIConnectionError) as info:
            dedup.begin(event)
        with pytest.raises(pagoefectivo.ConfigurationError) as bad:
            webhooks.Deduplicator.from_url("postgres://shop:hunter2@127.0.0.1:9/0?sslmode=nonsense")
    for e in (info.value, bad.value, pickle.loads(pickle.dumps(info.value))):
        for text in (str(e), repr(e), str(e.__dict__)):
            assert "hunter2" not in text
    assert info.value.reason == "store_unavailable"
    assert "hunter2" not in caplog.text
