<?php
// Issue 13: PagoEfectivo\Deduplicator over the core's (in memory here; StoresTest has PostgreSQL and Redis): the key and
// payload hash come from the event's verified raw body, options and errors are the core's.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\CipPaidEvent;
use PagoEfectivo\Deduplicator;
use PagoEfectivo\Event;
use PagoEfectivo\Exception\ConfigurationException;
use PagoEfectivo\Exception\SignatureVerificationException;
use PagoEfectivo\Exception\ValidationException;
use PagoEfectivo\OtherEvent;
use PagoEfectivo\RefundEvent;
use PagoEfectivo\Webhook;
use PHPUnit\Framework\TestCase;

final class DeduplicatorTest extends TestCase
{
    private const PAID = '{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"5","currency":"PEN","amount":1.00}}';

    private static function event(string $body): Event
    {
        return Webhook::constructEvent($body, Webhook::sign($body, 'k'), 'k');
    }

    public function testTheLeaseContractInMemory(): void
    {
        $e = self::event(self::PAID);
        $forged = self::event(str_replace('1.00', '2.00', self::PAID));
        $d = Deduplicator::inMemory(null, 50);
        $this->assertSame('started', $d->begin($e));
        $this->assertSame('in_progress', $d->begin($e));
        $this->assertSame('conflict', $d->begin($forged), 'the same key with another payload');
        usleep(70_000);
        $this->assertSame('started', $d->begin($e), 'the lease ran out');
        $d->fail($e);
        $this->assertSame('started', $d->begin($e), 'fail releases the lease');
        $d->complete($e);
        $this->assertSame('duplicate', $d->begin($e));
        $this->assertFalse($d->firstDelivery($e));
        try {
            $d->firstDelivery($forged);
            $this->fail('a changed payload is not a plain redelivery');
        } catch (SignatureVerificationException $x) {
            $this->assertSame('payload_conflict', $x->getReason());
        }
        $d->forget($e);
        $this->assertTrue($d->firstDelivery($e));
        // Another deduplicator in this process is another store.
        $this->assertTrue(Deduplicator::inMemory()->firstDelivery($e));
        $this->assertTrue(Deduplicator::fromUrl('memory:')->firstDelivery($e));
    }

    public function testEveryKindOfEventIsKeyedByTheCoreFromItsRawBody(): void
    {
        $refund = '{"eventType":"refund.refunded","operationNumber":"8","data":{"cip":"5","refundId":"R-1",'
            . '"currency":"PEN","amount":"1.00","status":"refunded"}}';
        $other = '{"eventType":"cip.expired","operationNumber":"9","data":{"cip":"5"}}';
        // Key order and spacing are the body's own: the core reads them, and they still hash the same event.
        $spaced = "{ \"data\": {\"amount\": 1.00, \"currency\": \"PEN\", \"cip\": \"5\"},\n \"operationNumber\": \"7\", \"eventType\": \"cip.paid\" }";
        $events = [self::event(self::PAID), self::event($refund), self::event($other)];
        $this->assertInstanceOf(CipPaidEvent::class, $events[0]);
        $this->assertInstanceOf(RefundEvent::class, $events[1]);
        $this->assertInstanceOf(OtherEvent::class, $events[2]);
        $d = Deduplicator::inMemory();
        foreach ($events as $e) {
            $this->assertTrue($d->firstDelivery($e), $e->dedupKey());
        }
        foreach ($events as $e) {
            $this->assertFalse($d->firstDelivery($e), $e->dedupKey());
        }
        $this->assertSame('duplicate', $d->begin(self::event($spaced)), 'the same notification, other bytes');
        $this->assertSame(self::PAID, $events[0]->rawBody(), 'the event keeps its body byte for byte');
    }

    public function testAnEventWithoutItsRawBodyIsRefusedByTheCore(): void
    {
        $made = self::event(self::PAID);
        $bare = new CipPaidEvent($made->toArray());
        $this->assertSame('', $bare->rawBody());
        try {
            Deduplicator::inMemory()->begin($bare);
            $this->fail('an event without its body has no key of the core');
        } catch (SignatureVerificationException $x) {
            $this->assertSame('malformed_body', $x->getReason());
        }
    }

    public function testOptionsAreTheCoresAndRefusedByIt(): void
    {
        $e = self::event(self::PAID);
        $short = Deduplicator::create(['ttl_ms' => 1]);
        $this->assertTrue($short->firstDelivery($e));
        usleep(20_000);
        $this->assertTrue($short->firstDelivery($e), 'ttl_ms, the core reads either casing');
        $cases = [
            'ttl' => fn () => Deduplicator::create(['ttl' => 60_000]),
            'leaseMs' => fn () => Deduplicator::inMemory(null, -1),
            'ttlMs' => fn () => Deduplicator::fromUrl('memory:', -5),
            'url' => fn () => Deduplicator::create(['url' => 5]),
        ];
        foreach ($cases as $field => $make) {
            try {
                $make();
                $this->fail("{$field}: accepted");
            } catch (ValidationException $x) {
                $this->assertSame($field, $x->getFieldErrors()[0]['field']);
            }
        }
        $this->expectException(ConfigurationException::class);
        Deduplicator::fromUrl('mysql://127.0.0.1/shop');
    }

    public function testADeduplicatorIsNeitherClonedNorSerialized(): void
    {
        $d = Deduplicator::inMemory();
        try {
            clone $d;
            $this->fail('cloned');
        } catch (\LogicException) {
        }
        $this->expectException(\LogicException::class);
        serialize($d);
    }
}
