<?php
// One page of the settlement report: its rows, and where the next page starts.

declare(strict_types=1);

namespace PagoEfectivo;

final class ReportPage
{
    /** @var list<PaymentRecord> */
    public readonly array $rows;
    /** Where the next page (or tomorrow's incremental run) starts; kept even on the last page. */
    public readonly ?string $nextCursor;
    public readonly bool $hasMore;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->rows = array_map(fn (array $r) => new PaymentRecord($r), $data['rows']);
        $this->nextCursor = $data['nextCursor'] ?? null;
        $this->hasMore = (bool) $data['hasMore'];
    }

    public function toArray(): array
    {
        return $this->data;
    }
}
