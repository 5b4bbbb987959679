<?php
// Issue 12: constructEvent's one-crossing reply (pe_webhook_event: fields, or a JSON list) gives the core's JSON of each kind, and paymentDate is made lazily.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\CipPaidEvent;
use PagoEfectivo\Internal\Native;
use PagoEfectivo\Webhook;
use PHPUnit\Framework\TestCase;

final class WebhookEventTest extends TestCase
{
    /** @return array<string, array{0: string}> */
    public static function bodies(): array
    {
        return [
            'cip.paid' => ['{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":2.50,'
                . '"paymentDate":"2026-11-21T09:15:00-05:00","transactionCode":"ORD-7"}}'],
            'cip.paid without date' => ['{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":2.50}}'],
            'refund' => ['{"eventType":"refund.refunded","operationNumber":"8","data":{"cip":"9","refundId":"r1","currency":"USD",'
                . '"amount":1.00,"status":"refunded"}}'],
            'other' => ['{"eventType":"cip.expired","operationNumber":"9","data":{"cip":"9","x":[1,{"y":null}]}}'],
            // Texts holding the fields' separator, null mark or a NUL: the reply is a JSON list instead.
            'separator in a text' => ['{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":2.50,'
                . '"transactionCode":"a\\u001fb"}}'],
            'null mark and NUL in texts' => ['{"eventType":"refund.rejected","operationNumber":"8\\u001e","data":{"cip":"9",'
                . '"currency":"USD","amount":1.00,"reasonCode":"x\\u0000y"}}'],
        ];
    }

    /** @dataProvider bodies */
    public function testTheEventIsTheCoreJsonOfItsKind(string $body): void
    {
        $signature = Webhook::sign($body, 'k');
        $event = Webhook::constructEvent($body, $signature, 'k');
        $this->assertSame(Native::call('webhook.verify', ['body' => $body, 'signature' => $signature, 'secret' => 'k']), $event->toArray());
        $this->assertSame($body, $event->rawBody());
    }

    public function testPaymentDateIsMadeOnFirstReadAndStaysReadonly(): void
    {
        [[$body]] = array_values(self::bodies());
        $event = Webhook::constructEvent($body, Webhook::sign($body, 'k'), 'k');
        $this->assertInstanceOf(CipPaidEvent::class, $event);
        $this->assertTrue(isset($event->paymentDate));
        $this->assertSame('2026-11-21T09:15:00-05:00', $event->paymentDate->format(DATE_ATOM));
        $this->assertSame($event->paymentDate, $event->paymentDate);
        $this->expectException(\Error::class);
        $event->paymentDate = null; // @phpstan-ignore-line
    }

    public function testAnEventWithoutDateHasNull(): void
    {
        $body = self::bodies()['cip.paid without date'][0];
        $event = Webhook::constructEvent($body, Webhook::sign($body, 'k'), 'k');
        $this->assertFalse(isset($event->paymentDate));
        $this->assertNull($event->paymentDate);
        $this->assertNull((new CipPaidEvent($event->toArray()))->paymentDate);
    }
}
