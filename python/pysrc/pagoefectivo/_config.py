"""``Config``: keyword options converted to the core's options object; the core reads and checks them."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any, Mapping, Optional, Union

from . import _native
from ._types import Seconds
from .errors import ConfigurationError, FieldError, ValidationError

PathLike = Union[str, "os.PathLike[str]"]

# Keyword options in seconds (float or timedelta) and the core's millisecond option each becomes.
_MILLIS = {
    "connect_timeout": "connect_timeout_ms",
    "request_timeout": "request_timeout_ms",
    "total_timeout": "total_timeout_ms",
    "initial_backoff": "initial_backoff_ms",
    "max_backoff": "max_backoff_ms",
    "token_refresh_margin": "token_refresh_margin_ms",
}


def _seconds(value: Any) -> Optional[float]:
    """Seconds as a finite float, or None when ``value`` is not a duration (the caller refuses it)."""
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def millis(value: Any, name: str, *, config: bool = False) -> int:
    """A duration in seconds (int, float) or a ``timedelta`` as whole milliseconds (the core's unit)."""
    secs = _seconds(value)
    if secs is None:
        why = "must be a number of seconds or a datetime.timedelta"
        if config:
            raise ConfigurationError(f"{name} {why}")
        raise ValidationError(f"{name} {why}", field_errors=(FieldError(name, "113", why),))
    return round(secs * 1000)


def wait_options(timeout: Seconds, initial_interval: Seconds, max_interval: Seconds) -> dict[str, int]:
    """``wait_for_final_status`` options in the core's milliseconds (the core bounds them)."""
    return {
        "timeoutMs": millis(timeout, "timeout"),
        "initialIntervalMs": millis(initial_interval, "initial_interval"),
        "maxIntervalMs": millis(max_interval, "max_interval"),
    }


def options(given: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword options as the core's: seconds to ``*_ms``, ``refund_window`` to days, the rest as is."""
    out: dict[str, Any] = {}
    for name, value in given.items():
        if value is None:
            continue
        if name in _MILLIS:
            out[_MILLIS[name]] = millis(value, name, config=True)
        elif name == "refund_window":
            days = millis(value, name, config=True) / 86_400_000
            if not days.is_integer():
                raise ConfigurationError("refund_window must be a whole number of days")
            out["refund_window_days"] = int(days)
        else:
            out[name] = value
    return out


@dataclass(frozen=True, init=False, repr=False)
class Config:
    """Everything one merchant store needs, as the core read it; the secret key is never readable back.

    Keyword options (``access_key``, ``secret_key``, ``id_service``, ``environment``,
    durations in seconds or as ``timedelta``, ``proxy``, ``ca_file``...) or
    ``Config.from_env()``. The attributes are the core's ``Settings``, the same
    fields in every language (durations in milliseconds; ``request_timeout`` and
    the other second-valued properties are kept for convenience).
    """

    environment: str
    """``sandbox``, ``production`` or ``custom`` (a URL of your own: the local sandbox, a proxy)."""
    base_url: str
    id_service: int
    access_key: str
    connect_timeout_ms: int
    request_timeout_ms: int
    total_timeout_ms: int
    max_attempts: int
    initial_backoff_ms: int
    max_backoff_ms: int
    language: str
    user_agent: Optional[str]
    search_batch_size: int
    token_refresh_margin_ms: int
    refunds_path: str
    refund_window_days: int
    reports_path: str
    max_response_bytes: int
    proxy: Optional[str]
    """The proxy URL with any user and password replaced by ``[REDACTED]``."""
    no_proxy: Optional[str]
    ca_file: Optional[str]
    token_store: Optional[str]
    """The shared token store's URL (PostgreSQL, Redis), any password replaced by ``[REDACTED]``."""
    _core: _native.Config = field(compare=False)

    def __init__(
        self,
        *,
        access_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        id_service: Optional[int] = None,
        environment: Optional[str] = None,
        base_url: Optional[str] = None,
        connect_timeout: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        total_timeout: Optional[Seconds] = None,
        max_attempts: Optional[int] = None,
        initial_backoff: Optional[Seconds] = None,
        max_backoff: Optional[Seconds] = None,
        language: Optional[str] = None,
        user_agent: Optional[str] = None,
        search_batch_size: Optional[int] = None,
        token_refresh_margin: Optional[Seconds] = None,
        refunds_path: Optional[str] = None,
        refund_window: Optional[Seconds] = None,
        reports_path: Optional[str] = None,
        max_response_bytes: Optional[int] = None,
        proxy: Optional[str] = None,
        no_proxy: Optional[str] = None,
        ca_file: Optional[PathLike] = None,
        token_store: Optional[str] = None,
        **other: Any,
    ) -> None:
        """``other``: any further option of the core (``request_timeout_ms``, ``retry={...}``...); an
        unknown one is a ``ConfigurationError`` naming it."""
        given = dict(locals())
        for name in ("self", "other", "__class__"):
            given.pop(name, None)
        self._load(_native.Config(options({**given, **other})))

    def _load(self, native: _native.Config) -> None:
        settings: dict[str, Any] = native.settings()
        for f in fields(self):
            if f.name != "_core":
                camel = f.name.split("_")[0] + "".join(p.title() for p in f.name.split("_")[1:])
                object.__setattr__(self, f.name, settings[camel])
        object.__setattr__(self, "_core", native)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> Config:
        """From ``PAGOEFECTIVO_*`` variables: ``os.environ``, or the mapping given."""
        source = os.environ if environ is None else environ
        env = {k: v for k, v in source.items() if isinstance(k, str) and k.startswith("PAGOEFECTIVO_")}
        config = cls.__new__(cls)
        config._load(_native.Config({"env": env}))
        return config

    @property
    def connect_timeout(self) -> float:
        """Seconds (``connect_timeout_ms`` / 1000)."""
        return self.connect_timeout_ms / 1000

    @property
    def request_timeout(self) -> float:
        return self.request_timeout_ms / 1000

    @property
    def total_timeout(self) -> float:
        return self.total_timeout_ms / 1000

    @property
    def initial_backoff(self) -> float:
        return self.initial_backoff_ms / 1000

    @property
    def max_backoff(self) -> float:
        return self.max_backoff_ms / 1000

    @property
    def token_refresh_margin(self) -> float:
        return self.token_refresh_margin_ms / 1000

    @property
    def refund_window(self) -> float:
        """Seconds (``refund_window_days`` days): refunds are allowed this long after payment."""
        return float(self.refund_window_days * 86400)

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain data (snake_case keys): no secret key, no proxy password."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "_core"}

    def __repr__(self) -> str:
        return (
            f"Config(base_url={self.base_url!r}, id_service={self.id_service}, "
            f"access_key={self.access_key!r}, "
            f"secret_key='[REDACTED]', request_timeout={self.request_timeout}, "
            f"total_timeout={self.total_timeout}, max_attempts={self.max_attempts}, proxy={self.proxy!r})"
        )
