<?php
// Conversions shared by the value objects: wire times to DateTimeImmutable and back, and the raw data kept for toArray().

declare(strict_types=1);

namespace PagoEfectivo\Internal;

/** @internal */
final class Wire
{
    /** A Lima-time wire string (`2026-01-01T10:00:00-05:00`) or null. */
    public static function time(mixed $value): ?\DateTimeImmutable
    {
        return is_string($value) ? new \DateTimeImmutable($value) : null;
    }

    /** Any DateTimeInterface (any zone: the core converts to Lima time) or a wire string, as the wire string. */
    public static function timeArg(\DateTimeInterface|string $value): string
    {
        return $value instanceof \DateTimeInterface ? $value->format('Y-m-d\TH:i:sP') : $value;
    }

    /** Replaces DateTimeInterface values of a request array by their wire form. */
    public static function request(array $request): array
    {
        foreach ($request as $key => $value) {
            if ($value instanceof \DateTimeInterface) {
                $request[$key] = self::timeArg($value);
            } elseif (is_array($value)) {
                $request[$key] = self::request($value);
            }
        }
        return $request;
    }
}
