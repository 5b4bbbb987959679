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

    public function testAFloatAmountIsRefusedBeforeAnyRequest(): void
    {
        $before = self::$sandbox->requestCount('any');
        $e = $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['amount' => 25.5])), ValidationException::class);
        $this->assertSame('amount', $e->getFieldErrors()[0]['field']);
        $this->assertStringContainsString('decimal string', $e->getMessage());
        $this->assertSame($before, self::$sandbox->requestCount('any'));
        $this->assertCode('validation_error', fn () => self::$client->refunds()->create(['cip' => 1, 'amount' => 1.0]));
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
        $this->assertCode('validation_error', fn () => Native::take(Native::ffi()->pe_call("time.parse\xff", '"x"')));
        $this->assertCode('validation_error', fn () => Native::take(Native::ffi()->pe_call('time.parse', "\"\xc3\x28\"")));
    }

    public function testNullsAndGarbageAtTheCAbi(): void
    {
        $this->assertCode('validation_error', fn () => Native::take(Native::ffi()->pe_call(null, null)));
        $this->assertCode('validation_error', fn () => Native::take(Native::ffi()->pe_call('time.parse', '{"a": [1, 2')));
        $this->assertCode('validation_error', fn () => Native::take(Native::ffi()->pe_client_call(null, 'cips.get', '{"cip":1}')));
        $this->assertCode('validation_error', fn () => Native::take(Native::ffi()->pe_call('no.such.op', 'null')));
        $this->assertCode('validation_error', fn () => Native::take(Native::ffi()->pe_call('time.parse', str_repeat('[', 100000))));
    }

    public function testHugeStringsAndNestedGarbage(): void
    {
        $huge = str_repeat('A', 5_000_000);
        $this->assertCode('validation_error', fn () => self::$client->cips()->create(self::order(['transaction_code' => $huge])));
        // time.parse reads wire times: garbage is malformed_response there, as the conformance cases say.
        $this->assertCode('malformed_response', fn () => Time::toWire($huge));
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
        $this->assertCode('validation_error', fn () => Webhook::constructEvent('{}', "ab\0cd", $secret));
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
    }
}
