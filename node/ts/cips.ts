// `client.cips`: create, search, get, extend, delete and wait for a CIP's final status.
import type { NativeClient } from './native';
import { wrap, wrapAsync } from './errors';
import { toIso } from './time';

export type Currency = 'PEN' | 'USD';
export type DocumentType = 'DNI' | 'PAR' | 'PAS' | 'LMI' | 'NAN';
/** `generated` (22), `paid` (23, legacy 593), `expired` (21, legacy 595), `deleted` (25), `unknown` (any other code). */
export type CipStatus = 'generated' | 'paid' | 'expired' | 'deleted' | 'unknown';
/** A CIP number: up to 14 digits, so a `number` holds it exactly; a `bigint` or a digit string works too. */
export type CipNumber = number | bigint | string;

/** A creation request. Money is a decimal string (`"25.50"`), never a JS number. */
export interface CreateCipParams {
  currency: Currency;
  /** Greater than 0, at most 2 decimals: `"149.90"`. */
  amount: string;
  /** Your order id (1 to 36 characters). */
  transactionCode: string;
  userEmail: string;
  /** Absent: the merchant's default. A `Date` or an ISO string with offset; sent in Lima time. */
  dateExpiry?: Date | string;
  paymentConcept?: string;
  additionalData?: string;
  adminEmail?: string;
  userId?: string;
  userName?: string;
  userLastName?: string;
  /** 6 digits. */
  userUbigeo?: string;
  userCountry?: string;
  userDocumentType?: DocumentType;
  userDocumentNumber?: string;
  userPhone?: string;
  /** A calling code like `+51`. */
  userCodeCountry?: string;
}

/** A newly created CIP: the code to show the shopper and its voucher page. */
export interface Cip {
  cip: number;
  currency: Currency;
  amount: string;
  transactionCode: string;
  /** Lima time, `2026-11-25T18:00:00-05:00`. */
  dateExpiry: string;
  cipUrl: string;
}

/** A CIP as a search reports it. Unset times (the wire's 1900 sentinel) are `null`. */
export interface CipInfo {
  cip: number;
  transactionCode: string;
  amount: string;
  currency: Currency;
  status: CipStatus;
  statusCode: number;
  statusName: string;
  dateCreation: string | null;
  dateExpiry: string | null;
  datePayment: string | null;
  dateRemoval: string | null;
  /** The voucher page's GUID. */
  token: string | null;
}

export interface WaitOptions {
  /** Give up with a `WaitTimeoutError` after this long (default 10 minutes). */
  timeoutMs?: number;
  /** First pause between two searches (default 2 s), doubling up to `maxIntervalMs` (default 60 s). */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
}

/**
 * A shallow copy without `undefined` values and with `Date`s as ISO strings (what the addon reads).
 * @internal
 */
export function plain(params: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (k === 'cip' && typeof v === 'bigint') {
      out[k] = v.toString(); // a CIP number as digits: exact, and the core reads it
      continue;
    }
    // JSON.stringify would drop or throw on these; an object makes the core name the field instead.
    const unsupported = typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint';
    out[k] = v instanceof Date ? toIso(v) : unsupported ? { unsupported: typeof v } : v;
  }
  return out;
}

/**
 * The request as JSON text; a non-object is passed as such so the core reports it.
 * @internal
 */
export function requestJson(params: unknown): string {
  return JSON.stringify(typeof params === 'object' && params !== null ? plain(params) : (params ?? null));
}

/** @internal */
export function cipArg(cip: CipNumber): CipNumber | null {
  return cip ?? null;
}

/** CIP operations of one client. Every network call returns a Promise; none blocks the event loop. */
export class Cips {
  readonly #native: NativeClient;

  /** @internal */
  constructor(native: NativeClient) {
    this.#native = native;
  }

  /**
   * Validates every field (all problems at once, `ValidationError.fieldErrors`), then creates the CIP.
   * Never retried once it may have reached PagoEfectivo: an `OutcomeUnknownError` means it may exist.
   */
  async create(params: CreateCipParams): Promise<Cip> {
    return JSON.parse(await wrapAsync(() => this.#native.createCip(requestJson(params)))) as Cip;
  }

  /** Throws the `ValidationError` that `create` would, without any request. */
  validate(params: CreateCipParams): void {
    wrap(() => this.#native.validateCipRequest(requestJson(params)));
  }

  /** Looks CIPs up (in batches); unknown CIPs are absent from the result. */
  async search(cips: readonly CipNumber[]): Promise<CipInfo[]> {
    const list = Array.isArray(cips) ? cips.map(cipArg) : (cips ?? null);
    return JSON.parse(await wrapAsync(() => this.#native.searchCips(list))) as CipInfo[];
  }

  /** One CIP; `NotFoundError` if PagoEfectivo does not know it. */
  async get(cip: CipNumber): Promise<CipInfo> {
    return JSON.parse(await wrapAsync(() => this.#native.getCip(cipArg(cip)))) as CipInfo;
  }

  /** Moves the expiry (must be in the future); an expired CIP becomes payable again. */
  extend(cip: CipNumber, dateExpiry: Date | string): Promise<void> {
    return wrapAsync(() => this.#native.extendCip(cipArg(cip), toIso(dateExpiry)));
  }

  /** Cancels an unpaid CIP; its voucher page disappears. */
  delete(cip: CipNumber): Promise<void> {
    return wrapAsync(() => this.#native.deleteCip(cipArg(cip)));
  }

  /**
   * Polls with back-off until the CIP is paid, expired or deleted; transient errors are polled
   * through. Rejects with `WaitTimeoutError` at the deadline.
   */
  async waitForFinalStatus(cip: CipNumber, options: WaitOptions = {}): Promise<CipInfo> {
    return JSON.parse(await wrapAsync(() => this.#native.waitForFinalStatus(cipArg(cip), plain(options)))) as CipInfo;
  }
}
