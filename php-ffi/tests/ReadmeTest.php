<?php
// The PHP quick starts of README.md and php-ffi/README.md, run verbatim in a child php against a sandbox.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Testing\Sandbox;
use PHPUnit\Framework\TestCase;

final class ReadmeTest extends TestCase
{
    /** The first ```php block after the heading `## {$section}`. */
    public static function block(string $path, string $section): string
    {
        $text = file_get_contents($path);
        $at = strpos($text, "\n## {$section}\n");
        self::assertNotFalse($at, "{$path} has no section {$section}");
        self::assertSame(1, preg_match('/```php\n(.*?)```/s', substr($text, $at), $m));
        return $m[1];
    }

    public static function quickStarts(): array
    {
        $root = dirname(__DIR__, 2);
        return ['README.md' => [$root . '/README.md', 'PHP'], 'php-ffi/README.md' => [$root . '/php-ffi/README.md', 'Quick start']];
    }

    /** @dataProvider quickStarts */
    public function testTheQuickStartRuns(string $path, string $section): void
    {
        $code = self::block($path, $section);
        $file = tempnam(sys_get_temp_dir(), 'pe-readme-');
        file_put_contents($file, $code);
        $sb = new Sandbox();
        $env = $sb->env() + ['PAGOEFECTIVO_LIB' => getenv('PAGOEFECTIVO_LIB'), 'PATH' => getenv('PATH')];
        $autoload = dirname(__DIR__) . '/autoload.php';
        $cmd = [PHP_BINARY, '-d', "auto_prepend_file={$autoload}", $file];
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        $status = proc_close($proc);
        unlink($file);
        $this->assertSame(0, $status, $out . $err);
        $this->assertMatchesRegularExpression('/^CIP \d+ for PEN 149\.90: pay at http/m', $out);
        $this->assertStringContainsString('status: generated', $out);
    }
}
