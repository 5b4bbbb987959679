// JS values as the JSON text the core's boundary reads: one rule per JS type, so that the core decides.
import { DECIMAL_FIELDS } from './generated/schema';

const MONEY = new Set([...DECIMAL_FIELDS, ...DECIMAL_FIELDS.map(normal)]);

function normal(key: string): string {
  return key.replace(/_/g, '').toLowerCase();
}

/**
 * A value JSON has no form for (a function, a symbol, `NaN`, text with a lone UTF-16 surrogate,
 * an object nested past any sense): an object, which the core refuses wherever a value is read
 * (`must be a string`, `must be a decimal amount`...), naming the field, with every other problem.
 */
function unrepresentable(what: string): string {
  return `{"$unrepresentable":${JSON.stringify(what)}}`;
}

const MAX_DEPTH = 64;

/**
 * A JS number: a safe integer is an integer; any other number (a fraction, an integer past 2^53,
 * and every number where money goes: a JS number is a binary float) is written as a float, with a
 * fraction or an exponent, which the core refuses where it needs exactness.
 */
function number(n: number, money: boolean): string {
  if (!Number.isFinite(n)) return unrepresentable(String(n));
  if (!money && Number.isSafeInteger(n)) return String(n);
  const text = String(n);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

function write(v: unknown, key: string, depth: number): string | undefined {
  switch (typeof v) {
    case 'string':
      return v.isWellFormed() ? JSON.stringify(v) : unrepresentable('text with a lone UTF-16 surrogate');
    case 'number':
      return number(v, key !== '' && (MONEY.has(key) || MONEY.has(normal(key))));
    case 'bigint':
      return v.toString(); // an exact integer
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return undefined; // absent
    case 'function':
    case 'symbol':
      return unrepresentable(`a ${typeof v}`);
  }
  if (v === null) return 'null';
  if (depth > MAX_DEPTH) return unrepresentable('an object nested too deeply');
  if (v instanceof Date) return JSON.stringify(Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString());
  if (Array.isArray(v)) return `[${v.map((x) => write(x, '', depth + 1) ?? 'null').join(',')}]`;
  const o = v as Record<string, unknown>;
  // Decimal types (decimal.js, big.js...) and other values that say how they serialize.
  if (typeof o.toJSON === 'function') return write(o.toJSON(key), key, depth + 1);
  let out = '';
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const text = write(o[k], k, depth + 1);
    if (text === undefined) continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(k)}:${text}`;
  }
  return `{${out}}`;
}

/** Whether `JSON.stringify` already writes `o` as `write` would (flat, well-formed text, no money numbers). */
function plain(o: object): boolean {
  if (Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    switch (typeof v) {
      case 'string':
        if (!v.isWellFormed()) return false;
        break;
      case 'number':
        if (!Number.isSafeInteger(v) || MONEY.has(k) || MONEY.has(normal(k))) return false;
        break;
      case 'boolean':
      case 'undefined':
        break;
      default:
        if (v !== null) return false;
    }
  }
  return true;
}

/** The JSON text of `value` for the core (`undefined` is `null`). */
export function encode(value: unknown): string {
  // The common case (a request of strings) in one native call.
  if (typeof value === 'object' && value !== null && plain(value)) return JSON.stringify(value);
  return write(value, '', 0) ?? 'null';
}
