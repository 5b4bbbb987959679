<?php
// The API's authentication hash, exposed to check an integration against PagoEfectivo's documentation.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Native;

final class Auth
{
    /** sha256_hex(idService.accessKey.secretKey.dateRequest), dateRequest in Lima time. */
    public static function hashString(
        int $idService,
        string $accessKey,
        #[\SensitiveParameter] string $secretKey,
        string $dateRequest
    ): string {
        return Native::call('auth.hash_string', [
            'idService' => $idService, 'accessKey' => $accessKey,
            'secretKey' => $secretKey, 'dateRequest' => $dateRequest,
        ]);
    }
}
