<?php
// Read-only array access to a result's JSON form, for code written when results were arrays.

declare(strict_types=1);

namespace PagoEfectivo\Reconciliation;

/** @internal */
trait ReadsLikeAnArray
{
    public function offsetExists(mixed $offset): bool
    {
        return isset($this->data[$offset]);
    }

    public function offsetGet(mixed $offset): mixed
    {
        return $this->data[$offset] ?? null;
    }

    public function offsetSet(mixed $offset, mixed $value): void
    {
        throw new \LogicException('reconciliation results are read-only');
    }

    public function offsetUnset(mixed $offset): void
    {
        throw new \LogicException('reconciliation results are read-only');
    }

    /** The core's JSON form. */
    public function toArray(): array
    {
        return $this->data;
    }
}
