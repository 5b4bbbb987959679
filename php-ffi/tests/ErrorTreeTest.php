<?php
// The exception classes against the core's error table: every code has a class, parents follow families.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Internal\Native;
use PHPUnit\Framework\TestCase;

final class ErrorTreeTest extends TestCase
{
    /** The class of a family: its own code's class, or `StudlyFamily`Exception when it has none (idempotency). */
    private static function familyClass(array $family): string
    {
        return $family['code'] !== null
            ? PagoEfectivoException::classFor($family['code'])
            : 'PagoEfectivo\\Exception\\' . str_replace('_', '', ucwords($family['name'], '_')) . 'Exception';
    }

    public function testEveryCodeHasItsClassUnderItsFamily(): void
    {
        $table = Native::call('errors.table');
        $families = array_column($table['families'], null, 'name');
        $this->assertCount(count($table['families']), $families);
        foreach ($families as $family) {
            $class = self::familyClass($family);
            $this->assertTrue(class_exists($class), "family {$family['name']}: {$class} is missing");
            $this->assertSame(PagoEfectivoException::class, get_parent_class($class), "{$class} extends the base class");
        }
        foreach ($table['codes'] as $c) {
            $class = PagoEfectivoException::classFor($c['code']);
            $this->assertNotSame(PagoEfectivoException::class, $class, "{$c['code']} has no class of its own");
            $familyClass = self::familyClass($families[$c['family']]);
            if ($c['root']) {
                $this->assertSame($familyClass, $class, "{$c['code']} is its family's class");
            } else {
                $this->assertSame($familyClass, get_parent_class($class), "{$class} extends {$familyClass}");
            }
            $e = PagoEfectivoException::fromError(['code' => $c['code'], 'family' => $c['family'], 'message' => 'm']);
            $this->assertInstanceOf($class, $e);
            $this->assertInstanceOf(\RuntimeException::class, $e);
            $this->assertSame($c['code'], $e->getErrorCode());
        }
    }

    public function testEveryClassIsACodeOrAFamily(): void
    {
        $table = Native::call('errors.table');
        $known = array_map(fn (array $c) => PagoEfectivoException::classFor($c['code']), $table['codes']);
        $known = array_merge($known, array_map([self::class, 'familyClass'], $table['families']), [PagoEfectivoException::class]);
        foreach (glob(dirname(__DIR__) . '/src/Exception/*.php') as $file) {
            $class = 'PagoEfectivo\\Exception\\' . basename($file, '.php');
            $this->assertContains($class, $known, "{$class} matches no code or family of the core's table");
        }
    }

    public function testACodeAddedLaterBecomesItsFamilysClass(): void
    {
        $e = PagoEfectivoException::fromError(['code' => 'rate_limited', 'family' => 'api', 'message' => 'm']);
        $this->assertSame(\PagoEfectivo\Exception\ApiException::class, get_class($e));
        $e = PagoEfectivoException::fromError(['code' => 'refund_window_closed', 'family' => 'refund', 'message' => 'm']);
        $this->assertSame(\PagoEfectivo\Exception\RefundNotAllowedException::class, get_class($e));
        $e = PagoEfectivoException::fromError(['code' => 'something_new', 'family' => 'new_family']);
        $this->assertSame(PagoEfectivoException::class, get_class($e));
    }
}
