<?php
// The public API end to end against the sandbox: typed results, notifications, refunds, faults, handles, fork.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\CipInfo;
use PagoEfectivo\CipPaidEvent;
use PagoEfectivo\CipStatus;
use PagoEfectivo\Client;
use PagoEfectivo\Exception\OutcomeUnknownException;
use PagoEfectivo\Exception\RefundNotAllowedException;
use PagoEfectivo\Exception\WaitTimeoutException;
use PagoEfectivo\Reconcile;
use PagoEfectivo\RefundEvent;
use PagoEfectivo\RefundStatus;
use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Webhook;
use PHPUnit\Framework\TestCase;

final class ClientTest extends TestCase
{
    private Sandbox $sb;
    private Client $client;

    protected function setUp(): void
    {
        $this->sb = new Sandbox();
        $this->client = $this->sb->client(['initial_backoff_ms' => 10, 'max_backoff_ms' => 50, 'request_timeout_ms' => 5000]);
    }

    private function order(string $code, string $amount = '25.50'): array
    {
        return ['currency' => 'PEN', 'amount' => $amount, 'transaction_code' => $code, 'user_email' => 'ana@example.pe',
            'date_expiry' => new \DateTimeImmutable('+48 hours', new \DateTimeZone('UTC'))];
    }

    public function testTheCipLifecycleWithTypedResults(): void
    {
        $cip = $this->client->cips()->create($this->order('ORD-1') + ['payment_concept' => 'Pedido 1']);
        $this->assertSame('25.50', $cip->amount);
        $this->assertSame('-05:00', $cip->dateExpiry->format('P'));
        $info = $this->client->cips()->get($cip->cip);
        $this->assertInstanceOf(CipInfo::class, $info);
        $this->assertSame(CipStatus::Generated, $info->status);
        $this->assertNull($info->datePayment);
        $this->client->cips()->extend($cip->cip, new \DateTimeImmutable('+72 hours'));
        $other = $this->client->cips()->create($this->order('ORD-2', '10'));
        $this->assertSame('10.00', $other->amount);
        $this->client->cips()->delete($other->cip);
        $found = $this->client->cips()->search([$cip->cip, $other->cip, 99_999_999_999_999]);
        $this->assertSame([CipStatus::Generated, CipStatus::Deleted], array_map(fn (CipInfo $c) => $c->status, $found));

        $this->sb->pay($cip->cip);
        $final = $this->client->cips()->waitForFinalStatus($cip->cip, 5000, 20, 200);
        $this->assertSame(CipStatus::Paid, $final->status);
        $this->assertTrue($final->status->isFinal());
        $this->assertSame('-05:00', $final->datePayment->format('P'));
    }

    public function testWaitingEndsWithATypedTimeout(): void
    {
        $cip = $this->client->cips()->create($this->order('ORD-W'));
        try {
            $this->client->cips()->waitForFinalStatus($cip->cip, 100, 20, 50);
            $this->fail('expected a timeout');
        } catch (WaitTimeoutException $e) {
            $this->assertTrue($e->isRetryable());
        }
    }

    public function testANotificationIsVerifiedFromItsRawBody(): void
    {
        $cip = $this->client->cips()->create($this->order('ORD-N'));
        $this->sb->pay($cip->cip);
        [$delivery] = $this->sb->deliveries(1);
        $event = Webhook::constructEvent($delivery['body'], $delivery['signature'], $this->sb->secretKey());
        $this->assertInstanceOf(CipPaidEvent::class, $event);
        $this->assertSame($cip->cip, $event->cip);
        $this->assertSame('25.50', $event->amount);
        $this->assertSame('ORD-N', $event->transactionCode);
        $this->assertSame("cip.paid:{$event->operationNumber}:{$cip->cip}", $event->dedupKey());
        $this->assertSame($event->dedupKey(), $event->dedupKey);
        $this->assertSame('cip.paid', $event->eventType);
        $reencoded = json_encode(json_decode($delivery['body'], true));
        try {
            Webhook::constructEvent($reencoded, $delivery['signature'], $this->sb->secretKey());
            $this->fail('a re-encoded body must not verify');
        } catch (\PagoEfectivo\Exception\SignatureVerificationException $e) {
            $this->assertSame('signature_mismatch', $e->getReason());
            $this->assertNotNull($e->getHint());
        }
    }

    public function testRefundsFollowTheRulesAndNotify(): void
    {
        $cip = $this->client->cips()->create($this->order('ORD-R', '100.00'));
        $request = ['cip' => $cip->cip, 'amount' => '30.00', 'currency' => 'PEN', 'reason' => 'Pedido cancelado',
            'merchant_refund_id' => 'RF-1', 'destination' => ['type' => 'bank_account', 'cci' => '00219100123456789053'],
            'beneficiary' => ['document_type' => 'DNI', 'document_number' => '44556677', 'name' => 'Ana Quispe']];
        try {
            $this->client->refunds()->create($request);
            $this->fail('an unpaid CIP cannot be refunded');
        } catch (RefundNotAllowedException $e) {
            $this->assertSame('cip_not_paid', $e->getReason());
        }
        $this->sb->pay($cip->cip);
        $refund = $this->client->refunds()->create($request);
        $this->assertSame(RefundStatus::Requested, $refund->status);
        $this->assertSame($refund->refundId, $this->client->refunds()->create($request)->refundId, 'idempotent');
        $left = $this->client->refunds()->eligibility($cip->cip);
        $this->assertSame('70.00', $left->refundableAmount);
        $this->sb->advanceRefund($refund->refundId, 'processing');
        $this->sb->advanceRefund($refund->refundId, 'refunded');
        $done = $this->client->refunds()->waitForFinalStatus($refund->refundId, 5000, 20, 200);
        $this->assertSame(RefundStatus::Refunded, $done->status);
        $this->assertCount(1, $this->client->refunds()->list($cip->cip));
        $events = array_map(
            fn (array $d) => Webhook::constructEvent($d['body'], $d['signature'], $this->sb->secretKey()),
            $this->sb->deliveries(3)
        );
        $this->assertInstanceOf(RefundEvent::class, $events[2]);
    }

    public function testACreationThatMayHaveArrivedIsNeverResent(): void
    {
        $this->sb->addFault(['endpoint' => 'cips_create', 'kind' => 'drop', 'times' => 1]);
        try {
            $this->client->cips()->create($this->order('ORD-DROP'));
            $this->fail('expected outcome_unknown');
        } catch (OutcomeUnknownException $e) {
            $this->assertSame('ORD-DROP', $e->getTransactionCode());
            $this->assertSame(1, $e->getAttempts());
        }
        $this->assertSame(1, $this->sb->requestCount('cips_create'));
    }

    public function testResourcesOutliveTheirClientObject(): void
    {
        $cips = $this->sb->client()->cips();
        gc_collect_cycles();
        $this->assertSame('25.50', $cips->create($this->order('ORD-H'))->amount);
        $fromEnv = Client::fromEnv($this->sb->env());
        $this->assertSame($this->sb->baseUrl(), $fromEnv->settings()['baseUrl']);
    }

    public function testReconciliationFindsAMissedNotification(): void
    {
        $result = Reconcile::run(
            [['orderId' => 'A-1', 'cip' => 1, 'currency' => 'PEN', 'amount' => '10.00', 'status' => 'pending']],
            [['cip' => 1, 'transactionCode' => 'A-1', 'currency' => 'PEN', 'amount' => '10.00']]
        );
        $this->assertSame(1, $result->count('missed_notification'));
        $this->assertSame('A-1', $result->exceptions[0]->orderId);
        $this->assertSame('A-1', $result->exceptions[0]['orderId']);
        $this->assertSame(1, $result->summary['counts']['missed_notification']);
    }
}
