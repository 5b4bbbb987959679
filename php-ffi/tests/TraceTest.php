<?php
// Issue 9 #2: no exception trace holds a native pointer (let alone a freed one), so dumping one reads no freed memory.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Exception\InternalException;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Testing\Sandbox;
use PHPUnit\Framework\TestCase;

final class TraceTest extends TestCase
{
    public function testNoTraceHoldsANativePointer(): void
    {
        $dumps = Dumps::all();
        $this->assertGreaterThan(20, count($dumps));
        foreach ($dumps as $name => $d) {
            $this->assertNotNull($d['class'], "{$name}: nothing was thrown");
            $this->assertTrue(is_subclass_of($d['class'], PagoEfectivoException::class), "{$name}: {$d['class']}");
            // The arguments really are recorded (ignore_args=0), so the check below means something.
            $this->assertTrue($d['args'], $name);
            foreach (['CData', 'FFI\\'] as $native) {
                $this->assertFalse(str_contains($d['dump'], $native), "{$name}: the trace holds {$native}:\n" . substr($d['dump'], 0, 3000));
            }
        }
    }

    /** The detector sees a pointer where Native::take() used to leave one: freed, then thrown over. */
    public function testTheCheckWouldSeeAPointerInATrace(): void
    {
        $thrower = static function (\FFI\CData $reply): void {
            throw new \RuntimeException('freed, then thrown with the pointer as an argument');
        };
        $before = ini_set('zend.exception_ignore_args', '0');
        try {
            $thrower(\FFI::new('char[8]'));
        } catch (\RuntimeException $e) {
            $this->assertTrue(str_contains(print_r($e->getTrace()[0]['args'], true), 'FFI\CData'));
        } finally {
            ini_set('zend.exception_ignore_args', (string) $before);
        }
    }

    public function testAPanicIsAnInternalErrorOfTheClassTree(): void
    {
        $this->assertSame(InternalException::class, Dumps::all()['pe_sandbox_call, a panic']['class']);
        try {
            (new Sandbox())->call('_panic');
            $this->fail('expected internal_error');
        } catch (InternalException $e) {
            $this->assertSame('internal_error', $e->getErrorCode());
            $this->assertSame('internal', $e->getFamily());
            $this->assertStringContainsString('please report it', $e->getMessage());
        }
    }
}
