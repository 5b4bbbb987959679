<?php
// Issue 9 #7: the secret key never appears in var_dump, print_r, var_export, exceptions, their traces or their messages.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Client;
use PagoEfectivo\Deduplicator;
use PagoEfectivo\Testing\Sandbox;
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
        $text = self::dump($client) . self::dump($client->cips()) . self::dump($client->refunds())
            . self::dump($client->reports()) . self::dump($client->reconciliation());
        $this->assertStringNotContainsString(self::SECRET, $text);
        $this->assertStringContainsString('[REDACTED]', $text);
        $this->assertStringContainsString('127.0.0.1:9', $text);
        $this->expectException(\LogicException::class);
        serialize($client);
    }

    /** Issue 13: a store URL's password is in no dump of a Deduplicator (the URL lives in no PHP property). */
    public function testDumpsOfADeduplicatorHoldNoStorePassword(): void
    {
        $postgres = Deduplicator::fromUrl('postgres://shop:' . self::SECRET . '@127.0.0.1:1/shop', 60_000, 5_000);
        $redis = Deduplicator::create(['url' => 'redis://:' . self::SECRET . '@cache.internal:6380/2']);
        $text = self::dump($postgres) . self::dump($redis) . self::dump([$postgres, $redis]);
        $this->assertStringNotContainsString(self::SECRET, $text);
        $this->assertStringNotContainsString('Zq8', $text);
        $this->assertStringNotContainsString('cache.internal', $text);
        // What a dump shows is the core's own description: the ttl and the lease.
        $this->assertStringContainsString('Deduplicator { ttl: 60s, lease: 5s, .. }', $text);
        $this->expectException(\LogicException::class);
        serialize($postgres);
    }

    public function testExceptionsAndTheirTracesHoldNoSecret(): void
    {
        $dumps = Dumps::all();
        foreach ($dumps as $name => $d) {
            $this->assertNotNull($d['class'], "{$name}: nothing was thrown");
            $at = strpos($d['dump'], 'Zq8-do-not');
            $this->assertFalse($at, "{$name}: the secret is shown:\n" . ($at === false ? '' : substr($d['dump'], max(0, $at - 1500), 2000)));
        }
        // The secret was really passed: these failures had it in their arguments.
        foreach (['a padded secret', 'refused credentials', 'a wrong signature', 'a secret that is not UTF-8', 'hashString'] as $name) {
            $this->assertArrayHasKey($name, $dumps);
        }
        // Store URLs with the secret as their password: refused by the core or by a store that is not there.
        $this->assertSame('connection_error', $dumps['a PostgreSQL store that is not there']['code']);
        $this->assertSame('connection_error', $dumps['a Redis store that is not there']['code']);
        $this->assertSame('configuration_error', $dumps['an unknown store scheme']['code']);
        $this->assertSame('configuration_error', $dumps['a store URL that cannot be read']['code']);
        $this->assertSame('validation_error', $dumps['a misspelt dedup option']['code']);
        $this->assertSame('validation_error', $dumps['a negative lease']['code']);
        $this->assertSame('authentication_error', $dumps['refused credentials']['code']);
        $this->assertSame('signature_verification_failed', $dumps['a wrong signature']['code']);
    }

    /** Every parameter that can carry a secret or a whole configuration is hidden from traces. */
    public function testSecretParametersAreSensitive(): void
    {
        // Everywhere: names that say secret, config, env or overrides. In the client and the bridge
        // to the library also options, args and value (a whole config or a request passes there).
        $everywhere = '/secret|config|env|overrides/i';
        $bridge = '/^(options|args|value)$/';
        $bridgeClasses = ['PagoEfectivo\\Client', 'PagoEfectivo\\Deduplicator', 'PagoEfectivo\\Internal\\Native', 'PagoEfectivo\\Internal\\Handle'];
        $checked = 0;
        $missing = [];
        foreach (glob(dirname(__DIR__) . '/src/{,*/}*.php', GLOB_BRACE) as $file) {
            $class = 'PagoEfectivo\\' . str_replace(['/', '.php'], ['\\', ''], substr($file, strlen(dirname(__DIR__) . '/src/')));
            if (!class_exists($class) && !interface_exists($class) && !trait_exists($class) && !enum_exists($class)) {
                continue;
            }
            foreach ((new \ReflectionClass($class))->getMethods() as $method) {
                foreach ($method->getParameters() as $p) {
                    $name = "{$class}::{$method->getName()}(\${$p->getName()})";
                    $hit = preg_match($everywhere, $p->getName())
                        || (in_array($class, $bridgeClasses, true) && preg_match($bridge, $p->getName()));
                    if ($method->getDeclaringClass()->getName() !== $class || !$hit) {
                        continue;
                    }
                    $checked++;
                    $missing[] = $p->getAttributes(\SensitiveParameter::class) ? null : $name;
                }
            }
        }
        // A store URL may hold a password.
        $url = new \ReflectionParameter([Deduplicator::class, 'fromUrl'], 'url');
        $missing[] = $url->getAttributes(\SensitiveParameter::class) ? null : 'PagoEfectivo\\Deduplicator::fromUrl($url)';
        $this->assertSame([], array_values(array_filter($missing)), 'not #[\\SensitiveParameter]');
        $this->assertGreaterThan(8, $checked);
    }
}
