"""Webhook verify + parse from Python: pagoefectivo vs stripe-python vs standardwebhooks, same body size."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import platform
import time
import timeit

import stripe
from standardwebhooks.webhooks import Webhook as StandardWebhook

import pagoefectivo
from pagoefectivo import webhooks

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


def per_call_us(fn: object, number: int = 20000) -> float:
    best = min(timeit.repeat(fn, number=number, repeat=7))  # type: ignore[arg-type]
    return best / number * 1e6


def main() -> None:
    assert len(BODY) == 297
    assert isinstance(ours(), webhooks.CipPaidEvent)
    assert json.loads(BODY) == json.loads(json.dumps(theirs_standard()))
    theirs_stripe()
    results = {
        "pagoefectivo.webhooks.construct_event": per_call_us(ours),
        "stripe.Webhook.construct_event": per_call_us(theirs_stripe),
        "standardwebhooks Webhook.verify": per_call_us(theirs_standard),
    }
    version = f"Python {platform.python_version()}; pagoefectivo {pagoefectivo.__version__}"
    print(f"body {len(BODY)} bytes; {version}")
    base = results["pagoefectivo.webhooks.construct_event"]
    for name, us in results.items():
        print(f"{name:42s} {us:7.2f} µs/call  ({us / base:4.2f}x ours)")


if __name__ == "__main__":
    main()
