<?php
// Everything the core does, from PHP: reconciliation from files, the search sweep, the settlement report and its pages,
// proxy, CA file and answer-size options, a webhook body limit, and finding PE-Signature among request headers.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\CipStatus;
use PagoEfectivo\Client;
use PagoEfectivo\Exception\ConfigurationException;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Exception\SignatureVerificationException;
use PagoEfectivo\Exception\ValidationException;
use PagoEfectivo\Payee;
use PagoEfectivo\PaymentRecord;
use PagoEfectivo\Reconcile;
use PagoEfectivo\Reconciliation\ClassTotal;
use PagoEfectivo\Reconciliation\Discrepancy;
use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Webhook;
use PHPUnit\Framework\TestCase;

final class ReachTest extends TestCase
{
    private static function dir(): string
    {
        $dir = sys_get_temp_dir() . '/pe-reach-' . getmypid() . '-' . bin2hex(random_bytes(3));
        mkdir($dir);
        return $dir;
    }

    private static function order(string $code): array
    {
        return ['currency' => 'PEN', 'amount' => '25.50', 'transaction_code' => $code, 'user_email' => 'ana@example.pe'];
    }

    public function testReconciliationFromCsvFilesWritesTheReports(): void
    {
        $dir = self::dir();
        file_put_contents("{$dir}/orders.csv", "pedido,cip,currency,amount,status\nA-1,11,PEN,10.00,pending\nA-2,12,PEN,20.00,paid\n");
        file_put_contents("{$dir}/report.csv", "cip,transaction_code,currency,amount,status,paid_at\n"
            . "11,A-1,PEN,10.00,paid,2026-11-20T10:00:00-05:00\n12,A-2,PEN,25.00,paid,2026-11-20T11:00:00-05:00\n");
        $result = Reconcile::files("{$dir}/orders.csv", "{$dir}/report.csv", ['settlementDays' => 3],
            orderColumns: ['orderId' => 'pedido'], outDir: "{$dir}/out");
        $this->assertSame(1, $result->count('missed_notification'));
        $this->assertSame(1, $result->count('amount_mismatch'));
        $this->assertSame(2, $result->summary->orders);
        [$missed] = array_values(array_filter($result->exceptions, fn (Discrepancy $d) => $d->class === 'missed_notification'));
        $this->assertSame('A-1', $missed->orderId);
        $this->assertSame(11, $missed->cip);
        $this->assertSame(CipStatus::Paid, $missed->pagoefectivoStatus);
        $this->assertSame('-05:00', $missed->paidAt->format('P'));
        $this->assertSame('A-1', $missed['orderId'], 'rows still read like the arrays they were');
        $this->assertContainsOnlyInstancesOf(ClassTotal::class, $result->summary->totals);
        foreach (['summary.json', 'exceptions.csv', 'exceptions.jsonl', 'report.html'] as $file) {
            $this->assertFileExists("{$dir}/out/{$file}");
        }
        try {
            Reconcile::files("{$dir}/missing.csv", "{$dir}/report.csv");
            $this->fail('a missing file is an error');
        } catch (PagoEfectivoException $e) {
            $this->assertSame('io_error', $e->getErrorCode());
        }
        array_map('unlink', array_merge(glob("{$dir}/out/*"), glob("{$dir}/*.csv")));
        rmdir("{$dir}/out");
        rmdir($dir);
    }

    public function testTheSearchSweepAndTheSettlementReport(): void
    {
        $sb = new Sandbox();
        $client = $sb->client(['initial_backoff_ms' => 10]);
        $paid = $client->cips()->create(self::order('ORD-S1'));
        $open = $client->cips()->create(self::order('ORD-S2'));
        $sb->pay($paid->cip);
        $orders = [
            ['orderId' => 'ORD-S1', 'cip' => $paid->cip, 'currency' => 'PEN', 'amount' => '25.50', 'status' => 'pending'],
            ['orderId' => 'ORD-S2', 'cip' => $open->cip, 'currency' => 'PEN', 'amount' => '25.50', 'status' => 'pending'],
        ];
        $swept = $client->reconciliation()->search($orders);
        $this->assertSame(1, $swept->count('missed_notification'));
        $this->assertNull($swept->nextCursor);

        $today = new \DateTimeImmutable('now', new \DateTimeZone('-05:00'));
        $reported = $client->reconciliation()->settlementReport($orders, dateFrom: $today->modify('-1 day'), dateTo: $today->modify('+1 day'));
        $this->assertSame(1, $reported->count('missed_notification'));
        $this->assertNotNull($reported->nextCursor);
        $again = $client->reconciliation()->settlementReport($orders, cursor: $reported->nextCursor);
        $this->assertSame(0, $again->summary->payments, 'an incremental run returns only later payments');

        $page = $client->reports()->page($today->modify('-1 day'), $today->modify('+1 day'), limit: 10);
        $this->assertFalse($page->hasMore);
        $this->assertCount(1, $page->rows);
        $this->assertInstanceOf(PaymentRecord::class, $page->rows[0]);
        $this->assertSame($paid->cip, $page->rows[0]->cip);
        $this->assertSame(CipStatus::Paid, $page->rows[0]->status);
        $this->assertContains($page->rows[0]->amount, ['25.5', '25.50'], 'a decimal string, as the report wrote it');
        $this->expectException(ValidationException::class);
        $client->reports()->page('yesterday');
    }

    public function testProxyCaFileAndAnswerSizeOptionsReachTheCore(): void
    {
        $sb = new Sandbox();
        // Nothing listens on port 9: a client that uses the proxy cannot connect at all.
        $proxied = $sb->client(['proxy' => 'http://127.0.0.1:9', 'max_attempts' => 1, 'connect_timeout_ms' => 500]);
        $this->assertNotNull($proxied->settings()['proxy']);
        try {
            $proxied->cips()->get(1);
            $this->fail('the proxy was not used');
        } catch (PagoEfectivoException $e) {
            $this->assertSame('connection_error', $e->getErrorCode(), $e->getMessage());
        }
        $bypassed = $sb->client(['proxy' => 'http://127.0.0.1:9', 'no_proxy' => '127.0.0.1']);
        $this->assertSame('25.50', $bypassed->cips()->create(self::order('ORD-NP'))->amount);

        try {
            $sb->client(['ca_file' => '/nonexistent/ca.pem']);
            $this->fail('a missing CA file is refused');
        } catch (PagoEfectivoException $e) {
            $this->assertContains($e->getErrorCode(), ['configuration_error', 'io_error'], $e->getMessage());
        }
        $fromEnv = Client::fromEnv($sb->env() + ['PAGOEFECTIVO_PROXY' => 'http://127.0.0.1:9', 'PAGOEFECTIVO_MAX_RESPONSE_BYTES' => '2048']);
        $this->assertNotNull($fromEnv->settings()['proxy']);
        $this->assertSame(2048, $fromEnv->settings()['maxResponseBytes']);
        $this->expectException(ConfigurationException::class);
        $sb->client(['proxy' => 'not a url at all']);
    }

    public function testAnAnswerLargerThanAllowedIsRefused(): void
    {
        $sb = new Sandbox();
        $cips = array_map(fn (int $i) => $sb->client()->cips()->create(self::order("ORD-BIG-{$i}"))->cip, range(1, 8));
        $client = $sb->client(['max_response_bytes' => 1024, 'max_attempts' => 1]);
        $this->assertSame(1024, $client->settings()['maxResponseBytes']);
        $this->assertSame($cips[0], $client->cips()->get($cips[0])->cip, 'one CIP fits in 1 KiB');
        try {
            $client->cips()->search($cips);
            $this->fail('eight CIPs do not fit in 1 KiB');
        } catch (PagoEfectivoException $e) {
            $this->assertSame('malformed_response', $e->getErrorCode(), $e->getMessage());
        }
    }

    public function testAWebhookBodyLimitOfYourOwn(): void
    {
        $secret = 'test_secret';
        $body = json_encode(['eventType' => 'cip.paid', 'operationNumber' => '1',
            'data' => ['cip' => '1', 'currency' => 'PEN', 'amount' => '1.00'], 'pad' => str_repeat('x', 70_000)]);
        $signature = Webhook::sign($body, $secret);
        try {
            Webhook::constructEvent($body, $signature, $secret);
            $this->fail('over the default 64 KiB');
        } catch (SignatureVerificationException $e) {
            $this->assertSame('body_too_large', $e->getReason());
        }
        $this->assertSame('cip.paid:1:1', Webhook::constructEvent($body, $signature, $secret, 100_000)->dedupKey);
        try {
            Webhook::constructEvent('{}', $signature, $secret, 1);
            $this->fail('over a 1-byte limit');
        } catch (SignatureVerificationException $e) {
            $this->assertSame('body_too_large', $e->getReason());
        }
        $this->expectException(ValidationException::class);
        Webhook::constructEvent('{}', $signature, $secret, -1);
    }

    public function testTheSignatureIsFoundAmongHeadersInAnySpelling(): void
    {
        $this->assertSame('abc', Webhook::signatureFrom(['Content-Type' => 'application/json', 'Pe-Signature' => 'abc']));
        $this->assertSame('abc', Webhook::signatureFrom(['pe-signature' => ['abc']]));
        $this->assertSame('abc', Webhook::signatureFrom(['HTTP_PE_SIGNATURE' => 'abc']));
        $this->assertNull(Webhook::signatureFrom(['X-PE-Signature' => 'no', 'Host' => 'x']));
        $this->assertNull(Webhook::signatureFrom([]));
        $before = $_SERVER;
        $_SERVER['HTTP_PE_SIGNATURE'] = 'from-server';
        try {
            $this->assertSame('from-server', Webhook::signatureFrom());
        } finally {
            $_SERVER = $before;
        }
    }

    public function testCalendarAndPayeeHelpers(): void
    {
        $this->assertSame('00219100123456789053', Payee::cciWithCheckDigits('002191001234567890'));
        $holidays = array_column(Reconcile::holidays(2026), 'date');
        $this->assertContains('2026-07-28', $holidays);
        $this->assertTrue(Reconcile::businessDays('2026-07-28', 1)['isHoliday']);
        $this->assertFalse(Reconcile::businessDays('2026-11-20', 1, ['2026-11-20'])['isBusinessDay']);
    }

    public function testAnAuthenticationCanBeAskedFor(): void
    {
        $sb = new Sandbox();
        $sb->client()->authenticate();
        $this->assertSame(1, $sb->requestCount('authorizations'));
        $this->expectException(\PagoEfectivo\Exception\AuthenticationException::class);
        (new Client($sb->clientOptions(['secretKey' => 'wrong', 'max_attempts' => 1])))->authenticate();
    }
}
