<?php
// The outcome of a reconciliation: a summary and the exceptions to follow up, in source order.

declare(strict_types=1);

namespace PagoEfectivo;

final class Reconciliation
{
    /** @var array{orders: int, payments: int, exceptions: int, counts: array<string, int>, totals: list<array>, asOf: string} */
    public readonly array $summary;
    /** @var list<array<string, mixed>> each with class, side, orderId, cip, amounts (decimal strings), statuses, detail */
    public readonly array $exceptions;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->summary = $data['summary'];
        $this->exceptions = $data['exceptions'];
    }

    /** How many rows fell in `class` (`matched`, `missed_notification`...). */
    public function count(string $class): int
    {
        return (int) ($this->summary['counts'][$class] ?? 0);
    }

    public function toArray(): array
    {
        return $this->data;
    }
}
