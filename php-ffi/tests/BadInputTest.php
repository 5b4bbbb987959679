<?php
// Bad input of every kind is a typed exception with a stable code, never a crash of the PHP process.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Client;
use PagoEfectivo\Exception\ConfigurationException;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Exception\SignatureVerificationException;
use PagoEfectivo\Exception\ValidationException;
use PagoEfectivo\Internal\Native;
use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Time;
use PagoEfectivo\Webhook;
use PHPUnit\Framework\TestCase;

final class BadInputTest extends TestCase
{
    private static Sandbox $sandbox;
    private static Client $client;

    public static function setUpBeforeClass(): void
    {
        self::$sandbox = new Sandbox();
        self::$client = self::$sandbox->client(['initial_backoff_ms' => 10, 'max_backoff_ms' => 50]);
    }

    private static function order(array $changes = []): array
    {
        return $changes + ['currency' => 'PEN', 'amount' => '25.50', 'transaction_code' => 'ORD-BAD', 'user_email' => 'ana@example.pe'];
    }

    /** Straight to pe_call, past every PHP conversion. */
    private static function raw(?string $op, ?string $json): mixed
    {
        return Native::result(Native::text(Native::ffi()->pe_call($op, $json)));
    }

    private function assertCode(string $code, callable $f, ?string $class = null): PagoEfectivoException
    {
        try {
            $f();
        } catch (PagoEfectivoException $e) {
            $this->assertSame($code, $e->getErrorCode(), $e->getMessage());
            if ($class !== null) {
                $this->assertInstanceOf($class, $e);
            }
            return $e;
        }
        $this->fail("expected {$code}");
    }

    public function testAFloatAmountIsRefusedByTheCoreBeforeAnyRequest(): void
    {
        $before = self::$sandbox->requestCount('any');
        $e = $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['amount' => 25.5])), ValidationException::class);
        $this->assertSame('amount', $e->getFieldErrors()[0]['field']);
        $this->assertStringContainsString('binary float', $e->getMessage());
        $this->assertStringContainsString('decimal string', $e->getMessage());
        $this->assertSame($before, self::$sandbox->requestCount('any'));
        // 25.0 too: json_encode keeps its fraction, so the core still sees a float.
        $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['amount' => 25.0])));
        $this->assertCode('validation_error', fn () => self::$client->refunds()->create(['cip' => 1, 'amount' => 1.0]));
        $this->assertCode('validation_error', fn () => self::$client->cips()->get(2523136.0));
    }

    public function testAFloatIsReportedWithEveryOtherProblem(): void
    {
        $e = $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order([
            'amount' => 25.5, 'user_email' => "ana@example.pe\0", 'date_expire' => '2030-01-01T00:00:00Z',
        ])));
        $fields = array_column($e->getFieldErrors(), 'field');
        sort($fields);
        $this->assertSame(['amount', 'date_expire', 'userEmail'], $fields);
    }

    public function testWhatJsonCannotHoldIsAValidationErrorNamingTheField(): void
    {
        foreach ([INF, -INF, NAN] as $f) {
            $e = $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['amount' => $f])));
            $this->assertSame('amount', $e->getFieldErrors()[0]['field']);
        }
        $e = $this->assertCode('validation_error', fn () => self::$client->refunds()->create([
            'cip' => 1, 'destination' => ['type' => 'ewallet', 'phone' => "9\xff"], 'reason' => "\xfe",
        ]));
        $this->assertSame(['destination.phone', 'reason'], array_column($e->getFieldErrors(), 'field'));
        $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['additional_data' => fopen('php://memory', 'r')])));
    }

    public function testEveryFieldProblemAtOnce(): void
    {
        $e = $this->assertCode('validation_error', fn () => self::$client->cips()->create(['amount' => 'diez', 'user_email' => 'x']));
        $fields = array_column($e->getFieldErrors(), 'field');
        sort($fields);
        $this->assertSame(['amount', 'currency', 'transactionCode', 'userEmail'], $fields);
    }

    public function testInvalidUtf8IsAValidationError(): void
    {
        $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['user_name' => "Ana \xff\xfe"])));
        // Straight to the C ABI, past json_encode: the library itself refuses the bytes.
        $this->assertCode('validation_error', fn () => self::raw("time.parse\xff", '"x"'));
        $this->assertCode('validation_error', fn () => self::raw('time.parse', "\"\xc3\x28\""));
    }

    public function testNullsAndGarbageAtTheCAbi(): void
    {
        $this->assertCode('validation_error', fn () => self::raw(null, null));
        $this->assertCode('validation_error', fn () => self::raw('time.parse', '{"a": [1, 2'));
        $this->assertCode('validation_error', fn () => Native::result(Native::text(Native::ffi()->pe_client_call(null, 'cips.get', '{"cip":1}'))));
        $this->assertCode('validation_error', fn () => self::raw('no.such.op', 'null'));
        $this->assertCode('validation_error', fn () => self::raw('time.parse', str_repeat('[', 100000)));
        $this->assertCode('validation_error', fn () => Native::result(Native::text(Native::ffi()->pe_webhook_verify(null, 3, null, 0, 'k', 1, 0))));
    }

    public function testHugeStringsAndNestedGarbage(): void
    {
        $huge = str_repeat('A', 5_000_000);
        $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['transaction_code' => $huge])));
        // A time from the caller: refused as input (validation_error), never malformed_response (a server's fault).
        $this->assertCode('validation_error', fn () => Time::toWire($huge));
        $nested = [];
        for ($i = 0; $i < 300; $i++) {
            $nested = [$nested];
        }
        $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['additional_data' => $nested])));
        $this->assertCode('validation_error', fn () => self::$client->cips()->create(['currency' => ['PEN' => [1, [2, ['x' => null]]]], 'amount' => true]));
        $this->assertCode('validation_error', fn () => self::$client->cips()->search(['not', 'numbers']));
        $this->assertCode('validation_error', fn () => self::$client->cips()->extend(1, 'yesterday'));
        $this->assertCode('validation_error', fn () => self::$client->cips()->get(-1));
    }

    public function testWebhookGarbageIsASignatureError(): void
    {
        $secret = self::$sandbox->secretKey();
        foreach (["\x00\xff\x00", '', str_repeat('{', 50_000), '{"eventType":"cip.paid"}'] as $body) {
            $e = $this->assertCode(
                'signature_verification_failed',
                fn () => Webhook::constructEvent($body, Webhook::sign('x', $secret), $secret),
                SignatureVerificationException::class
            );
            $this->assertSame('signature_mismatch', $e->getReason());
        }
        $e = $this->assertCode('signature_verification_failed', fn () => Webhook::constructEvent('{}', null, $secret));
        $this->assertSame('missing_signature', $e->getReason());
        $e = $this->assertCode('signature_verification_failed', fn () => Webhook::constructEvent('{}', 'zz', $secret));
        $this->assertSame('malformed_signature', $e->getReason());
        // A NUL byte is part of the signature (it crosses with its length): not 64 hex characters.
        $e = $this->assertCode('signature_verification_failed', fn () => Webhook::constructEvent('{}', "ab\0cd", $secret));
        $this->assertSame('malformed_signature', $e->getReason());
        $this->assertCode('validation_error', fn () => Webhook::constructEvent('{}', Webhook::sign('{}', $secret), null));
    }

    public function testBadConfigurations(): void
    {
        $this->assertCode('configuration_error', fn () => new Client([]), ConfigurationException::class);
        $this->assertCode('configuration_error', fn () => new Client(['acces_key' => 'x']));
        $this->assertCode('configuration_error', fn () => new Client(['access_key' => 'a', 'secret_key' => "s\n", 'id_service' => 1]));
        $this->assertCode('configuration_error', fn () => new Client(['access_key' => 'a', 'secret_key' => 's', 'id_service' => 'abc']));
        $this->assertCode('configuration_error', fn () => Client::fromEnv([]));
        $this->assertCode('configuration_error', fn () => new Client([
            'environment' => 'production', 'base_url' => self::$sandbox->baseUrl(),
            'access_key' => 'a', 'secret_key' => 's', 'id_service' => 1,
        ]));
    }

    public function testSandboxControlErrorsAreTyped(): void
    {
        $e = $this->assertCode('not_found', fn () => self::$sandbox->pay(999_999));
        $this->assertSame('unknown_cip', $e->getReason());
        $this->assertCode('validation_error', fn () => self::$sandbox->addFault(['endpoint' => 'nowhere']));
        $e = $this->assertCode('validation_error', fn () => new Sandbox(['token_lifetime' => 1]));
        $this->assertSame('token_lifetime', $e->getFieldErrors()[0]['field'], 'an unknown sandbox option is refused, named');
    }
}
