<?php
// Owns one native handle and frees it when the last PHP object using it is gone (Cips and Refunds outlive Client).

declare(strict_types=1);

namespace PagoEfectivo\Internal;

/** @internal */
final class Handle
{
    /** @param string $free the C function that frees this kind of handle */
    public function __construct(public readonly \FFI\CData $ptr, private readonly string $free)
    {
    }

    public function __destruct()
    {
        Native::ffi()->{$this->free}($this->ptr);
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
}
