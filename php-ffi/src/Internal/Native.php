<?php
// The FFI bridge to the C ABI: loads the library once, sends JSON, turns replies into values or typed exceptions.

declare(strict_types=1);

namespace PagoEfectivo\Internal;

use PagoEfectivo\Exception\PagoEfectivoException;

/**
 * @internal Not part of the public API: use Client, Webhook, Reconcile and Testing\Sandbox.
 *
 * Two rules keep dumps of exception traces safe (zend.exception_ignore_args=0, Sentry, error pages):
 * no frame on the stack when an exception is made holds an FFI\CData argument (a reply is copied
 * to a PHP string and freed by text() before result() decodes it), and no helper that is handed a
 * secret throws (json() reports what it cannot encode instead; its callers mark the argument
 * #[\SensitiveParameter]).
 */
final class Native
{
    /** The FFI scope a preload script declares (opcache.preload with FFI::load), issue 12. */
    public const SCOPE = 'pagoefectivo';

    /** Floats keep a fraction or an exponent (25.0, not 25), so the core can tell them from integers. */
    private const JSON_FLAGS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION;

    private static ?\FFI $ffi = null;

    public static function ffi(): \FFI
    {
        return self::$ffi ??= self::load();
    }

    private static function load(): \FFI
    {
        if (ini_get('opcache.preload') || ini_get('ffi.preload')) {
            try {
                return \FFI::scope(self::SCOPE);
            } catch (\Throwable) {
                // No preloaded scope: load the library here, as in the CLI.
            }
        }
        [$library, $header] = self::locate();
        $declarations = @file_get_contents($header);
        if ($declarations === false) {
            throw self::local('configuration_error', "cannot read the C header {$header}");
        }
        try {
            return \FFI::cdef($declarations, $library);
        } catch (\Throwable $e) {
            throw self::local('configuration_error', "cannot load {$library}: {$e->getMessage()}");
        }
    }

    /**
     * For opcache.preload (php-ffi/preload.php): loads the library once for the whole PHP-FPM pool as the FFI
     * scope `pagoefectivo`, which every request then takes with FFI::scope (allowed under the default
     * ffi.enable=preload; no header is parsed and no library opened per request). FFI::load reads the
     * scoped header (scopedHeader()) from a temporary file. PHP 8.2 refuses FFI::load when the master runs
     * as root and preloads as opcache.preload_user: there, ffi.preload names that header written to a file.
     *
     * @return string the library loaded
     */
    public static function preload(): string
    {
        [$library] = self::locate();
        $scoped = tempnam(sys_get_temp_dir(), 'pagoefectivo-ffi-');
        if ($scoped === false || file_put_contents($scoped, self::scopedHeader()) === false) {
            throw self::local('configuration_error', 'cannot write the preload header in ' . sys_get_temp_dir());
        }
        try {
            \FFI::load($scoped) ?? throw self::local('configuration_error', "FFI::load refused {$library}");
        } finally {
            unlink($scoped);
        }
        return $library;
    }

    /**
     * The generated header (pagoefectivo_ffi.h, as found for FFI::cdef) with `#define FFI_SCOPE "pagoefectivo"` and
     * `#define FFI_LIB` (the library's absolute path) put before it: what FFI::load and ffi.preload read. Derived
     * each time, so it cannot drift from the library's own header.
     */
    public static function scopedHeader(): string
    {
        [$library, $header] = self::locate();
        $library = realpath($library) ?: $library;
        $declarations = @file_get_contents($header);
        if ($declarations === false || str_contains($library, '"')) {
            throw self::local('configuration_error', "cannot declare {$library} with the C header {$header}");
        }
        return '#define FFI_SCOPE "' . self::SCOPE . "\"\n" . '#define FFI_LIB "' . $library . "\"\n" . $declarations;
    }

    /** @return array{0: string, 1: string} the library (PAGOEFECTIVO_LIB, else lib/) and its header */
    private static function locate(): array
    {
        $package = dirname(__DIR__, 2);
        $library = getenv('PAGOEFECTIVO_LIB') ?: $package . '/lib/libpagoefectivo_c.so';
        if (!is_file($library)) {
            throw self::local('configuration_error', "the pagoefectivo native library is not at {$library}: build it "
                . '(cargo build -p pagoefectivo-c) and set PAGOEFECTIVO_LIB to the .so, or copy it into ' . $package . '/lib/');
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
        throw self::local('configuration_error', 'pagoefectivo_ffi.h not found next to ' . $library);
    }

    /** A client-less operation of the core (pe_call). */
    public static function call(string $op, #[\SensitiveParameter] mixed $args = null, string $root = 'args'): mixed
    {
        $json = self::json($args, $root);
        if (is_array($json)) {
            throw self::refused($json, $root);
        }
        return self::result(self::text(self::ffi()->pe_call($op, $json)));
    }

    /**
     * Creates a handle with `new` (pe_client_new, pe_sandbox_start, pe_dedup_new) from `options`.
     *
     * @return array{0: Handle, 1: mixed} the handle and the reply's data
     */
    public static function open(string $new, string $call, string $free, #[\SensitiveParameter] mixed $options, string $root): array
    {
        $json = self::json($options, $root);
        if (is_array($json)) {
            throw self::refused($json, $root);
        }
        $ffi = self::ffi();
        $type = match ($new) {
            'pe_client_new' => 'PeClient*',
            'pe_dedup_new' => 'PeDedup*',
            default => 'PeSandbox*',
        };
        $out = $ffi->new($type);
        $data = self::result(self::text($ffi->{$new}($json, \FFI::addr($out))));
        return [new Handle(\FFI::cast('uintptr_t', $out)->cdata, $type, $call, $free), $data];
    }

    /**
     * JSON for the C ABI, as json_encode writes it (a float stays a float: the core refuses it
     * where it means money or a count, together with every other problem of the request).
     * Never throws: what cannot be JSON (invalid UTF-8, INF, NAN...) comes back as a list of
     * [field, problem] for refused().
     *
     * @return string|list<array{0: string, 1: string}>
     */
    public static function json(#[\SensitiveParameter] mixed $value, string $root = 'args'): string|array
    {
        if ($value === null || $value === []) {
            return $value === null ? 'null' : '{}';
        }
        $json = json_encode($value, self::JSON_FLAGS, 512);
        if ($json !== false) {
            return $json;
        }
        $problems = [];
        self::problems($value, '', 0, $problems);
        return $problems ?: [['', 'cannot be sent as JSON: ' . json_last_error_msg()]];
    }

    /** Where `value` cannot be JSON (reads no secret into a message: only paths). */
    private static function problems(#[\SensitiveParameter] mixed $value, string $path, int $depth, array &$out): void
    {
        if (is_string($value)) {
            if (!preg_match('//u', $value)) {
                $out[] = [$path, 'is not valid UTF-8 text'];
            }
        } elseif (is_float($value)) {
            if (!is_finite($value)) {
                $out[] = [$path, 'is not a finite number'];
            }
        } elseif (is_array($value) || $value instanceof \stdClass) {
            if ($depth >= 500) {
                $out[] = [$path, 'is nested too deeply'];
                return;
            }
            foreach ((array) $value as $key => $item) {
                $at = is_int($key) ? "{$path}[{$key}]" : ($path === '' ? (string) $key : "{$path}.{$key}");
                if (is_string($key) && !preg_match('//u', $key)) {
                    $out[] = [$path, 'has a key that is not valid UTF-8 text'];
                    continue;
                }
                self::problems($item, $at, $depth + 1, $out);
            }
        } elseif (is_resource($value) || $value instanceof \Closure) {
            $out[] = [$path, 'is not a value that can be sent (a ' . get_debug_type($value) . ')'];
        }
    }

    /** The validation_error for what json() could not encode, in the core's shape. @param list<array{0: string, 1: string}> $problems */
    public static function refused(array $problems, string $root = 'args'): PagoEfectivoException
    {
        $fields = array_map(
            fn (array $p) => ['field' => $p[0] === '' ? $root : $p[0], 'code' => '113', 'message' => $p[1]],
            $problems
        );
        $list = implode('; ', array_map(fn (array $f) => "{$f['field']} {$f['message']}", $fields));
        return PagoEfectivoException::fromError([
            'code' => 'validation_error', 'family' => 'validation', 'message' => "invalid input: {$list}",
            'field_errors' => $fields, 'retryable' => false, 'attempts' => 0,
        ]);
    }

    /** Copies a reply into a PHP string and frees it: after this, no CData of it exists anywhere. */
    public static function text(?\FFI\CData $reply): string
    {
        if ($reply === null || \FFI::isNull($reply)) {
            return '{"ok":false,"error":{"code":"internal_error","family":"internal",'
                . '"message":"the native library returned no answer"}}';
        }
        $text = \FFI::string($reply);
        self::ffi()->pe_string_free($reply);
        return $text;
    }

    /** The data of a reply, or its error thrown as the matching exception class. */
    public static function result(string $reply): mixed
    {
        $decoded = json_decode($reply, true, 512, JSON_BIGINT_AS_STRING);
        if (!is_array($decoded)) {
            throw self::local('internal_error', 'the native library answered something that is not JSON: ' . json_last_error_msg());
        }
        if (($decoded['ok'] ?? false) === true) {
            return $decoded['data'] ?? null;
        }
        throw PagoEfectivoException::fromError(is_array($decoded['error'] ?? null) ? $decoded['error'] : ['code' => 'internal_error']);
    }

    /** An error raised on the PHP side, before the core was reached (the library cannot load...). */
    public static function local(string $code, string $message): PagoEfectivoException
    {
        return PagoEfectivoException::fromError([
            'code' => $code, 'family' => strstr($code, '_', true) ?: $code, 'message' => $message,
            'retryable' => false, 'attempts' => 0,
        ]);
    }
}
