<?php
// The outcome of a reconciliation: a summary and the discrepancies to follow up, in source order.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Reconciliation\Discrepancy;
use PagoEfectivo\Reconciliation\Summary;

final class Reconciliation
{
    public readonly Summary $summary;
    /** @var list<Discrepancy> every class but matched and unpaid is one to follow up; orders first */
    public readonly array $exceptions;
    /** From the settlement report: where tomorrow's incremental run starts (pass it as `cursor`). */
    public readonly ?string $nextCursor;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->summary = new Summary($data['summary']);
        $this->exceptions = array_map(fn (array $e) => new Discrepancy($e), $data['exceptions']);
        $this->nextCursor = $data['nextCursor'] ?? null;
    }

    /** How many rows fell in `class` (`matched`, `missed_notification`...). */
    public function count(string $class): int
    {
        return $this->summary->counts[$class] ?? 0;
    }

    /** The core's JSON form. */
    public function toArray(): array
    {
        return $this->data;
    }
}
