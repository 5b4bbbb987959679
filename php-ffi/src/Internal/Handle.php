<?php
// Owns one native handle (a client, a sandbox or a deduplicator): runs its operations and frees it when the last user is gone.

declare(strict_types=1);

namespace PagoEfectivo\Internal;

/** @internal */
final class Handle
{
    /**
     * The handle is kept as its address, not as an FFI\CData: an object that holds a Handle can
     * sit in a user's stack frame when an exception is made, and no dump of that trace
     * (var_export ignores __debugInfo) may show or touch a native pointer. Each call makes the
     * pointer afresh as a temporary argument of the C function.
     *
     * @param int    $address the handle pe_client_new, pe_sandbox_start or pe_dedup_new stored
     * @param string $type    its C type (`PeClient*`, `PeSandbox*`, `PeDedup*`)
     * @param string $call    the C function that runs an operation on it
     * @param string $free    the C function that frees it
     */
    public function __construct(
        private readonly int $address,
        private readonly string $type,
        private readonly string $call,
        private readonly string $free
    ) {
    }

    /** Runs `op` with `args`; the handle is `$this`, never an argument of a PHP frame. */
    public function call(string $op, #[\SensitiveParameter] mixed $args = null): mixed
    {
        $json = Native::json($args);
        if (is_array($json)) {
            throw Native::refused($json);
        }
        $ffi = Native::ffi();
        $address = $this->address; // FFI::cast takes its value by reference: a copy, not the readonly property
        return Native::result(Native::text($ffi->{$this->call}($ffi->cast($this->type, $address), $op, $json)));
    }

    /**
     * Runs `op` over `bytes` passed as a pointer and a length (pe_dedup_call: a notification's raw
     * body, any content, NULs included).
     */
    public function callOnBytes(string $op, string $bytes): mixed
    {
        $ffi = Native::ffi();
        $address = $this->address;
        return Native::result(Native::text($ffi->{$this->call}($ffi->cast($this->type, $address), $op, $bytes, strlen($bytes))));
    }

    public function __destruct()
    {
        $ffi = Native::ffi();
        $address = $this->address;
        $ffi->{$this->free}($ffi->cast($this->type, $address));
    }

    public function __serialize(): array
    {
        throw new \LogicException('a native handle cannot be serialized');
    }

    public function __clone()
    {
        // A copy would free the same pointer twice.
        throw new \LogicException('a native handle cannot be cloned');
    }

    public function __debugInfo(): array
    {
        return ['handle' => $this->type];
    }
}
