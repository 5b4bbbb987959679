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
}
