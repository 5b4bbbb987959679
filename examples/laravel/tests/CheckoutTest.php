<?php
// POST /checkout: an order and its CIP, created in the sandbox; a bad request is the core's field errors.

declare(strict_types=1);

namespace Tests;

use App\Models\Order;

final class CheckoutTest extends TestCase
{
    public function testTheCheckoutCreatesACip(): void
    {
        $response = $this->postJson('/checkout', ['amount' => '149.90', 'email' => 'ana@example.pe']);

        $response->assertStatus(201)->assertJson(['amount' => '149.90', 'currency' => 'PEN']);
        $cip = $response->json('cip');
        $this->assertIsInt($cip);
        $this->assertSame('ORD-1', $this->sandbox->cip($cip)['transactionCode']);
        $order = Order::firstWhere('cip', $cip);
        $this->assertSame('149.90', $order->amount);
        $this->assertSame('pending', $order->status);
        $this->assertSame($response->json('pay_at'), $order->cip_url);
        $expires = new \DateTimeImmutable($response->json('expires_at'));
        $this->assertSame($expires->getTimestamp(), $order->fresh()->expires_at->getTimestamp());
    }

    public function testAFloatAmountAndABadEmailAreRefusedByTheCore(): void
    {
        $response = $this->postJson('/checkout', ['amount' => 149.9, 'email' => 'not-an-email']);

        $response->assertStatus(422)->assertJson(['error' => 'validation_error']);
        $fields = array_column($response->json('fields'), 'field');
        $this->assertContains('amount', $fields);
        $this->assertContains('userEmail', $fields);
        $this->assertSame(0, Order::count());
        $this->assertSame([], $this->sandbox->cips());
    }
}
