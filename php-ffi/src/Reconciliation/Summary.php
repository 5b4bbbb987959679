<?php
// Rows read on each side, discrepancies, and counts and sums per class and currency.

declare(strict_types=1);

namespace PagoEfectivo\Reconciliation;

/** @implements \ArrayAccess<string, mixed> */
final class Summary implements \ArrayAccess
{
    use ReadsLikeAnArray;

    public readonly int $orders;
    public readonly int $payments;
    /** Discrepancies: every class but matched and unpaid. */
    public readonly int $exceptions;
    /** @var array<string, int> count per class, all currencies together (classes with none are absent) */
    public readonly array $counts;
    /** @var list<ClassTotal> per class and currency, in class then currency order */
    public readonly array $totals;
    /** The Lima date (YYYY-MM-DD) expiry and settlement were judged against. */
    public readonly ?string $asOf;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->orders = (int) $data['orders'];
        $this->payments = (int) $data['payments'];
        $this->exceptions = (int) $data['exceptions'];
        $this->counts = array_map('intval', $data['counts'] ?? []);
        $this->totals = array_map(fn (array $t) => new ClassTotal($t), $data['totals'] ?? []);
        $this->asOf = $data['asOf'] ?? null;
    }
}
