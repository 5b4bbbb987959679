<?php
// validation_error: input refused before any request (getFieldErrors() lists every problem), or PagoEfectivo's 111.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class ValidationException extends PagoEfectivoException
{
}
