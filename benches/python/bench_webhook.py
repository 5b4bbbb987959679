"""Webhook verify + parse from Python: pagoefectivo vs stripe-python vs standardwebhooks, same body size."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import platform
import statistics
import time
from decimal import Decimal

import stripe
from standardwebhooks.webhooks import Webhook as StandardWebhook

import pagoefectivo
from pagoefectivo import webhooks
from rounds import interleaved, ratio_line, ratios, value_line

# The cip.paid notification of the Rust criterion bench (core/benches/crypto.rs): 297 bytes.
BODY = (
    b'{"eventType":"cip.paid","operationNumber":"795589760510","data":{"cip":"2503005084688",'
    b'"currency":"PEN","amount":90832.20,"paymentDate":"2026-11-21T09:15:00-05:00",'
    b'"transactionCode":"ORD-2026-000981-STORE-LIMA-MIRAFLORES-0001",'
    b'"paymentConcept":"Pedido web 000981, 3 articulos, envio a domicilio"}}'
)
SECRET = "whsec_demo_1a2b3c4d5e6f7g8h9i0j"


def ours() -> object:
    return webhooks.construct_event(BODY, OURS_SIG, SECRET)


OURS_SIG = webhooks.sign(BODY, SECRET)

# stripe: "t=<ts>,v1=<hex hmac of 't.body'>", JSON parsed into a stripe.Event.
STRIPE_TS = int(time.time())
STRIPE_SIG = "t={},v1={}".format(
    STRIPE_TS, hmac.new(SECRET.encode(), f"{STRIPE_TS}.".encode() + BODY, hashlib.sha256).hexdigest()
)


def theirs_stripe() -> object:
    return stripe.Webhook.construct_event(BODY, STRIPE_SIG, SECRET, tolerance=None)


# standardwebhooks: base64 HMAC of "id.ts.body" with a base64 secret, JSON parsed to a dict.
SW_SECRET = "whsec_" + base64.b64encode(SECRET.encode()).decode()
SW_ID, SW_TS = "msg_2523136", str(int(time.time()))
SW_SIG = (
    "v1,"
    + base64.b64encode(
        hmac.new(SECRET.encode(), f"{SW_ID}.{SW_TS}.".encode() + BODY, hashlib.sha256).digest()
    ).decode()
)
SW_HEADERS = {"webhook-id": SW_ID, "webhook-timestamp": SW_TS, "webhook-signature": SW_SIG}
SW = StandardWebhook(SW_SECRET)


def theirs_standard() -> object:
    return SW.verify(BODY, SW_HEADERS)


def plain(body: bytes = BODY, sig: str = OURS_SIG) -> object:
    """What a merchant writes by hand: HMAC, constant-time compare, json.loads with exact amounts."""
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sig):
        raise ValueError("bad signature")
    return json.loads(body, parse_float=Decimal)


def main() -> None:
    assert len(BODY) == 297
    assert isinstance(ours(), webhooks.CipPaidEvent)
    assert json.loads(BODY) == json.loads(json.dumps(theirs_standard()))
    theirs_stripe()
    plain()
    cases = {
        "pagoefectivo.webhooks.construct_event": ours,
        "stripe.Webhook.construct_event": theirs_stripe,
        "standardwebhooks Webhook.verify": theirs_standard,
        "plain hmac + compare_digest + json.loads": plain,
    }
    calls = int(os.environ.get("PY_BENCH_CALLS", "20000"))
    rounds = int(os.environ.get("PY_BENCH_ROUNDS", "9"))
    times = interleaved(cases, calls, rounds)
    print(
        f"body {len(BODY)} bytes; Python {platform.python_version()}; pagoefectivo {pagoefectivo.__version__}"
    )
    print(f"{rounds} interleaved rounds x {calls} calls; µs/call, min / median")
    for name, us in times.items():
        print(f"{name:42s} {min(us):7.2f} / {statistics.median(us):7.2f}")
    mine = times["pagoefectivo.webhooks.construct_event"]
    print(value_line("python_webhook_verify_parse", mine, "us", "construct_event of the 297-byte cip.paid"))
    for name, key, target in [
        ("stripe", "stripe.Webhook.construct_event", "<=1.0"),
        ("standardwebhooks", "standardwebhooks Webhook.verify", "<=1.0"),
        ("plain", "plain hmac + compare_digest + json.loads", "-"),
    ]:
        text = f"time, ours ÷ {key}"
        print(ratio_line(f"python_webhook_vs_{name}", ratios(mine, times[key]), target, text))


if __name__ == "__main__":
    main()
