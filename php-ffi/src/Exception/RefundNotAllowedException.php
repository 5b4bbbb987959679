<?php
// refund_not_allowed: a refund rule refused the request; getReason() says which.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class RefundNotAllowedException extends PagoEfectivoException
{
}
