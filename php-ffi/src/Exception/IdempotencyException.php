<?php
// The parent of the two idempotency errors: outcome_unknown and idempotency_conflict.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class IdempotencyException extends PagoEfectivoException
{
}
