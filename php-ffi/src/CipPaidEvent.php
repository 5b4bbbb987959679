<?php
// `cip.paid`: the money is confirmed.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Wire;

final class CipPaidEvent implements Event
{
    public readonly string $eventType;
    /** `cip.paid:operationNumber:cip`: deduplicate on it (the same notification can arrive twice). */
    public readonly string $dedupKey;
    public readonly string $operationNumber;
    public readonly int $cip;
    public readonly string $currency;
    /** As sent (a decimal string, never rounded), e.g. "22.05". */
    public readonly string $amount;
    /** Made on first read (a DateTimeImmutable costs about as much as the whole verification): read it as any property. */
    public readonly ?\DateTimeImmutable $paymentDate;
    public readonly ?string $transactionCode;

    /**
     * @param array<string, mixed> $data    the core's JSON
     * @param string               $rawBody the body it was verified from, byte for byte (Webhook::constructEvent keeps it)
     */
    public function __construct(private readonly array $data, private readonly string $rawBody = '')
    {
        $this->eventType = $data['eventType'];
        $this->dedupKey = $data['dedupKey'];
        $this->operationNumber = $data['operationNumber'];
        $this->cip = (int) $data['cip'];
        $this->currency = $data['currency'];
        $this->amount = $data['amount'];
        if (isset($data['paymentDate'])) {
            unset($this->paymentDate); // uninitialized and unset: the first read goes to __get()
        } else {
            $this->paymentDate = null;
        }
        $this->transactionCode = $data['transactionCode'] ?? null;
    }

    /** The lazy $paymentDate, set once on its first read. */
    public function __get(string $name): mixed
    {
        if ($name !== 'paymentDate') {
            throw new \Error('Undefined property: ' . self::class . '::$' . $name);
        }
        return $this->paymentDate = Wire::time($this->data['paymentDate']);
    }

    public function __isset(string $name): bool
    {
        return $name === 'paymentDate' && isset($this->data['paymentDate']);
    }

    public function eventType(): string
    {
        return $this->eventType;
    }

    public function dedupKey(): string
    {
        return $this->dedupKey;
    }

    public function toArray(): array
    {
        return $this->data;
    }

    public function rawBody(): string
    {
        return $this->rawBody;
    }
}
