"""Runs the language-neutral cases of tests/conformance/*.json through the public Python API.

Typed markers (tests/conformance/README.md) become Python's native values before
the call: ``$float`` a ``float``, ``$decimal`` a ``Decimal``, ``$int`` an ``int``
(any size), ``$naive``/``$aware`` a naive/aware ``datetime``, ``$surrogate`` a
``str`` starting with a lone surrogate. A plain JSON number with a fraction is a
``float`` too (what ``json.loads`` gives). Every case of every file runs.
"""

from __future__ import annotations

import functools
import json
import re
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable, Optional

import pytest

import pagoefectivo
from pagoefectivo import reconcile, webhooks
from pagoefectivo.testing import Sandbox

from conftest import CONFORMANCE, FAST

MARKERS: dict[str, Callable[[str], Any]] = {
    "$float": float,
    "$decimal": Decimal,
    "$int": lambda text: int(Decimal(text)),  # int(str) stops at 4300 digits; a 5000-digit case exists
    "$naive": datetime.fromisoformat,
    "$aware": datetime.fromisoformat,
    "$surrogate": lambda text: "\ud800" + text,
}


def native(v: Any) -> Any:
    """A case's input with every typed marker replaced by the Python value it stands for."""
    if isinstance(v, dict):
        if len(v) == 1 and next(iter(v)) in MARKERS:
            [(marker, text)] = v.items()
            value = MARKERS[marker](text)
            if marker == "$naive":
                assert value.tzinfo is None, v
            if marker == "$aware":
                assert value.tzinfo is not None, v
            return value
        return {k: native(x) for k, x in v.items()}
    if isinstance(v, list):
        return [native(x) for x in v]
    return v


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CONFORMANCE.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


def snake(params: dict[str, Any]) -> dict[str, Any]:
    """camelCase keys as Python keyword arguments (``date_expire`` stays as misspelt)."""
    return {re.sub(r"(?<!^)(?=[A-Z])", "_", k).lower(): v for k, v in params.items()}


def wire(t: Optional[datetime]) -> Optional[str]:
    return None if t is None else pagoefectivo.format_time(t)


def text(v: Any) -> Optional[str]:
    """Decimals and dates as the cases write them; None stays None."""
    return None if v is None else (v.isoformat() if isinstance(v, date) else str(v))


def error_json(e: pagoefectivo.PagoEfectivoError) -> dict[str, Any]:
    return {
        "code": e.code,
        "reason": e.reason,
        "http_status": e.http_status,
        "pe_code": e.pe_code,
        "retryable": e.retryable,
        "fields": sorted({f.field for f in e.field_errors}),
        "attempts": e.attempts,
    }


def cip_json(c: pagoefectivo.Cip) -> dict[str, Any]:
    return {
        "cip": c.cip,
        "currency": c.currency,
        "amount": str(c.amount),
        "transactionCode": c.transaction_code,
        "dateExpiry": wire(c.date_expiry),
        "cipUrl": c.cip_url,
    }


def info_json(i: pagoefectivo.CipInfo) -> dict[str, Any]:
    return {
        "cip": i.cip,
        "transactionCode": i.transaction_code,
        "amount": str(i.amount),
        "currency": i.currency,
        "status": i.status.value,
        "statusCode": i.status_code,
        "statusName": i.status_name,
        "dateCreation": wire(i.date_creation),
        "dateExpiry": wire(i.date_expiry),
        "datePayment": wire(i.date_payment),
        "dateRemoval": wire(i.date_removal),
        "token": i.token,
    }


def event_json(e: webhooks.Event) -> dict[str, Any]:
    common = {"eventType": e.event_type, "dedupKey": e.dedup_key}
    return {**common, **typed_event_json(e)}


def typed_event_json(e: webhooks.Event) -> dict[str, Any]:
    if isinstance(e, webhooks.CipPaidEvent):
        return {
            "type": "cip_paid",
            "operationNumber": e.operation_number,
            "cip": e.cip,
            "currency": e.currency,
            "amount": str(e.amount),
            "paymentDate": wire(e.payment_date),
            "transactionCode": e.transaction_code,
        }
    if isinstance(e, webhooks.RefundEvent):
        return {
            "type": "refund",
            "eventType": e.event_type,
            "operationNumber": e.operation_number,
            "refundId": e.refund_id,
            "cip": e.cip,
            "merchantRefundId": e.merchant_refund_id,
            "currency": e.currency,
            "amount": str(e.amount),
            "status": e.status_name,
            "reasonCode": e.reason_code,
        }
    return {
        "type": "other",
        "eventType": e.event_type,
        "operationNumber": e.operation_number,
        "cip": e.cip,
        "body": e.body,
    }


def refund_json(r: pagoefectivo.Refund) -> dict[str, Any]:
    return {
        "refundId": r.refund_id,
        "cip": r.cip,
        "merchantRefundId": r.merchant_refund_id,
        "amount": str(r.amount),
        "currency": r.currency,
        "reason": r.reason,
        "status": r.status_name,
        "reasonCode": r.reason_code,
        "dateCreation": wire(r.date_creation),
        "dateUpdate": wire(r.date_update),
    }


def eligibility_json(e: pagoefectivo.RefundEligibility) -> dict[str, Any]:
    return {
        "cip": e.cip,
        "currency": e.currency,
        "paidAmount": str(e.paid_amount),
        "refundedAmount": str(e.refunded_amount),
        "refundableAmount": str(e.refundable_amount),
        "paymentDate": wire(e.payment_date),
        "deadline": wire(e.deadline),
        "secondsLeft": e.seconds_left,
        "blockedBy": e.blocked_by,
    }


def discrepancy_json(x: reconcile.Discrepancy) -> dict[str, Any]:
    return {
        "class": x.class_.value,
        "side": x.side,
        "orderId": x.order_id,
        "cip": x.cip,
        "currency": x.currency,
        "orderAmount": text(x.order_amount),
        "pagoefectivoAmount": text(x.pagoefectivo_amount),
        "difference": text(x.difference),
        "orderStatus": x.order_status,
        "pagoefectivoStatus": None if x.pagoefectivo_status is None else x.pagoefectivo_status.value,
        "orderRefunded": text(x.order_refunded),
        "pagoefectivoRefunded": text(x.pagoefectivo_refunded),
        "expiresAt": wire(x.expires_at),
        "paidAt": wire(x.paid_at),
        "expectedSettlement": text(x.expected_settlement),
        "orderLine": x.order_line,
        "pagoefectivoLine": x.pagoefectivo_line,
        "detail": x.detail,
    }


def reconciliation_json(r: reconcile.Reconciliation) -> dict[str, Any]:
    s = r.summary
    return {
        "summary": {
            "orders": s.orders,
            "payments": s.payments,
            "exceptions": s.exceptions,
            "counts": {c.value: n for c, n in s.counts.items()},
            "totals": [
                {"class": t.class_.value, "currency": t.currency, "count": t.count, "amount": str(t.amount)}
                for t in s.totals
            ],
            "asOf": text(s.as_of),
        },
        "exceptions": [discrepancy_json(x) for x in r.exceptions],
    }


def run_reconcile(data: dict[str, Any]) -> dict[str, Any]:
    result = reconcile.run(
        data["orders"], data["payments"], coverage=data.get("coverage"), **snake(data.get("options", {}))
    )
    return reconciliation_json(result)


def business_days(data: dict[str, Any]) -> dict[str, Any]:
    calendar = reconcile.Calendar()
    return {
        "due": calendar.add_business_days(data["date"], data["days"]).isoformat(),
        "isBusinessDay": calendar.is_business_day(data["date"]),
    }


# The options the keyword form of ``Deduplicator`` spells: ``url``, and milliseconds as ``timedelta``.
DEDUP_KEYWORDS = {"url": "url", "ttlMs": "ttl", "leaseMs": "lease"}


def deduplicators(options: dict[str, Any]) -> list[Callable[[], webhooks.Deduplicator]]:
    """Ways to make the case's deduplicator through the public API: the core's options object as is
    (``from_options``), and the keywords when the case uses only known options (a misspelt option
    has no keyword form: ``ttl`` is the keyword of ``ttlMs``)."""
    makers: list[Callable[[], webhooks.Deduplicator]] = [lambda: webhooks.Deduplicator.from_options(options)]
    if set(options) <= set(DEDUP_KEYWORDS):
        kwargs: dict[str, Any] = {
            DEDUP_KEYWORDS[k]: timedelta(milliseconds=v) if k.endswith("Ms") else v
            for k, v in options.items()
        }
        makers.append(lambda: webhooks.Deduplicator(**kwargs))
    return makers


def dedup_sequence(data: dict[str, Any], make: Callable[[], webhooks.Deduplicator]) -> list[Any]:
    """Each non-sleep step's answer, or ``{"error": ...}`` for a step that raised."""
    dedup = make()
    out: list[Any] = []
    for step in data["steps"]:
        if step["op"] == "sleep":
            time.sleep(step["ms"] / 1000)
            continue
        body = step["body"].encode()
        # The public API deduplicates verified events: sign the case's body, then verify it.
        event = webhooks.construct_event(body, webhooks.sign(body, "conformance"), "conformance")
        outcome = run(functools.partial(getattr(dedup, step["op"]), event))
        out.append(outcome[1] if outcome[0] == "ok" else {"error": outcome[1]})
    return out


def run_dedup(data: dict[str, Any]) -> tuple[str, Any]:
    outcomes = [run(functools.partial(dedup_sequence, data, make)) for make in deduplicators(data["options"])]
    assert all(o == outcomes[0] for o in outcomes), outcomes  # the keyword form answers the same
    return outcomes[0]


def check(want: Any, got: Any, path: str) -> None:
    """Partial match: every key of ``want`` must be in ``got`` with a matching value."""
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: want {want!r}, got {got!r}"
        for k, v in want.items():
            check(v, got.get(k), f"{path}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: want {want!r}, got {got!r}"
        for i, (w, g) in enumerate(zip(want, got)):
            check(w, g, f"{path}[{i}]")
    else:
        assert type(want) is type(got) and want == got, f"{path}: want {want!r}, got {got!r}"


def check_outcome(expect: dict[str, Any], outcome: tuple[str, Any]) -> None:
    kind, value = outcome
    if "ok" in expect:
        assert kind == "ok", f"want ok {expect['ok']!r}, got error {value!r}"
        check(expect["ok"], value, "ok")
    elif "error" in expect:
        assert kind == "error", f"want error {expect['error']!r}, got ok {value!r}"
        check(expect["error"], value, "error")


def run(call: Any) -> tuple[str, Any]:
    try:
        return ("ok", call())
    except pagoefectivo.PagoEfectivoError as e:
        return ("error", error_json(e))


def run_offline(op: str, data: Any) -> tuple[str, Any]:
    if op == "auth.hash_string":
        return run(
            lambda: pagoefectivo.hash_string(
                data["idService"], data["accessKey"], data["secretKey"], data["dateRequest"]
            )
        )
    if op == "webhook.verify":
        return run(
            lambda: event_json(
                webhooks.construct_event(data["body"].encode(), data["signature"], data["secret"])
            )
        )
    if op == "time.parse":
        return run(lambda: pagoefectivo.format_time(data))
    if op == "cip.status":
        return run(lambda: pagoefectivo.CipStatus.from_code(data).value)
    if op == "cip.validate_create":
        return run(lambda: pagoefectivo.validate_cip_request(**snake(data)))
    if op == "payee.cci":
        return run(lambda: pagoefectivo.validate_cci(data))
    if op == "refund.validate":
        return run(lambda: pagoefectivo.validate_refund_request(**snake(data)))
    if op == "reconcile.run":
        return run(lambda: run_reconcile(data))
    if op == "reconcile.business_days":
        return run(lambda: business_days(data))
    if op == "dedup.sequence":
        return run_dedup(data)
    if op == "config.from_env":

        def config() -> dict[str, Any]:
            c = pagoefectivo.Config.from_env(data)
            return {
                "baseUrl": c.base_url,
                "idService": c.id_service,
                "requestTimeoutMs": round(c.request_timeout * 1000),
                "maxAttempts": c.max_attempts,
            }

        return run(config)
    raise AssertionError(f"unknown op {op}")


def resolve(v: Any, saved: dict[str, Any]) -> Any:
    if isinstance(v, str) and v.startswith("$now+") and v.endswith("h"):
        return pagoefectivo.format_time(datetime.now(timezone.utc) + timedelta(hours=int(v[5:-1])))
    if isinstance(v, str) and v.startswith("$"):
        name, field = v[1:].split(".", 1)
        return saved[name][field]
    if isinstance(v, dict):
        return {k: resolve(x, saved) for k, x in v.items()}
    if isinstance(v, list):
        return [resolve(x, saved) for x in v]
    return v


def run_step(client: pagoefectivo.Client, sb: Sandbox, step: str, a: Any) -> tuple[str, Any]:
    cips = client.cips
    if step == "cips.create":
        return run(lambda: cip_json(cips.create(**snake(a))))
    if step == "cips.get":
        return run(lambda: info_json(cips.get(a["cip"])))
    if step == "cips.search":
        return run(lambda: [info_json(i) for i in cips.search(a["cips"])])
    if step == "cips.extend":
        return run(lambda: cips.extend(a["cip"], a["dateExpiry"]))
    if step == "cips.delete":
        return run(lambda: cips.delete(a["cip"]))
    if step == "cips.wait_for_final_status":
        return run(
            lambda: info_json(
                cips.wait_for_final_status(
                    a["cip"], timeout=a["timeoutMs"] / 1000, initial_interval=0.02, max_interval=0.2
                )
            )
        )
    refunds = client.refunds
    if step == "refunds.create":
        return run(lambda: refund_json(refunds.create(**snake(a))))
    if step == "refunds.get":
        return run(lambda: refund_json(refunds.get(a["refundId"])))
    if step == "refunds.list":
        return run(lambda: [refund_json(r) for r in refunds.list(a["cip"])])
    if step == "refunds.eligibility":
        return run(
            lambda: eligibility_json(refunds.eligibility(a["cip"], window_days=a.get("refundWindowDays")))
        )
    if step == "refunds.wait_for_final_status":
        return run(
            lambda: refund_json(
                refunds.wait_for_final_status(
                    a["refundId"], timeout=a["timeoutMs"] / 1000, initial_interval=0.02, max_interval=0.2
                )
            )
        )
    if step == "sandbox.refund":
        return run(lambda: (sb.advance_refund(a["refundId"], a["to"], a.get("reasonCode")), None)[1])
    if step == "sandbox.refund_count":
        return run(lambda: len(sb.refunds()))
    if step == "sandbox.pay":

        def pay() -> dict[str, Any]:
            p = sb.pay(a["cip"])
            return {"cip": p.cip, "operationNumber": p.operation_number}

        return run(pay)
    if step == "sandbox.expire":
        return run(lambda: sb.expire(a["cip"]))
    if step == "sandbox.advance_clock":
        return run(lambda: (sb.advance_clock(a["seconds"]), None)[1])
    if step == "sandbox.fault":
        return run(lambda: sb.add_fault(**a))
    if step == "sandbox.request_count":
        return run(lambda: sb.request_count(a["endpoint"]))
    if step == "sandbox.deliveries":
        return run(
            lambda: [
                {
                    "eventType": d.event_type,
                    "body": d.body.decode(),
                    "signature": d.signature,
                    "statuses": d.statuses,
                }
                for d in sb.wait_for_deliveries(a["count"], timeout=5)
            ]
        )
    if step == "webhook.verify_delivery":

        def verify() -> dict[str, Any]:
            d = sb.deliveries()[a["index"]]
            return event_json(webhooks.construct_event(d.body, d.signature, sb.secret_key))

        return run(verify)
    raise AssertionError(f"unknown scenario step {step}")


def run_scenario(data: dict[str, Any]) -> None:
    sandbox_opts = data.get("sandbox", {})
    client_opts = data.get("client", {})
    with Sandbox(
        token_lifetime=sandbox_opts.get("tokenLifetimeSeconds"),
        max_amount=sandbox_opts.get("maxAmount"),
    ) as sb:
        options: dict[str, Any] = dict(FAST)
        if "maxAttempts" in client_opts:
            options["max_attempts"] = client_opts["maxAttempts"]
        if "requestTimeoutMs" in client_opts:
            options["request_timeout"] = client_opts["requestTimeoutMs"] / 1000
        if "secretKey" in client_opts:
            options["secret_key"] = client_opts["secretKey"]
        client = sb.client(**options)
        saved: dict[str, Any] = {}
        for i, step in enumerate(data["steps"]):
            args = native(resolve(step.get("args"), saved))
            outcome = run_step(client, sb, step["do"], args)
            expect = resolve(step.get("expect", {}), saved)
            if not expect:
                assert outcome[0] == "ok", f"step {i} {step['do']}: unexpected error {outcome[1]!r}"
            try:
                check_outcome(expect, outcome)
            except AssertionError as e:
                raise AssertionError(f"step {i} {step['do']}: {e}") from None
            if "save" in step and outcome[0] == "ok":
                saved[step["save"]] = outcome[1]


@pytest.mark.parametrize("case", load_cases())
def test_conformance(case: dict[str, Any]) -> None:
    if case["op"] == "scenario":
        run_scenario(case["input"])
    else:
        check_outcome(case["expect"], run_offline(case["op"], native(case["input"])))


def test_every_file_and_operation_runs() -> None:
    cases = [p.values[0] for p in load_cases()]
    files = {p.stem for p in CONFORMANCE.glob("*.json")}
    assert {"refunds", "reconcile", "boundary", "fidelity", "hostile", "dedup"} <= files, files
    markers = {k for c in cases for k in json.dumps(c["input"]).split('"') if k in MARKERS}
    assert markers == set(MARKERS), markers  # every marker is exercised, none is unknown
    ops = {c["op"] for c in cases}
    assert {
        "payee.cci",
        "refund.validate",
        "reconcile.run",
        "reconcile.business_days",
        "dedup.sequence",
    } <= ops
    assert len(cases) > 150, len(cases)
