<?php
// The settlement report of a client (the SDK's extension endpoint, see the main README), one page at a time.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Handle;

final class Reports
{
    /** @internal use Client::reports() */
    public function __construct(private readonly Handle $handle)
    {
    }

    /**
     * The paid CIPs whose Lima payment date is within `dateFrom..dateTo` (YYYY-MM-DD or a
     * DateTimeInterface), after `cursor`, at most `limit` (0: the server's default). For every page
     * at once, reconciled, see ClientReconciliation::settlementReport().
     */
    public function page(
        \DateTimeInterface|string|null $dateFrom = null,
        \DateTimeInterface|string|null $dateTo = null,
        ?string $cursor = null,
        int|float $limit = 0
    ): ReportPage {
        return new ReportPage($this->handle->call('reports.page', ClientReconciliation::query($dateFrom, $dateTo, $cursor, $limit)));
    }
}
