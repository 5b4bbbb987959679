"""Checkout creates the order's CIP; the webhook marks it paid (raw body verified, each delivery once)."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

import pagoefectivo
from pagoefectivo import webhooks

from .models import Order
from .payments import client, dedup

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    try:
        amount = Decimal(request.POST.get("amount", ""))
    except InvalidOperation:
        return JsonResponse({"error": "amount must be a decimal"}, status=400)
    order = Order.objects.create(
        reference=f"ORD-{uuid.uuid4().hex[:12]}", email=request.POST.get("email", ""), amount=amount
    )
    try:
        cip = client().cips.create(
            currency=order.currency,
            amount=order.amount,
            transaction_code=order.reference,
            user_email=order.email,
            payment_concept=f"Pedido {order.reference}",
        )
    except pagoefectivo.ValidationError as e:
        order.delete()
        errors = {f.field: f.message for f in e.field_errors}
        return JsonResponse({"error": "invalid order", "fields": errors}, status=400)
    except pagoefectivo.OutcomeUnknownError:
        # The CIP may exist; never show a code from this attempt. The shopper retries checkout.
        order.status = Order.Status.UNKNOWN
        order.save(update_fields=["status"])
        return JsonResponse({"error": "payment code not confirmed, try again"}, status=503)
    order.cip, order.cip_url = cip.cip, cip.cip_url
    order.save(update_fields=["cip", "cip_url"])
    return JsonResponse({"order": order.reference, "cip": cip.cip, "pay_at": cip.cip_url}, status=201)


@require_GET
def order_status(request: HttpRequest, reference: str) -> HttpResponse:
    order = get_object_or_404(Order, reference=reference)
    return JsonResponse({"order": order.reference, "status": order.status, "cip": order.cip})


@csrf_exempt
@require_POST
def pagoefectivo_webhook(request: HttpRequest) -> HttpResponse:
    try:
        event = webhooks.construct_event(
            request.body,  # the raw bytes: request.POST or json.loads would break the signature
            request.headers.get(webhooks.SIGNATURE_HEADER),
            settings.PAGOEFECTIVO["secret_key"],
        )
    except pagoefectivo.SignatureVerificationError as e:
        return HttpResponse(f"refused: {e.reason}", status=400)
    if not isinstance(event, webhooks.CipPaidEvent):
        return HttpResponse("ignored")
    try:
        answer = dedup().begin(event)  # a lease on this notification, in the store every server shares
    except pagoefectivo.APIConnectionError:
        return HttpResponse("dedup store unavailable", status=503)  # PagoEfectivo delivers it again
    if answer == "duplicate":
        return HttpResponse("duplicate")  # processed already: 200, nothing to do
    if answer == "in_progress":
        return HttpResponse("in progress", status=409)  # another worker has it; a retry finds it done
    if answer == "conflict":
        log.error("notification %s came again with another payload: refused", event.dedup_key)
        return HttpResponse("refused: payload_conflict", status=400)
    try:
        mark_paid(event.cip, event.operation_number)
    except Exception:
        dedup().fail(event)  # let PagoEfectivo's redelivery try again
        raise
    try:
        dedup().complete(event)
    except pagoefectivo.APIConnectionError:
        # Not recorded as done: the lease runs out and a redelivery does it again (mark_paid is idempotent).
        return HttpResponse("dedup store unavailable", status=503)
    return HttpResponse("ok")  # 200 fast: heavier work (e-mails, stock) belongs in a task queue


def mark_paid(cip: int, operation_number: str) -> bool:
    """One UPDATE; True if an unpaid order became paid."""
    from django.utils import timezone

    updated = (
        Order.objects.filter(cip=cip)
        .exclude(status=Order.Status.PAID)
        .update(status=Order.Status.PAID, operation_number=operation_number, paid_at=timezone.now())
    )
    return updated > 0
