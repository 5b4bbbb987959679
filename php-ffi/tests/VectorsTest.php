<?php
// The independently computed vectors of tests/vectors/: hashString and PE-Signature.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Auth;
use PagoEfectivo\Exception\SignatureVerificationException;
use PagoEfectivo\Webhook;
use PHPUnit\Framework\TestCase;

final class VectorsTest extends TestCase
{
    private static function vectors(string $file): array
    {
        $path = dirname(__DIR__, 2) . '/tests/vectors/' . $file;
        return json_decode(file_get_contents($path), true, 512, JSON_THROW_ON_ERROR)['vectors'];
    }

    public function testHashStringVectors(): void
    {
        $vectors = self::vectors('auth-hashstring.json');
        $this->assertNotEmpty($vectors);
        foreach ($vectors as $v) {
            $this->assertSame(
                $v['hashString'],
                Auth::hashString($v['idService'], $v['accessKey'], $v['secretKey'], $v['dateRequest']),
                $v['name']
            );
        }
    }

    public function testSignatureVectors(): void
    {
        $vectors = self::vectors('webhook-signature.json');
        $this->assertNotEmpty($vectors);
        foreach ($vectors as $v) {
            if ($v['valid']) {
                $this->assertSame(strtolower(trim($v['signature'])), Webhook::sign($v['body'], $v['secret']), $v['name']);
            }
            try {
                Webhook::constructEvent($v['body'], $v['signature'], $v['secret']);
                $verified = true;
            } catch (SignatureVerificationException $e) {
                $verified = $e->getReason() === 'malformed_body';
            }
            $this->assertSame($v['valid'], $verified, $v['name']);
        }
    }
}
