// `PagoEfectivo`: one client per merchant configuration (store), with its resources.
import { inspect } from 'node:util';

import { clientCall, native } from './addon';
import { Cips } from './cips';
import { fromNative, wrap } from './errors';
import { encode } from './json';
import type * as schema from './generated/schema';
import { configureLogging, type LogLevel, type Logger } from './logging';
import type { NativeClient } from './native';
import { ClientReconciliation, Reports } from './reconcile-sources';
import { Refunds, type RefundAuditRecord, type RefundAuditTarget } from './refunds';
import { eventOf, headerValue, type SignatureHeader, type VerifyOptions, type WebhookEvent } from './webhooks';

export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** Cap of the first back-off (default 250 ms), doubling up to `maxBackoffMs` (default 5 s); full jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * The options of a client: the core's option map (keys in camelCase as here, or snake_case), plus
 * `refundAudit`, `logLevel` and `logger`. An unknown option is a `ConfigurationError`.
 */
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
  initialBackoffMs?: number;
  maxBackoffMs?: number;
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
  /** The longest API answer read (default 8 MiB); a longer one is a `MalformedResponseError`. */
  maxResponseBytes?: number;
  /**
   * An HTTP proxy for every request, `http://user:password@proxy:3128` (HTTPS goes through it with
   * CONNECT; the password is a secret:
   * `config.proxy` shows it as `[REDACTED]`). Without it `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` apply.
   */
  proxy?: string;
  /** Hosts that bypass the proxy (`NO_PROXY` syntax: `localhost,.corp.example`). */
  noProxy?: string;
  /** A PEM file of extra CAs to trust besides the system's (a TLS-inspecting corporate proxy's CA). */
  caFile?: string;
  /**
   * A store several processes share one token through (`redis://...`, `postgres://...`): one token and
   * one refresh at a time for all of them. Off by default. Its password is shown as `[REDACTED]`.
   */
  tokenStore?: string;
  /**
   * The refund audit trail: a file path (one JSON line per refund operation, appended) or a function
   * called with each record. Records hold no secret.
   */
  refundAudit?: RefundAuditTarget;
  /** Shortcut for `configureLogging({ level, logger })` (process-wide). */
  logLevel?: LogLevel;
  logger?: Logger;
}

/** The configuration in force: every setting but the secrets (the core's settings summary). */
export type ClientConfig = schema.Settings;

const USER_AGENT = `pagoefectivo-node/${native.version()}`;

/** Webhook verification with this client's secret key. */
export class ClientWebhooks {
  readonly #native: NativeClient;

  /** @internal */
  constructor(nativeClient: NativeClient) {
    this.#native = nativeClient;
  }

  /** `webhooks.constructEvent(rawBody, signature, secretKey, options)` with this client's secret key. */
  constructEvent(
    rawBody: Buffer | Uint8Array | string,
    signature: SignatureHeader,
    options?: VerifyOptions,
  ): WebhookEvent {
    const sig = headerValue(signature);
    let answer: string;
    try {
      answer = this.#native.verifyWebhook(rawBody, sig, options?.maxBodyBytes);
    } catch (e) {
      throw fromNative(e);
    }
    return eventOf(answer, rawBody);
  }
}

/** The native client for `options` (the core reads them) and its audit callback. */
function nativeClient(options: PagoEfectivoOptions): NativeClient {
  const { logLevel, logger, userAgent, refundAudit, ...rest } = options ?? ({} as PagoEfectivoOptions);
  const core: Record<string, unknown> = {
    ...rest,
    userAgent: typeof userAgent === 'string' && userAgent !== '' ? `${USER_AGENT} ${userAgent}` : USER_AGENT,
  };
  if (typeof refundAudit !== 'function' && refundAudit !== undefined) core.refundAuditFile = refundAudit;
  const n = wrap(() => new native.NativeClient(encode(core)));
  if (typeof refundAudit === 'function') {
    wrap(() => n.useRefundAuditCallback((text: string) => refundAudit(JSON.parse(text) as RefundAuditRecord)));
  }
  if (logLevel !== undefined || logger !== undefined) configureLogging({ level: logLevel, logger });
  return n;
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
  #config: ClientConfig | undefined;

  constructor(options: PagoEfectivoOptions) {
    // `fromEnv` passes a native client already built.
    this.#native = options instanceof native.NativeClient ? options : nativeClient(options);
    this.cips = new Cips(this.#native);
    this.refunds = new Refunds(this.#native);
    this.reconciliation = new ClientReconciliation(this.#native);
    this.reports = new Reports(this.#native);
    this.webhooks = new ClientWebhooks(this.#native);
  }

  /** From `PAGOEFECTIVO_*` variables (`ACCESS_KEY`, `SECRET_KEY`, `SERVICE_ID`, `ENVIRONMENT`, ...); `env` defaults to `process.env`. */
  static fromEnv(env: Record<string, string | undefined> = process.env): PagoEfectivo {
    const vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(env ?? {})) {
      if (k.startsWith('PAGOEFECTIVO_') && typeof v === 'string') vars[k] = v;
    }
    const n = wrap(() => new native.NativeClient(encode({ env: vars })));
    return new PagoEfectivo(n as unknown as PagoEfectivoOptions);
  }

  /** The configuration in force, without the secret key or a proxy password. */
  get config(): ClientConfig {
    this.#config ??= Object.freeze(JSON.parse(this.#native.settings) as ClientConfig);
    return this.#config;
  }

  /** Fetches a fresh token: a quick check that the credentials work. */
  async authenticate(): Promise<void> {
    await clientCall(this.#native, 'authenticate', {});
  }

  toJSON(): { config: ClientConfig } {
    return { config: this.config };
  }

  [inspect.custom](): string {
    return `PagoEfectivo ${inspect(this.config)}`;
  }
}
