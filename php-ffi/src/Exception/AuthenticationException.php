<?php
// authentication_error: credentials refused (PagoEfectivo 508), or a token refused twice.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class AuthenticationException extends PagoEfectivoException
{
}
