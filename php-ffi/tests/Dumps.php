<?php
// The failures of dumps.php, rendered in a php of its own with exception arguments recorded.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

final class Dumps
{
    /** @var array<string, array{name: string, class: ?string, dump: string, args: bool}>|null */
    private static ?array $all = null;

    /** @return array<string, array{name: string, class: ?string, dump: string, args: bool}> */
    public static function all(): array
    {
        if (self::$all === null) {
            $cmd = [PHP_BINARY, '-d', 'zend.exception_ignore_args=0', '-d', 'memory_limit=512M', __DIR__ . '/dumps.php'];
            $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
            $out = stream_get_contents($pipes[1]);
            $err = stream_get_contents($pipes[2]);
            if (proc_close($proc) !== 0) {
                throw new \RuntimeException("dumps.php failed: {$err}");
            }
            self::$all = [];
            foreach (explode("\n", trim($out)) as $line) {
                $d = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
                self::$all[$d['name']] = $d;
            }
        }
        return self::$all;
    }
}
