<?php
// idempotency_conflict: a merchant_refund_id reused with other parameters.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class IdempotencyConflictException extends IdempotencyException
{
}
