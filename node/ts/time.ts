// Lima time helpers: the SDK speaks ISO strings with -05:00; these convert to and from `Date`.
import { call, native } from './addon';
import type { TimeInput } from './cips';

/**
 * A time (a `Date`, or a string with its offset: `Z`, `+00:00`, `-05:00`; `T` or a space) in Lima wire
 * form `2026-11-25T18:00:00-05:00`. A string without an offset is a `ValidationError`: its instant is ambiguous.
 */
export function format(value: TimeInput): string {
  return call('time.parse', { time: value });
}

/** Now, in Lima wire form. */
export function now(): string {
  return native.limaNow();
}

/** A `Date` for a time string of this SDK; `null` stays `null`. */
export function toDate(value: string): Date;
export function toDate(value: string | null): Date | null;
export function toDate(value: string | null): Date | null {
  if (value === null) return null;
  return new Date(format(value));
}

/** A `Date` as an ISO string (UTC); a string passes through (the core reads it). */
export function toIso(value: TimeInput): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return value;
}
