// Webhooks: verify `PE-Signature` over the raw body and parse the event; deduplicate redeliveries.
import { call, native } from './addon';
import { wrap } from './errors';
import type * as schema from './generated/schema';
import type { RefundStatus } from './refunds';

/** The header PagoEfectivo signs notifications with. */
export const SIGNATURE_HEADER = 'PE-Signature';

/** `cip.paid`: the money is confirmed. `amount` is a decimal string, `paymentDate` Lima time. */
export interface CipPaidEvent extends schema.CipPaid {
  type: 'cip_paid';
  eventType: 'cip.paid';
  /** `eventType:operationNumber:cip`: the identity of a delivery (the protocol has no event id). */
  dedupKey: string;
}

/**
 * A refund changed state: `refund.processing`, `refund.refunded`, `refund.rejected`, and `cip.refunded`
 * (the SDK's refund extension).
 */
export interface RefundEvent extends schema.RefundEvent {
  type: 'refund';
  eventType: string;
  status: RefundStatus;
  dedupKey: string;
}

/** Any other event type (`cip.expired`, future ones), with the whole body parsed. */
export interface OtherEvent extends schema.OtherEvent {
  type: 'other';
  eventType: string;
  dedupKey: string;
}

/** A verified notification, as the core serializes it (`type`, `eventType`, `dedupKey` included). */
export type WebhookEvent = CipPaidEvent | RefundEvent | OtherEvent;

/** Request headers: Node's `IncomingHttpHeaders` (`req.headers`), a fetch `Headers`, or a plain object. */
export type RequestHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What a header lookup may give (`req.get('PE-Signature')`, `headers.get(...)`), or all the request headers. */
export type SignatureHeader = string | readonly string[] | null | undefined | RequestHeaders;

export interface VerifyOptions {
  /** Bodies longer than this are refused (`body_too_large`) before anything else; default 64 KiB. */
  maxBodyBytes?: number;
}

/** The `PE-Signature` value among request headers, the name compared case-insensitively (the core's `find_signature`). */
export function signatureFromHeaders(headers: RequestHeaders | null | undefined): string | null {
  if (headers === null || typeof headers !== 'object') return null;
  const entries: Record<string, string> = {};
  if (typeof (headers as { get?: unknown }).get === 'function' && Symbol.iterator in headers) {
    for (const [k, v] of headers as unknown as Iterable<[string, string]>) entries[k] = v;
  } else {
    for (const [k, v] of Object.entries(headers)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === 'string') entries[k] = value;
    }
  }
  return call<string | null>('webhook.find_signature', { headers: entries });
}

/** @internal */
export function headerValue(signature: SignatureHeader): string | null | undefined {
  if (typeof signature === 'string' || signature === null || signature === undefined) return signature;
  if (Array.isArray(signature)) return signature.length > 0 ? String(signature[0]) : null;
  return signatureFromHeaders(signature as RequestHeaders);
}

/**
 * Verifies `PE-Signature` over the raw body exactly as received, then parses the event.
 * Pass the raw bytes (`express.raw({ type: 'application/json' })`, `await request.text()` in
 * Next.js): a parsed object is refused with a `SignatureVerificationError` explaining how.
 * `signature` is the header's value, or the request's headers (looked up case-insensitively).
 * Throws `SignatureVerificationError` with `reason` `missing_signature`, `malformed_signature`,
 * `signature_mismatch`, `malformed_body` or `body_too_large` (and a `hint` on a mismatch).
 */
export function constructEvent(
  rawBody: Buffer | Uint8Array | string,
  signature: SignatureHeader,
  secret: string,
  options?: VerifyOptions,
): WebhookEvent {
  const sig = headerValue(signature);
  const max = options?.maxBodyBytes;
  if (typeof secret === 'string' && secret.isWellFormed()) {
    return JSON.parse(wrap(() => native.verifyWebhook(rawBody, sig, secret, max))) as WebhookEvent;
  }
  // A secret the fast path cannot take: the core's `webhook.verify` names what is wrong with it.
  const body = rawBody instanceof Uint8Array ? Buffer.from(rawBody).toString('utf8') : rawBody;
  return call('webhook.verify', { body, signature: sig, secret, maxBodyBytes: max });
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

export const webhooks = { constructEvent, sign, signatureFromHeaders, SIGNATURE_HEADER, Deduplicator } as const;
