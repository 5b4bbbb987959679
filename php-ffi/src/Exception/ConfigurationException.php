<?php
// configuration_error: an unusable configuration (missing or padded key, sandbox URL in production, library not found).

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class ConfigurationException extends PagoEfectivoException
{
}
