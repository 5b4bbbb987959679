<?php
// Any other notification type (`cip.expired`, future ones), with its parsed body.

declare(strict_types=1);

namespace PagoEfectivo;

final class OtherEvent implements Event
{
    public readonly string $eventType;
    public readonly string $dedupKey;
    public readonly ?string $operationNumber;
    public readonly ?int $cip;
    /** The whole notification, parsed. */
    public readonly mixed $body;

    /**
     * @param array<string, mixed> $data    the core's JSON
     * @param string               $rawBody the body it was verified from, byte for byte (Webhook::constructEvent keeps it)
     */
    public function __construct(private readonly array $data, private readonly string $rawBody = '')
    {
        $this->eventType = $data['eventType'];
        $this->dedupKey = $data['dedupKey'];
        $this->operationNumber = $data['operationNumber'] ?? null;
        $this->cip = isset($data['cip']) ? (int) $data['cip'] : null;
        $this->body = $data['body'] ?? null;
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
