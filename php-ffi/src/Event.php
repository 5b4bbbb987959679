<?php
// A verified notification: CipPaidEvent, RefundEvent or OtherEvent; each also has readonly $eventType and $dedupKey.

declare(strict_types=1);

namespace PagoEfectivo;

interface Event
{
    /** `cip.paid`, `refund.refunded`, `cip.expired`... (also the readonly property $eventType). */
    public function eventType(): string;

    /** `eventType:operationNumber:cip`, from the core: one key per notification, for deduplicating redeliveries. */
    public function dedupKey(): string;

    /** The core's JSON form (`type` is `cip_paid`, `refund` or `other`). */
    public function toArray(): array;

    /**
     * The raw body this event was verified from, byte for byte: what Deduplicator hands back to the
     * core, so the key and the payload hash are the core's ('' for an event not made by Webhook::constructEvent).
     */
    public function rawBody(): string;
}
