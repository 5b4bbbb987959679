<?php
// POST /webhooks/pagoefectivo: the signature checked on the raw body, 200 first, the job after it, each payment once.

declare(strict_types=1);

namespace Tests;

use App\Models\Order;
use Illuminate\Support\Facades\DB;
use PagoEfectivo\Webhook;

final class WebhookTest extends TestCase
{
    /** Checkout, then the sandbox pays the CIP: the signed notification it would deliver. */
    private function paidNotification(): array
    {
        $cip = $this->postJson('/checkout', ['amount' => '25.50', 'email' => 'ana@example.pe'])->assertStatus(201)->json('cip');
        $this->sandbox->pay($cip);
        [$delivery] = $this->sandbox->deliveries(1);
        return [$cip, $delivery['body'], $delivery['signature']];
    }

    private function deliver(string $body, ?string $signature): \Illuminate\Testing\TestResponse
    {
        $server = ['CONTENT_TYPE' => 'application/json'] + ($signature === null ? [] : ['HTTP_PE_SIGNATURE' => $signature]);
        return $this->call('POST', '/webhooks/pagoefectivo', [], [], [], $server, $body);
    }

    public function testAPaymentIsAppliedOnceAfterThe200(): void
    {
        [$cip, $body, $signature] = $this->paidNotification();

        $this->deliver($body, $signature)->assertOk()->assertJson(['received' => "cip.paid:1000001:{$cip}"]);
        // Answered before any processing: the order is still pending, the notification waits in the queue.
        $this->assertSame('pending', Order::firstWhere('cip', $cip)->status);
        $this->assertSame(1, DB::table('jobs')->count());
        // PagoEfectivo delivers again (a retry, or the same notification twice): acknowledged, queued, not re-applied.
        $this->deliver($body, $signature)->assertOk();

        $this->work();

        $order = Order::firstWhere('cip', $cip);
        $this->assertSame('paid', $order->status);
        // The same instant as the notification's paymentDate (Lima time), whatever the database session's zone.
        $paid = new \DateTimeImmutable(json_decode($body, true)['data']['paymentDate']);
        $this->assertSame($paid->getTimestamp(), $order->paid_at->getTimestamp());
        $this->assertSame($paid->getTimestamp(), $order->fresh()->paid_at->getTimestamp());
        $this->assertSame(1, $order->events()->count());
        $this->assertSame('25.50', $order->events()->first()->amount);
        $this->assertSame(0, DB::table('jobs')->count());
        $this->assertSame(0, DB::table('failed_jobs')->count());
        $this->assertSame(1, DB::table('pagoefectivo_dedup')->count());
    }

    public function testTheSameNotificationWithAnotherPayloadIsAConflictLeftForAPerson(): void
    {
        [$cip, $body, $signature] = $this->paidNotification();
        $this->deliver($body, $signature)->assertOk();
        $this->work();
        // Same event type, operation number and CIP, another amount, signed with the right key (a changed notification).
        $changed = str_replace('"amount":25.50', '"amount":99.00', $body);
        $this->assertNotSame($body, $changed);
        $this->deliver($changed, Webhook::sign($changed, $this->sandbox->secretKey()))->assertOk();

        $this->work();

        $order = Order::firstWhere('cip', $cip);
        $this->assertSame(['paid', 1], [$order->status, $order->events()->count()]);
        $this->assertSame(1, DB::table('failed_jobs')->count());
        $this->assertStringContainsString('conflicting payload', DB::table('failed_jobs')->value('exception'));
    }

    public function testABodyThatIsNotTheSignedOneIsRefusedBeforeTheController(): void
    {
        [, $body, $signature] = $this->paidNotification();
        // json_decode + json_encode changes the bytes (25.50 becomes 25.5): the signature no longer matches.
        $reencoded = json_encode(json_decode($body));

        $this->deliver($reencoded, $signature)->assertStatus(400)->assertExactJson(['error' => 'signature_mismatch']);
        $this->deliver($body, null)->assertStatus(400)->assertExactJson(['error' => 'missing_signature']);
        $this->deliver($body, str_repeat('0', 64))->assertStatus(400);
        $this->assertSame(0, DB::table('jobs')->count());
    }
}
