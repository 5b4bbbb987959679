<?php
// One row (or pair of rows) of a reconciliation, with what each side says; amounts are decimal strings.

declare(strict_types=1);

namespace PagoEfectivo\Reconciliation;

use PagoEfectivo\CipStatus;
use PagoEfectivo\Internal\Wire;

/** @implements \ArrayAccess<string, mixed> */
final class Discrepancy implements \ArrayAccess
{
    use ReadsLikeAnArray;

    /** `missed_notification`, `amount_mismatch`, ... (docs/reconciliation.md). */
    public readonly string $class;
    /** `merchant` or `pagoefectivo` for a one-sided finding (duplicate, unknown reference). */
    public readonly ?string $side;
    /** The merchant's order id / PagoEfectivo's transactionCode. */
    public readonly ?string $orderId;
    public readonly ?int $cip;
    public readonly string $currency;
    public readonly ?string $orderAmount;
    public readonly ?string $pagoefectivoAmount;
    /** PagoEfectivo's amount minus the order's, when both exist. */
    public readonly ?string $difference;
    /** `pending`, `paid` or `closed`. */
    public readonly ?string $orderStatus;
    public readonly ?CipStatus $pagoefectivoStatus;
    public readonly ?string $orderRefunded;
    public readonly ?string $pagoefectivoRefunded;
    public readonly ?\DateTimeImmutable $expiresAt;
    public readonly ?\DateTimeImmutable $paidAt;
    /** The business day (YYYY-MM-DD) the money was due. */
    public readonly ?string $expectedSettlement;
    public readonly ?int $orderLine;
    public readonly ?int $pagoefectivoLine;
    /** Prose for a person. */
    public readonly string $detail;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->class = $data['class'];
        $this->side = $data['side'] ?? null;
        $this->orderId = $data['orderId'] ?? null;
        $this->cip = isset($data['cip']) ? (int) $data['cip'] : null;
        $this->currency = $data['currency'];
        $this->orderAmount = $data['orderAmount'] ?? null;
        $this->pagoefectivoAmount = $data['pagoefectivoAmount'] ?? null;
        $this->difference = $data['difference'] ?? null;
        $this->orderStatus = $data['orderStatus'] ?? null;
        $this->pagoefectivoStatus = isset($data['pagoefectivoStatus']) ? CipStatus::from($data['pagoefectivoStatus']) : null;
        $this->orderRefunded = $data['orderRefunded'] ?? null;
        $this->pagoefectivoRefunded = $data['pagoefectivoRefunded'] ?? null;
        $this->expiresAt = Wire::time($data['expiresAt'] ?? null);
        $this->paidAt = Wire::time($data['paidAt'] ?? null);
        $this->expectedSettlement = $data['expectedSettlement'] ?? null;
        $this->orderLine = isset($data['orderLine']) ? (int) $data['orderLine'] : null;
        $this->pagoefectivoLine = isset($data['pagoefectivoLine']) ? (int) $data['pagoefectivoLine'] : null;
        $this->detail = (string) ($data['detail'] ?? '');
    }
}
