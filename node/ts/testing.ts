// `pagoefectivo/testing`: the PagoEfectivo sandbox in-process, for a merchant's own tests.
import { native } from './addon';
import { PagoEfectivo, type PagoEfectivoOptions } from './client';
import type { CipNumber, CipStatus, Currency } from './cips';
import { wrap, wrapAsync } from './errors';
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
  attempts: { status: number | null; error: string | null }[];
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
  | 'webhook';

/** A fault as in the sandbox README: how often (`times`, `rate`) and what. */
export type Fault = { endpoint: FaultEndpoint; times?: number; rate?: number } & (
  | { kind: 'status'; status: number; retry_after?: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'drop' | 'drop_before' | 'malformed' | 'unauthorized' | 'duplicate_delivery' }
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

  private constructor(nativeSandbox: NativeSandbox) {
    this.#native = nativeSandbox;
  }

  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const n = await wrapAsync(() => native.NativeSandbox.start(options));
    return new Sandbox(n);
  }

  /** `http://127.0.0.1:PORT/v1/`. */
  get baseUrl(): string {
    return this.#native.baseUrl;
  }

  /** The demo service's (fake) credentials. */
  get credentials(): SandboxCredentials {
    return this.#native.credentials as SandboxCredentials;
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
    return wrap(() => this.#native.pay(cip));
  }

  /** Expires a generated CIP now. */
  expire(cip: CipNumber): void {
    wrap(() => this.#native.expire(cip));
  }

  /** Moves the sandbox clock forward (tokens and CIPs expire by it); returns the new now. */
  advanceClock(seconds: number): string {
    return wrap(() => this.#native.advanceClock(seconds));
  }

  now(): string {
    return this.#native.now();
  }

  /** The sandbox's record of a CIP, or `null`. */
  cip(cip: CipNumber): SandboxCip | null {
    return wrap(() => this.#native.cip(cip)) as SandboxCip | null;
  }

  cips(): SandboxCip[] {
    return this.#native.cips() as SandboxCip[];
  }

  /** Every notification so far, including those still being attempted. */
  deliveries(): Delivery[] {
    return this.#native.deliveries() as Delivery[];
  }

  /** Resolves once `count` notifications made all their attempts (or at `timeoutMs`, default 5 s) with the finished ones. */
  waitForDeliveries(count: number, options: { timeoutMs?: number } = {}): Promise<Delivery[]> {
    return wrapAsync(() => this.#native.waitForDeliveries(count, options.timeoutMs ?? 5000) as Promise<Delivery[]>);
  }

  get notificationUrl(): string | null {
    return this.#native.notificationUrl ?? null;
  }

  set notificationUrl(url: string | null) {
    this.#native.notificationUrl = url ?? undefined;
  }

  addFault(fault: Fault): void {
    wrap(() => this.#native.addFault(fault));
  }

  clearFaults(): void {
    this.#native.clearFaults();
  }

  faults(): Fault[] {
    return this.#native.faults() as Fault[];
  }

  /** Requests received for an endpoint (`any`: every API request; `webhook`: notifications sent). */
  requestCount(endpoint: FaultEndpoint): number {
    return wrap(() => this.#native.requestCount(endpoint));
  }

  /** Every refund, oldest first. */
  refunds(): SandboxRefund[] {
    return this.#native.refunds() as SandboxRefund[];
  }

  /** The sandbox's record of a refund, or `null`. */
  refund(refundId: string): SandboxRefund | null {
    return wrap(() => this.#native.refund(refundId)) as SandboxRefund | null;
  }

  /**
   * Moves a refund on (`requested -> processing -> refunded | rejected`, or `requested -> rejected`) and
   * sends the signed `refund.<status>` notification; `reasonCode` is kept on a rejection (default `R99`).
   */
  advanceRefund(refundId: string, to: 'processing' | 'refunded' | 'rejected', reasonCode?: string): SandboxRefund {
    return wrap(() => this.#native.advanceRefund(refundId, to, reasonCode ?? null)) as SandboxRefund;
  }

  /** Stops the server; in-flight requests get a grace period. */
  stop(): Promise<void> {
    return this.#native.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
