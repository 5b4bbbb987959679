"""Helpers that need no client: each is one operation of the core (``pagoefectivo::boundary::ops``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from . import _native
from ._types import Time


def hash_string(id_service: int, access_key: str, secret_key: str, date_request: str) -> str:
    """``hashString`` of the authorization request, as PagoEfectivo computes it."""
    args = {
        "idService": id_service,
        "accessKey": access_key,
        "secretKey": secret_key,
        "dateRequest": date_request,
    }
    return cast(str, _native.call("auth.hash_string", args))


def format_time(value: Time) -> str:
    """An aware datetime (or a time with its offset) in the wire form ``yyyy-MM-ddTHH:mm:ss-05:00``.

    A naive datetime, or text without an offset, is a ``ValidationError``: the instant is ambiguous.
    """
    return cast(str, _native.call("time.parse", {"time": value}))


def parse_time(text: Time) -> datetime:
    """A time with its UTC offset as an aware datetime in Lima time (-05:00); no offset is refused."""
    return datetime.fromisoformat(format_time(text))


def error_table() -> dict[str, Any]:
    """The core's error taxonomy: ``{"families": [{name, code}], "codes": [{code, family, root,
    retryable, http}]}``; the classes of ``pagoefectivo.errors`` follow it."""
    return _native.error_table()
