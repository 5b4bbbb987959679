<?php
// io_error: a local file could not be read or written.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class IoException extends PagoEfectivoException
{
}
