// Webhooks: verify `PE-Signature` over the raw body and parse the event; deduplicate redeliveries.
import { call, native } from './addon';
import { fromNative, invalidArgument, wrap, wrapAsync } from './errors';
import { encode } from './json';
import type { NativeDeduplicator } from './native';
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
    let answer: string;
    try {
      answer = native.verifyWebhook(rawBody, sig, secret, max);
    } catch (e) {
      throw fromNative(e);
    }
    return eventOf(answer, rawBody);
  }
  // A secret the fast path cannot take: the core's `webhook.verify` names what is wrong with it.
  const body = rawBody instanceof Uint8Array ? Buffer.from(rawBody).toString('utf8') : rawBody;
  return withRawBody(
    call<WebhookEvent>('webhook.verify', { body, signature: sig, secret, maxBodyBytes: max }),
    rawBody,
  );
}

/** `lowercase_hex(HMAC-SHA256(secret, body))`: to test your own endpoint. */
export function sign(rawBody: Buffer | Uint8Array | string, secret: string): string {
  return wrap(() => native.signWebhook(rawBody, secret));
}

/** Returns the object it is given, so that a subclass's private fields are installed on that object. */
class Returning {
  constructor(target: object) {
    return target;
  }
}

/**
 * The raw body each verified event came from, kept on it in a private field: the event prints,
 * serializes, spreads and compares as before (and a private field costs a plain property store,
 * where `Object.defineProperty` of a hidden key cost ~0.4–0.8 µs a call: BENCHMARKS.md, Node).
 * The deduplicator hands it back to the core, which parses it again: the key and the payload hash
 * are the core's, never recomputed here. A body given as text is kept as it is; one given as bytes
 * as a latin1 string of the same bytes (a copy: the caller may reuse its buffer).
 */
class RawBody extends Returning {
  #raw: string;
  #latin1: boolean;

  constructor(event: object, raw: string, latin1: boolean) {
    super(event);
    this.#raw = raw;
    this.#latin1 = latin1;
  }

  /** The body `event` was verified from, as bytes; `undefined` for any other value. */
  static of(event: unknown): Buffer | undefined {
    if (typeof event !== 'object' || event === null || !(#raw in event)) return undefined;
    const e = event as RawBody;
    return Buffer.from(e.#raw, e.#latin1 ? 'latin1' : 'utf8');
  }
}

function keep<E extends object>(event: E, raw: string, latin1: boolean): E {
  new RawBody(event, raw, latin1);
  return event;
}

/**
 * The event of the addon's answer (src/webhooks.rs `verify_with`): its JSON, then, for a body of bytes,
 * a newline and the body as latin1 text (JSON text has no raw newline).
 * @internal
 */
export function eventOf(answer: string, rawBody: Buffer | Uint8Array | string): WebhookEvent {
  if (typeof rawBody === 'string') return keep(JSON.parse(answer) as WebhookEvent, rawBody, false);
  const end = answer.indexOf('\n');
  return keep(JSON.parse(answer.slice(0, end)) as WebhookEvent, answer.slice(end + 1), true);
}

/** `event`, remembered with the raw body it was verified from. @internal */
export function withRawBody<E extends object>(event: E, rawBody: Buffer | Uint8Array | string): E {
  if (typeof rawBody === 'string') return keep(event, rawBody, false);
  return keep(event, Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('latin1'), true);
}

function rawBodyOf(event: WebhookEvent): Buffer {
  const raw = RawBody.of(event);
  if (raw !== undefined) return raw;
  throw invalidArgument(
    'event',
    'must be an event returned by constructEvent (its verified raw body is what is deduplicated)',
  );
}

/**
 * Where seen delivery keys live, claim style (the first store contract, kept for stores written
 * against it; a shared PostgreSQL or Redis store needs none: `Deduplicator.fromUrl`).
 */
export interface DedupStore {
  /** Records `key` for `ttlMs`; `true` if it was not already recorded. */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets `key`, so that a redelivery is processed (after a failure). */
  release(key: string): void | Promise<void>;
}

/**
 * What `begin` found: `started` (the lease is yours: process the event, then `complete`, or `fail`),
 * `duplicate` (already processed: answer 200, do nothing), `in_progress` (another worker holds a live
 * lease: answer non-200 so PagoEfectivo retries later) or `conflict` (the key came before with another
 * payload: a changed or forged notification, refuse it).
 */
export type BeginOutcome = 'started' | 'duplicate' | 'in_progress' | 'conflict';

/** A deduplicator's settings, read by the core (a misspelt key is a `ValidationError` naming it). */
export interface StoreOptions {
  /** How long a processed delivery is remembered; default 7 days. */
  ttlMs?: number;
  /** How long a worker holds an event before another may take it (a worker that died); default 60 s. */
  leaseMs?: number;
}

export interface DeduplicatorOptions extends StoreOptions {
  /**
   * Where leases live: absent or `memory:` this process only; `postgres://user:pass@host:5432/db` (a
   * table `pagoefectivo_dedup`, created if missing) or `redis://host:6379/0`, shared by every server.
   * Connects on first use. A password in it never appears in errors, logs or `util.inspect`.
   */
  url?: string;
  /** A claim store of your own instead of `url` (the first store contract; no leases, no payload check). */
  store?: DedupStore;
}

/**
 * Answers "have we already processed this notification?" (PagoEfectivo retries a non-200), for one
 * server (in memory, the default) or many (`Deduplicator.fromUrl('postgres://...')`): `begin(event)`,
 * process, then `complete(event)` (or `fail(event)`). Every operation is a Promise run on the core's
 * threads; pass events returned by `constructEvent`.
 */
export class Deduplicator {
  /** The core's deduplicator; `null` over a store of your own. */
  readonly #native: NativeDeduplicator | null;
  /** The claim store given in the options, if any. */
  readonly store: DedupStore | null;
  /** How long a delivery is remembered (what a store of your own is given). */
  readonly ttlMs: number;

  /** The store a URL names (`memory:`, `postgres://...`, `redis://...`), shared by every server using it. */
  static fromUrl(url: string, options: StoreOptions = {}): Deduplicator {
    // Without a URL (an unset environment variable) this would quietly be a store of one process.
    if (typeof url !== 'string') throw invalidArgument('url', 'must be a store URL');
    return new Deduplicator({ ...options, url });
  }

  constructor(options: DeduplicatorOptions = {}) {
    const isObject = typeof options === 'object' && options !== null && !Array.isArray(options);
    const { store, ...core } = isObject ? options : { store: undefined };
    // The core reads the options, with a store of your own too (so that a misspelt key is named).
    const coreNative = wrap(() => new native.NativeDeduplicator(encode(isObject ? core : (options ?? null))));
    if (store !== undefined && store !== null) {
      if (core.url !== undefined && core.url !== null) {
        throw invalidArgument('store', 'is a store of your own: give it or a url, not both');
      }
      this.#native = null;
      this.store = store;
    } else {
      this.#native = coreNative;
      this.store = null;
    }
    this.ttlMs = core.ttlMs !== undefined && core.ttlMs !== null ? Number(core.ttlMs) : native.dedupDefaultTtlMs();
  }

  async #run<T>(op: string, event: WebhookEvent): Promise<T> {
    const body = rawBodyOf(event);
    const n = this.#native as NativeDeduplicator;
    return JSON.parse(await wrapAsync(() => n.run(op, body))) as T;
  }

  /** Takes the lease for `event`: see {@link BeginOutcome}. */
  async begin(event: WebhookEvent): Promise<BeginOutcome> {
    if (this.store !== null) {
      // The core's reading of a claim store: a claim is begin and complete at once.
      return (await this.firstDelivery(event)) ? 'started' : 'duplicate';
    }
    return this.#run<BeginOutcome>('begin', event);
  }

  /** Processing succeeded: redeliveries are duplicates for `ttlMs`. */
  async complete(event: WebhookEvent): Promise<void> {
    if (this.store !== null) return;
    await this.#run<null>('complete', event);
  }

  /** Processing failed: the lease is released, so a redelivery is processed (a completed event stays completed). */
  async fail(event: WebhookEvent): Promise<void> {
    if (this.store !== null) return this.forget(event);
    await this.#run<null>('fail', event);
  }

  /**
   * `true` the first time an event is seen (it is marked processed at once), `false` for a redelivery.
   * The one-call form for one server; with a shared store, `begin` + `complete`/`fail` keep a crash
   * mid-processing from losing the event. The same key with another payload is a `SignatureVerificationError`
   * (`reason` `payload_conflict`).
   */
  async firstDelivery(event: WebhookEvent): Promise<boolean> {
    const store = this.store;
    // A store of your own: what it throws reaches you unchanged.
    if (store !== null) return store.claim(event.dedupKey, this.ttlMs);
    return this.#run<boolean>('first_delivery', event);
  }

  /** Call when processing after `firstDelivery` failed, so that the redelivery is processed. */
  async forget(event: WebhookEvent): Promise<void> {
    const store = this.store;
    if (store !== null) {
      await store.release(event.dedupKey);
      return;
    }
    await this.#run<null>('forget', event);
  }
}

export const webhooks = { constructEvent, sign, signatureFromHeaders, SIGNATURE_HEADER, Deduplicator } as const;
