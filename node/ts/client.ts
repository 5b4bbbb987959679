// `PagoEfectivo`: one client per merchant configuration (store), with its resources.
import { inspect } from 'node:util';

import { native } from './addon';
import { Cips } from './cips';
import { ClientReconciliation, Reports } from './reconcile-sources';
import { Refunds, type RefundAuditRecord, type RefundAuditTarget } from './refunds';
import { ConfigurationError, wrap, wrapAsync } from './errors';
import { configureLogging, type LogLevel, type Logger } from './logging';
import type { NativeClient } from './native';
import { headerValue, type SignatureHeader, type WebhookEvent } from './webhooks';

export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** Cap of the first back-off (default 250 ms), doubling up to `maxBackoffMs` (default 5 s); full jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface PagoEfectivoOptions {
  accessKey: string;
  /** Kept in the native client only: never in `util.inspect`, JSON, logs or errors. */
  secretKey: string;
  /** Your idService (1 to 4 digits). */
  serviceId: number;
  /** `sandbox` (default), `production`, or a URL. */
  environment?: 'sandbox' | 'production' | (string & {});
  /** Overrides the environment's URL; checked against it. Plain http only for loopback. */
  baseUrl?: string;
  connectTimeoutMs?: number;
  /** Per attempt; default 30 s. */
  requestTimeoutMs?: number;
  /** Whole call including retries; default 60 s. */
  totalTimeoutMs?: number;
  maxAttempts?: number;
  retry?: RetryOptions;
  language?: 'es-PE' | 'en-US';
  /** Appended to the SDK's user agent. */
  userAgent?: string;
  /** CIPs per search request (1 to 100, default 50). */
  searchBatchSize?: number;
  tokenRefreshMarginMs?: number;
  /** Path of the refund extension under the base URL (default `refunds`; confirm it with PagoEfectivo). */
  refundsPath?: string;
  /** Refunds are refused this many days after payment (default 90). */
  refundWindowDays?: number;
  /** Path of the settlement-report extension (default `reports/settlements`). */
  reportsPath?: string;
  /**
   * The refund audit trail: a file path (one JSON line per refund operation, appended) or a function
   * called with each record. Records hold no secret.
   */
  refundAudit?: RefundAuditTarget;
  /** Shortcut for `configureLogging({ level, logger })` (process-wide). */
  logLevel?: LogLevel;
  logger?: Logger;
}

/** The configuration in force (no secret). */
export interface ClientConfig {
  environment: 'sandbox' | 'production' | 'custom';
  baseUrl: string;
  accessKey: string;
  idService: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  totalTimeoutMs: number;
  maxAttempts: number;
  language: string;
  searchBatchSize: number;
  refundsPath: string;
  refundWindowDays: number;
  reportsPath: string;
}

const USER_AGENT = `pagoefectivo-node/${native.version()}`;

/** Webhook verification with this client's secret key. */
export class ClientWebhooks {
  readonly #native: NativeClient;

  /** @internal */
  constructor(nativeClient: NativeClient) {
    this.#native = nativeClient;
  }

  /** `webhooks.constructEvent(rawBody, signature, secretKey)` with this client's secret key. */
  constructEvent(rawBody: Buffer | Uint8Array | string, signature: SignatureHeader): WebhookEvent {
    return JSON.parse(wrap(() => this.#native.verifyWebhook(rawBody, headerValue(signature)))) as WebhookEvent;
  }
}

/**
 * The PagoEfectivo client. Every network call returns a Promise and runs on the SDK's own
 * threads; several clients (stores) can live in one process.
 *
 * ```js
 * const pe = PagoEfectivo.fromEnv();
 * const cip = await pe.cips.create({ currency: 'PEN', amount: '149.90', transactionCode: 'ORD-1001', userEmail: 'ana@example.pe' });
 * ```
 */
export class PagoEfectivo {
  /** CIP operations. */
  readonly cips: Cips;
  /** Refunds of paid CIPs (the SDK's refund extension). */
  readonly refunds: Refunds;
  /** PagoEfectivo's side for reconciliation, swept from the public search endpoint. */
  readonly reconciliation: ClientReconciliation;
  /** The settlement-report extension. */
  readonly reports: Reports;
  /** Webhook verification with this client's secret key. */
  readonly webhooks: ClientWebhooks;
  readonly #native: NativeClient;

  constructor(options: PagoEfectivoOptions) {
    if ((options as unknown) instanceof native.NativeClient) {
      this.#native = options as unknown as NativeClient; // from `fromEnv`
    } else {
      const { logLevel, logger, userAgent, refundAudit, ...rest } = options ?? ({} as PagoEfectivoOptions);
      const config = { ...rest, userAgent: userAgent ? `${USER_AGENT} ${userAgent}` : USER_AGENT };
      const n = wrap(() => new native.NativeClient(stripUndefined(config)));
      if (typeof refundAudit === 'string') {
        wrap(() => n.useRefundAuditFile(refundAudit));
      } else if (typeof refundAudit === 'function') {
        wrap(() => n.useRefundAuditCallback((text: string) => refundAudit(JSON.parse(text) as RefundAuditRecord)));
      } else if (refundAudit !== undefined && refundAudit !== null) {
        throw new ConfigurationError({
          code: 'configuration_error',
          message: 'refundAudit must be a file path or a function',
        });
      }
      this.#native = n;
      if (logLevel !== undefined || logger !== undefined) configureLogging({ level: logLevel, logger });
    }
    this.cips = new Cips(this.#native);
    this.refunds = new Refunds(this.#native);
    this.reconciliation = new ClientReconciliation(this.#native);
    this.reports = new Reports(this.#native);
    this.webhooks = new ClientWebhooks(this.#native);
  }

  /** From `PAGOEFECTIVO_*` variables (`ACCESS_KEY`, `SECRET_KEY`, `SERVICE_ID`, `ENVIRONMENT`, ...); `env` defaults to `process.env`. */
  static fromEnv(env: Record<string, string | undefined> = process.env): PagoEfectivo {
    const vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) {
      if (k.startsWith('PAGOEFECTIVO_') && typeof v === 'string') vars[k] = v;
    }
    const nativeClient = wrap(() => native.NativeClient.fromEnv(vars));
    return new PagoEfectivo(nativeClient as unknown as PagoEfectivoOptions);
  }

  /** The configuration in force, without the secret key. */
  get config(): ClientConfig {
    return this.#native.config as ClientConfig;
  }

  /** Fetches a fresh token: a quick check that the credentials work. */
  authenticate(): Promise<void> {
    return wrapAsync(() => this.#native.authenticate());
  }

  toJSON(): { config: ClientConfig } {
    return { config: this.config };
  }

  [inspect.custom](): string {
    return `PagoEfectivo ${inspect(this.config)}`;
  }
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
