<?php
// The FFI bridge to the C ABI: loads the library once, sends JSON, turns envelopes into values or typed exceptions.

declare(strict_types=1);

namespace PagoEfectivo\Internal;

use PagoEfectivo\Exception\ConfigurationException;
use PagoEfectivo\Exception\InternalException;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Exception\ValidationException;

/** @internal Not part of the public API: use Client, Webhook, Reconcile and Testing\Sandbox. */
final class Native
{
    private static ?\FFI $ffi = null;

    public static function ffi(): \FFI
    {
        if (self::$ffi === null) {
            [$library, $header] = self::locate();
            $declarations = file_get_contents($header);
            if ($declarations === false) {
                throw ConfigurationException::local("cannot read the C header {$header}");
            }
            try {
                self::$ffi = \FFI::cdef($declarations, $library);
            } catch (\FFI\Exception $e) {
                throw ConfigurationException::local("cannot load {$library}: {$e->getMessage()}");
            }
        }
        return self::$ffi;
    }

    /** The library: PAGOEFECTIVO_LIB, else lib/ of this package; its header next to it, else the repository's. */
    private static function locate(): array
    {
        $package = dirname(__DIR__, 2);
        $library = getenv('PAGOEFECTIVO_LIB') ?: $package . '/lib/libpagoefectivo_c.so';
        if (!is_file($library)) {
            throw ConfigurationException::local(
                "the pagoefectivo native library is not at {$library}: build it (cargo build -p pagoefectivo-c) "
                . 'and set PAGOEFECTIVO_LIB to the .so, or copy it into ' . $package . '/lib/'
            );
        }
        $candidates = array_filter([
            getenv('PAGOEFECTIVO_HEADER') ?: null,
            dirname($library) . '/pagoefectivo_ffi.h',
            $package . '/lib/pagoefectivo_ffi.h',
            dirname($package) . '/bindings/c/include/pagoefectivo_ffi.h',
        ]);
        foreach ($candidates as $header) {
            if (is_file($header)) {
                return [$library, $header];
            }
        }
        throw ConfigurationException::local('pagoefectivo_ffi.h not found next to ' . $library);
    }

    /** A client-less operation of the C ABI (pe_call). */
    public static function call(string $op, #[\SensitiveParameter] mixed $args): mixed
    {
        return self::take(self::ffi()->pe_call($op, self::encode($args)));
    }

    public static function clientNew(#[\SensitiveParameter] array $config, \FFI\CData $out): array
    {
        return self::take(self::ffi()->pe_client_new(self::encode($config), \FFI::addr($out)));
    }

    public static function clientCall(Handle $client, string $op, mixed $args): mixed
    {
        return self::take(self::ffi()->pe_client_call($client->ptr, $op, self::encode($args)));
    }

    public static function webhookVerify(string $body, ?string $signature, #[\SensitiveParameter] string $secret): array
    {
        return self::take(self::ffi()->pe_webhook_verify($body, strlen($body), $signature, $secret));
    }

    /** Raises for a string the C side would cut short: a NUL byte ends a C string. */
    public static function noNul(string $value, string $field): string
    {
        if (str_contains($value, "\0")) {
            throw ValidationException::field($field, 'must not contain a NUL byte');
        }
        return $value;
    }

    /**
     * JSON for the C ABI. Floats are refused anywhere: money is a decimal string (or an int), and
     * durations are integers, so a float is always a mistake that would lose cents.
     */
    public static function encode(#[\SensitiveParameter] mixed $value): string
    {
        self::refuseFloats($value, 'args');
        if ($value === []) {
            return '{}';
        }
        try {
            return json_encode($value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE, 256);
        } catch (\JsonException $e) {
            // json_encode's own words: "Malformed UTF-8 characters", "Maximum stack depth exceeded"...
            throw ValidationException::field('args', 'cannot be sent: ' . $e->getMessage());
        }
    }

    private static function refuseFloats(mixed $value, string $path, int $depth = 0): void
    {
        if (is_float($value)) {
            throw ValidationException::field(
                $path,
                'is a float; pass money as a decimal string such as "25.50" (a float cannot hold cents exactly)'
            );
        }
        if ($depth > 256) {
            throw ValidationException::field('args', 'is nested too deeply');
        }
        if (is_array($value) || $value instanceof \stdClass) {
            foreach ((array) $value as $key => $item) {
                self::refuseFloats($item, is_int($key) ? "{$path}[{$key}]" : (string) $key, $depth + 1);
            }
        }
    }

    /** Reads and frees an envelope; returns its data or throws its error. */
    public static function take(?\FFI\CData $answer): mixed
    {
        if ($answer === null || \FFI::isNull($answer)) {
            throw InternalException::local('the native library returned no answer');
        }
        $json = \FFI::string($answer);
        self::ffi()->pe_string_free($answer);
        $envelope = json_decode($json, true, 1024, JSON_BIGINT_AS_STRING | JSON_THROW_ON_ERROR);
        if (($envelope['ok'] ?? false) === true) {
            return $envelope['data'];
        }
        throw PagoEfectivoException::fromError($envelope['error'] ?? ['code' => 'internal_error']);
    }
}
