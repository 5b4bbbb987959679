<?php
// signature_verification_failed: a webhook was refused; getReason() and getHint() say why.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class SignatureVerificationException extends PagoEfectivoException
{
}
