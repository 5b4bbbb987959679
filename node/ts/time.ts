// Lima time helpers: the SDK speaks ISO strings with -05:00; these convert to and from `Date`.
import { native } from './addon';
import { wrap } from './errors';

/** Any time (a `Date`, or a string with any offset, `T` or space, `Z`) in Lima wire form `2026-11-25T18:00:00-05:00`. */
export function format(value: Date | string): string {
  return wrap(() => native.limaTime(toIso(value)));
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

/** A `Date` becomes an ISO string (any string passes through, the core parses it). */
export function toIso(value: Date | string): string {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  }
  return value;
}
