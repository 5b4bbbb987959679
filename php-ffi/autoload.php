<?php
// PSR-4 autoloading of PagoEfectivo\ from src/ without Composer (require this file, or use composer.json's autoload).

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'PagoEfectivo\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen('PagoEfectivo\\'))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
