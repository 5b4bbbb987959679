<?php
// not_found: an unknown CIP or refund (also an unknown CIP in a sandbox control call).

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class NotFoundException extends ApiException
{
}
