<?php
// Count and sum of one class in one currency.

declare(strict_types=1);

namespace PagoEfectivo\Reconciliation;

/** @implements \ArrayAccess<string, mixed> */
final class ClassTotal implements \ArrayAccess
{
    use ReadsLikeAnArray;

    public readonly string $class;
    public readonly string $currency;
    public readonly int $count;
    /** A decimal string. */
    public readonly string $amount;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->class = $data['class'];
        $this->currency = $data['currency'];
        $this->count = (int) $data['count'];
        $this->amount = $data['amount'];
    }
}
