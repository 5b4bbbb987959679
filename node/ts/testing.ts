// `pagoefectivo/testing`: the PagoEfectivo sandbox in-process, for a merchant's own tests.
import { native } from './addon';
import { PagoEfectivo, type PagoEfectivoOptions } from './client';
import type { CipNumber, CipStatus, Currency } from './cips';
import { wrap, wrapAsync } from './errors';
import { encode } from './json';
import type { NativeSandbox } from './native';

export interface SandboxOptions {
  /** Default: an ephemeral port on 127.0.0.1. */
  port?: number;
  /** Token lifetime (default 2 h). */
  tokenLifetimeSeconds?: number;
  /** The merchant's maximum amount, a decimal string (default `"100000.00"`). */
  maxAmount?: string;
  /** Expiry of a CIP created without `dateExpiry` (default 24 h). */
  defaultExpirySeconds?: number;
  /** Where `cip.paid` notifications go (loopback only). */
  notificationUrl?: string;
  /** Pause before the one retry of a refused notification (default 50 ms). */
  webhookRetryDelayMs?: number;
  /** The first CIP number handed out (default 2523136). */
  firstCip?: number;
  /** The demo service's idService (default 1234). */
  idService?: number;
}

export interface SandboxCredentials {
  accessKey: string;
  secretKey: string;
  serviceId: number;
}

export interface Payment {
  cip: number;
  operationNumber: string;
  datePayment: string;
}

/** What the sandbox stores for a CIP. */
export interface SandboxCip {
  cip: number;
  idService: number;
  status: Exclude<CipStatus, 'unknown'>;
  currency: Currency;
  amount: number | string;
  transactionCode: string;
  dateCreation: string;
  dateExpiry: string;
  datePayment: string | null;
  dateRemoval: string | null;
  guid: string;
  cipUrl: string;
  operationNumber: string | null;
  [more: string]: unknown;
}

/** One notification the sandbox sent, with each attempt's HTTP status or error. */
export interface Delivery {
  eventType: string;
  url: string;
  body: string;
  signature: string;
  /** Each attempt's HTTP status (`null`: no answer), and its error. */
  statuses: (number | null)[];
  errors: (string | null)[];
  /** The same, attempt by attempt. */
  attempts: { status: number | null; error: string | null }[];
}

type CoreDelivery = Omit<Delivery, 'attempts'>;

function withAttempts(list: CoreDelivery[]): Delivery[] {
  return list.map((d) => ({ ...d, attempts: d.statuses.map((status, i) => ({ status, error: d.errors[i] ?? null })) }));
}

/** What the sandbox stores for a refund (the destination masked but for its last 4 digits). */
export interface SandboxRefund {
  refundId: string;
  idService: number;
  cip: number;
  merchantRefundId: string;
  amount: string;
  currency: Currency;
  reason: string;
  status: 'requested' | 'processing' | 'refunded' | 'rejected';
  reasonCode: string | null;
  destinationType: 'bank_account' | 'ewallet';
  destinationMasked: string;
  dateCreation: string;
  dateUpdate: string;
  idempotencyKey: string;
  [more: string]: unknown;
}

export type FaultEndpoint =
  | 'any'
  | 'authorizations'
  | 'cips_create'
  | 'cips_search'
  | 'cips_extend'
  | 'cips_delete'
  | 'refunds_create'
  | 'refunds_get'
  | 'reports'
  | 'webhook';

/** A fault as in the sandbox README: how often (`times`, `rate`) and what. */
export type Fault = { endpoint: FaultEndpoint; times?: number; rate?: number } & (
  | { kind: 'status'; status: number; retry_after?: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'drop' | 'drop_before' | 'malformed' | 'unauthorized' | 'duplicate_delivery' }
  | { kind: 'respond'; status: number; body?: string; headers?: Record<string, string>; process?: boolean }
);

/**
 * A local, stateful PagoEfectivo API on 127.0.0.1 (the same emulator the SDK is tested against),
 * with control over payments, expiry, its clock and faults.
 *
 * ```js
 * const sandbox = await Sandbox.start();
 * const pe = sandbox.client();
 * const cip = await pe.cips.create({ ... });
 * sandbox.pay(cip.cip);
 * await sandbox.stop();
 * ```
 */
export class Sandbox {
  readonly #native: NativeSandbox;
  readonly #info: { baseUrl: string; idService: number; accessKey: string; secretKey: string };

  private constructor(nativeSandbox: NativeSandbox) {
    this.#native = nativeSandbox;
    this.#info = this.#call('info');
  }

  /** Starts one on 127.0.0.1 (an unknown option is a `ValidationError` naming it). */
  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const n = await wrapAsync(() => native.NativeSandbox.start(encode(options ?? null)));
    return new Sandbox(n);
  }

  /** A control operation of the shared sandbox driver, by name. */
  #call<T>(op: string, args: unknown = {}): T {
    return JSON.parse(wrap(() => this.#native.call(op, encode(args)))) as T;
  }

  /** `http://127.0.0.1:PORT/v1/`. */
  get baseUrl(): string {
    return this.#info.baseUrl;
  }

  /** The demo service's (fake) credentials. */
  get credentials(): SandboxCredentials {
    const { accessKey, secretKey, idService } = this.#info;
    return { accessKey, secretKey, serviceId: idService };
  }

  /** Options for a `PagoEfectivo` client of this sandbox, plus yours. */
  clientOptions(extra: Partial<PagoEfectivoOptions> = {}): PagoEfectivoOptions {
    return { baseUrl: this.baseUrl, ...this.credentials, ...extra };
  }

  /** A client of this sandbox. */
  client(extra: Partial<PagoEfectivoOptions> = {}): PagoEfectivo {
    return new PagoEfectivo(this.clientOptions(extra));
  }

  /** Marks a generated CIP paid now and sends the signed `cip.paid` notification in the background. */
  pay(cip: CipNumber): Payment {
    return this.#call('pay', { cip });
  }

  /** Expires a generated CIP now. */
  expire(cip: CipNumber): void {
    this.#call('expire', { cip });
  }

  /** Moves the sandbox clock forward by whole seconds (tokens and CIPs expire by it); returns the new now. */
  advanceClock(seconds: number): string {
    return this.#call('advance_clock', { seconds });
  }

  /** The sandbox's clock, in Lima wire form. */
  now(): string {
    return this.#call('now');
  }

  /** The sandbox's record of a CIP, or `null`. */
  cip(cip: CipNumber): SandboxCip | null {
    return this.#call('cip', { cip });
  }

  cips(): SandboxCip[] {
    return this.#call('cips');
  }

  /** Every notification so far, including those still being attempted. */
  deliveries(): Delivery[] {
    return withAttempts(this.#call('deliveries'));
  }

  /** Resolves once `count` notifications made all their attempts (or at `timeoutMs`, default 5 s) with the finished ones. */
  async waitForDeliveries(count: number, options: { timeoutMs?: number } = {}): Promise<Delivery[]> {
    const args = encode({ count, timeoutMs: options?.timeoutMs ?? 5000 });
    return withAttempts(JSON.parse(await wrapAsync(() => this.#native.callWaiting('deliveries', args))));
  }

  get notificationUrl(): string | null {
    return this.#call('notification_url');
  }

  set notificationUrl(url: string | null) {
    this.#call('set_notification_url', { url: url ?? null });
  }

  addFault(fault: Fault): void {
    this.#call('fault', fault);
  }

  clearFaults(): void {
    this.#call('clear_faults');
  }

  faults(): Fault[] {
    return this.#call('faults');
  }

  /** Requests received for an endpoint (`any`: every API request; `webhook`: notifications sent). */
  requestCount(endpoint: FaultEndpoint): number {
    return this.#call('request_count', { endpoint });
  }

  /** Every refund, oldest first. */
  refunds(): SandboxRefund[] {
    return this.#call('refunds');
  }

  /** The sandbox's record of a refund, or `null`. */
  refund(refundId: string): SandboxRefund | null {
    return this.refunds().find((r) => r.refundId === refundId) ?? null;
  }

  /**
   * Moves a refund on (`requested -> processing -> refunded | rejected`, or `requested -> rejected`) and
   * sends the signed `refund.<status>` notification; `reasonCode` is kept on a rejection (default `R99`).
   */
  advanceRefund(refundId: string, to: 'processing' | 'refunded' | 'rejected', reasonCode?: string): SandboxRefund {
    return this.#call('refund', { refundId, to, reasonCode });
  }

  /** Stops the server; in-flight requests get a grace period. */
  async stop(): Promise<void> {
    await wrapAsync(() => this.#native.stop());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
