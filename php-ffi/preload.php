<?php
// opcache.preload script for PHP-FPM: the native library loaded once per pool (FFI scope "pagoefectivo") and the package's classes compiled in.

/*
 * php.ini (or the pool's php_admin_value), see README.md "PHP-FPM":
 *   opcache.enable=1
 *   opcache.preload=/path/to/pagoefectivo/preload.php
 *   opcache.preload_user=www-data        ; the pool's user (required when the master runs as root)
 *   ffi.enable=preload                   ; PHP's default: FFI only from preloaded code (1 works too)
 * and, when the master runs as root (PHP 8.2 then refuses FFI::load in a preload script):
 *   ffi.preload=/path/to/pagoefectivo.h  ; written by `php preload.php --header /path/to/pagoefectivo.h`
 * The library is PAGOEFECTIVO_LIB (in the master's environment), else lib/libpagoefectivo_c.so next to src/,
 * with its header pagoefectivo_ffi.h beside it (or PAGOEFECTIVO_HEADER).
 */

declare(strict_types=1);

require __DIR__ . '/autoload.php';

use PagoEfectivo\Internal\Native;

if (PHP_SAPI === 'cli' && ($argv[1] ?? '') === '--header') {
    // The scoped header for ffi.preload, from the generated one: rewrite it whenever the library changes.
    $out = $argv[2] ?? 'php://stdout';
    file_put_contents($out, Native::scopedHeader()) !== false || exit(1);
    exit(0);
}

try {
    FFI::scope(Native::SCOPE); // already loaded by ffi.preload
} catch (FFI\Exception) {
    Native::preload();
}

// Every class, interface and enum of the package (autoload.php resolves their parents), so no
// request includes or links one. Testing\ stays out: it needs the testing build and belongs to tests.
$src = __DIR__ . '/src/';
$files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($src, FilesystemIterator::SKIP_DOTS));
foreach ($files as $file) {
    $name = substr($file->getPathname(), strlen($src), -strlen('.php'));
    if ($file->getExtension() === 'php' && !str_starts_with($name, 'Testing')) {
        $type = 'PagoEfectivo\\' . str_replace('/', '\\', $name);
        class_exists($type) || interface_exists($type) || trait_exists($type) || enum_exists($type);
    }
}
