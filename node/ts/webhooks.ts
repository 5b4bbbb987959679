// Webhooks: verify `PE-Signature` over the raw body and parse the event; deduplicate redeliveries.
import { native } from './addon';
import { wrap } from './errors';
import type { Currency } from './cips';
import type { RefundStatus } from './refunds';

/** The header PagoEfectivo signs notifications with. */
export const SIGNATURE_HEADER = 'PE-Signature';

/** `cip.paid`: the money is confirmed. */
export interface CipPaidEvent {
  type: 'cip_paid';
  eventType: 'cip.paid';
  operationNumber: string;
  cip: number;
  currency: Currency;
  /** Decimal string with two decimals. */
  amount: string;
  paymentDate: string | null;
  transactionCode: string | null;
  /** `eventType:operationNumber:cip`: the identity of a delivery (the protocol has no event id). */
  dedupKey: string;
}

/**
 * A refund changed state: `refund.processing`, `refund.refunded`, `refund.rejected`, and `cip.refunded`
 * (the SDK's refund extension).
 */
export interface RefundEvent {
  type: 'refund';
  eventType: string;
  operationNumber: string;
  refundId: string | null;
  cip: number;
  merchantRefundId: string | null;
  currency: Currency;
  /** Decimal string. */
  amount: string;
  status: RefundStatus;
  reasonCode: string | null;
  dedupKey: string;
}

/** Any other event type (`cip.expired`, future ones), with the whole body parsed. */
export interface OtherEvent {
  type: 'other';
  eventType: string;
  operationNumber: string | null;
  cip: number | null;
  body: unknown;
  dedupKey: string;
}

export type WebhookEvent = CipPaidEvent | RefundEvent | OtherEvent;

/** What a header lookup may give: Node's `IncomingHttpHeaders` values, or `Headers.get()`. */
export type SignatureHeader = string | readonly string[] | null | undefined;

/** @internal */
export function headerValue(signature: SignatureHeader): string | null {
  if (Array.isArray(signature)) return signature.length > 0 ? String(signature[0]) : null;
  return typeof signature === 'string' ? signature : null;
}

/**
 * Verifies `PE-Signature` over the raw body exactly as received, then parses the event.
 * Pass the raw bytes (`express.raw({ type: 'application/json' })`, `await request.text()` in
 * Next.js): a parsed object is refused with a `SignatureVerificationError` explaining how.
 * Throws `SignatureVerificationError` with `reason` `missing_signature`, `malformed_signature`,
 * `signature_mismatch` or `malformed_body` (and a `hint` on a mismatch).
 */
export function constructEvent(
  rawBody: Buffer | Uint8Array | string,
  signature: SignatureHeader,
  secret: string,
): WebhookEvent {
  return JSON.parse(wrap(() => native.verifyWebhook(rawBody, headerValue(signature), secret))) as WebhookEvent;
}

/** `lowercase_hex(HMAC-SHA256(secret, body))`: to test your own endpoint. */
export function sign(rawBody: Buffer | Uint8Array | string, secret: string): string {
  return wrap(() => native.signWebhook(rawBody, secret));
}

/** Where seen delivery keys live; implement it over your database (an INSERT on a unique key) when several servers receive notifications. */
export interface DedupStore {
  /** Records `key` for `ttlMs`; `true` if it was not already recorded. */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets `key`, so that a redelivery is processed (after a failure). */
  release(key: string): void | Promise<void>;
}

export interface DeduplicatorOptions {
  /** Default: the core's in-memory store (one process). */
  store?: DedupStore;
  /** How long a delivery is remembered; default 7 days. */
  ttlMs?: number;
}

/** Answers "have we already processed this notification?" (PagoEfectivo retries a non-200). */
export class Deduplicator {
  readonly store: DedupStore;
  readonly ttlMs: number;

  constructor(options: DeduplicatorOptions = {}) {
    this.store = options.store ?? new native.MemoryDedupStore();
    this.ttlMs = options.ttlMs ?? native.dedupDefaultTtlMs();
  }

  /** `true` the first time an event is seen, `false` for a redelivery. */
  async firstDelivery(event: WebhookEvent): Promise<boolean> {
    return wrap(() => this.store.claim(event.dedupKey, this.ttlMs));
  }

  /** Call when processing failed, so that the redelivery is processed. */
  async forget(event: WebhookEvent): Promise<void> {
    await wrap(() => this.store.release(event.dedupKey));
  }
}

export const webhooks = { constructEvent, sign, SIGNATURE_HEADER, Deduplicator } as const;
