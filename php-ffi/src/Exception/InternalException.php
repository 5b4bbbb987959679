<?php
// internal_error: a bug inside the SDK (a caught panic); please report it.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class InternalException extends PagoEfectivoException
{
}
