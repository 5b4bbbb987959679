// `client.cips`: create, search, get, extend, delete and wait for a CIP's final status.
import { call, clientCall } from './addon';
import { invalidArgument } from './errors';
import type * as schema from './generated/schema';
import type { NativeClient } from './native';

export type Currency = schema.Currency;
export type DocumentType = schema.DocumentType;
/** `generated` (22), `paid` (23, legacy 593), `expired` (21, legacy 595), `deleted` (25), `unknown` (any other code). */
export type CipStatus = schema.CipStatus;
/** A CIP number: up to 14 digits, so a `number` holds it exactly; a `bigint` or a digit string works too. */
export type CipNumber = number | bigint | string;
/** Money in: a decimal string (`"25.50"`) or an exact integer `bigint` (`25n`); never a JS number (a binary float). */
export type Money = string | bigint;
/** A time in: a `Date`, or an ISO string with its offset (`Z`, `-05:00`); one without an offset is refused. */
export type TimeInput = Date | string;

/** A creation request (the fields of the core's `CreateCipRequest`). */
export interface CreateCipParams {
  currency: Currency;
  /** Greater than 0, at most 2 decimals: `"149.90"`. */
  amount: Money;
  /** Your order id (1 to 36 characters). */
  transactionCode: string;
  userEmail: string;
  /** Absent: the merchant's default. Sent in Lima time. */
  dateExpiry?: TimeInput;
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

/** A newly created CIP: the code to show the shopper and its voucher page. Times in Lima wire form. */
export type Cip = schema.Cip;

/** A CIP as a search reports it. Unset times (the wire's 1900 sentinel) are `null`. */
export type CipInfo = schema.CipInfo;

export interface WaitOptions {
  /** Give up with a `WaitTimeoutError` after this long (default 10 minutes, at most a week). */
  timeoutMs?: number;
  /** First pause between two searches (default 2 s), doubling up to `maxIntervalMs` (default 60 s). */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
}

/**
 * The arguments of an operation that takes an options object after positional ones.
 * @internal
 */
export function withOptions(options: object | undefined, args: Record<string, unknown>): Record<string, unknown> {
  if (options === undefined) return args;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidArgument('options', 'must be an object');
  }
  return { ...options, ...args };
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
  create(params: CreateCipParams): Promise<Cip> {
    return clientCall(this.#native, 'cips.create', params);
  }

  /** Throws the `ValidationError` that `create` would, without any request. */
  validate(params: CreateCipParams): void {
    call('cip.validate_create', params);
  }

  /** Looks CIPs up (in batches); unknown CIPs are absent from the result. */
  search(cips: readonly CipNumber[]): Promise<CipInfo[]> {
    return clientCall(this.#native, 'cips.search', { cips });
  }

  /** One CIP; `NotFoundError` if PagoEfectivo does not know it. */
  get(cip: CipNumber): Promise<CipInfo> {
    return clientCall(this.#native, 'cips.get', { cip });
  }

  /** Moves the expiry (must be in the future); an expired CIP becomes payable again. */
  async extend(cip: CipNumber, dateExpiry: TimeInput): Promise<void> {
    await clientCall(this.#native, 'cips.extend', { cip, dateExpiry });
  }

  /** Cancels an unpaid CIP; its voucher page disappears. */
  async delete(cip: CipNumber): Promise<void> {
    await clientCall(this.#native, 'cips.delete', { cip });
  }

  /**
   * Polls with back-off until the CIP is paid, expired or deleted; transient errors are polled
   * through. Rejects with `WaitTimeoutError` at the deadline.
   */
  async waitForFinalStatus(cip: CipNumber, options?: WaitOptions): Promise<CipInfo> {
    return clientCall(this.#native, 'cips.wait_for_final_status', withOptions(options, { cip }));
  }
}
