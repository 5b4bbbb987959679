<?php
// The secret key never appears in var_dump, print_r, var_export, exceptions, their traces or their messages.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Client;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Webhook;
use PHPUnit\Framework\TestCase;

final class SecretsTest extends TestCase
{
    private const SECRET = 'sk_live_Zq8-do-not-print-9Xv';

    private static function dump(mixed $value): string
    {
        ob_start();
        var_dump($value);
        $text = ob_get_clean() . print_r($value, true);
        try {
            $text .= var_export($value, true);
        } catch (\Throwable) {
            // var_export refuses some objects; what it would print is covered by the two above.
        }
        return $text;
    }

    public function testDumpsOfAClientHoldNoSecret(): void
    {
        $client = new Client(['access_key' => 'ak', 'secret_key' => self::SECRET, 'id_service' => 1234,
            'base_url' => 'http://127.0.0.1:9/v1/']);
        $text = self::dump($client) . self::dump($client->cips()) . self::dump($client->refunds());
        $this->assertStringNotContainsString(self::SECRET, $text);
        $this->assertStringContainsString('[REDACTED]', $text);
        $this->assertStringContainsString('127.0.0.1:9', $text);
        $this->expectException(\LogicException::class);
        serialize($client);
    }

    public function testExceptionsHoldNoSecret(): void
    {
        ini_set('zend.exception_ignore_args', '0');
        $sb = new Sandbox();
        $failures = [];
        $attempts = [
            fn () => new Client(['access_key' => 'ak', 'secret_key' => self::SECRET . "\n", 'id_service' => 1]),
            fn () => new Client(['access_key' => 'ak', 'secret_key' => self::SECRET, 'id_service' => 'x']),
            fn () => Client::fromEnv(['PAGOEFECTIVO_SECRET_KEY' => self::SECRET, 'PAGOEFECTIVO_SERVICE_ID' => 'nope']),
            fn () => $sb->client(['secret_key' => self::SECRET, 'max_attempts' => 1])->cips()->get(1),
            fn () => Webhook::constructEvent('{"eventType":"cip.paid"}', str_repeat('a', 64), self::SECRET),
        ];
        foreach ($attempts as $attempt) {
            try {
                $attempt();
                $this->fail('expected an exception');
            } catch (PagoEfectivoException $e) {
                $failures[] = $e;
            }
        }
        $this->assertSame('authentication_error', $failures[3]->getErrorCode());
        foreach ($failures as $e) {
            $text = $e->getMessage() . (string) $e . $e->getTraceAsString() . self::dump($e->getTrace())
                . json_encode($e->getFieldErrors()) . $e->getHint();
            $this->assertStringNotContainsString(self::SECRET, $text, $e->getErrorCode());
        }
    }
}
