<?php
// Test bootstrap: the package's autoloader plus the tests' own namespace; the library comes from PAGOEFECTIVO_LIB.

declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'PagoEfectivo\\Tests\\')) {
        require __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen('PagoEfectivo\\Tests\\'))) . '.php';
    }
});

if (!getenv('PAGOEFECTIVO_LIB')) {
    fwrite(STDERR, "PAGOEFECTIVO_LIB is not set: run scripts/test-php.sh\n");
    exit(2);
}
