// Typed errors: one class per stable code, built from the addon's JSON error payload.

/** The stable, language-neutral codes (same strings in every SDK). */
export type ErrorCode =
  | 'validation_error'
  | 'configuration_error'
  | 'authentication_error'
  | 'api_error'
  | 'not_found'
  | 'invalid_state'
  | 'amount_above_maximum'
  | 'connection_error'
  | 'timeout'
  | 'outcome_unknown'
  | 'malformed_response'
  | 'signature_verification_failed'
  | 'wait_timeout'
  | 'refund_not_allowed'
  | 'idempotency_conflict'
  | 'io_error';

/** One invalid field: `code` is PagoEfectivo's `112` (required) or `113` (invalid). */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

interface Payload {
  code: string;
  message: string;
  display?: string;
  http_status?: number | null;
  pe_code?: string | null;
  pe_message?: string | null;
  field_errors?: FieldError[];
  retryable?: boolean;
  attempts?: number;
  reason?: string | null;
  hint?: string | null;
  transaction_code?: string | null;
  request_id?: string | null;
}

/** Every failure of this SDK. Never contains a secret. */
export class PagoEfectivoError extends Error {
  /** Stable code, e.g. `validation_error`; `instanceof` the subclasses works too. */
  readonly code: ErrorCode;
  /** HTTP status of PagoEfectivo's answer, when there was one. */
  readonly httpStatus: number | null;
  /** PagoEfectivo's own code (`"111"`, `"511"`...). */
  readonly peCode: string | null;
  /** PagoEfectivo's own message. */
  readonly peMessage: string | null;
  /** Whether the same call can succeed later. */
  readonly retryable: boolean;
  /** HTTP attempts made (0: refused before any request). */
  readonly attempts: number;
  /** Every invalid field (validation errors). */
  readonly fieldErrors: readonly FieldError[];
  /**
   * Machine-readable sub-reason: `signature_mismatch`... for webhooks; `cip_not_paid`,
   * `amount_exceeds_refundable`, `currency_mismatch`, `window_expired` for refunds;
   * `missing_column`, `bad_value` for reconciliation files.
   */
  readonly reason: string | null;
  /** A human hint at the likely mistake. */
  readonly hint: string | null;
  /** For `outcome_unknown`: the order whose CIP may exist. */
  readonly transactionCode: string | null;
  /** The `X-Request-Id` sent, to find the exchange in logs. */
  readonly requestId: string | null;

  constructor(payload: Payload) {
    super(payload.display ?? `[${payload.code}] ${payload.message}`);
    this.name = new.target.name;
    this.code = payload.code as ErrorCode;
    this.httpStatus = payload.http_status ?? null;
    this.peCode = payload.pe_code ?? null;
    this.peMessage = payload.pe_message ?? null;
    this.retryable = payload.retryable ?? false;
    this.attempts = payload.attempts ?? 0;
    this.fieldErrors = Object.freeze((payload.field_errors ?? []).map((f) => Object.freeze({ ...f })));
    this.reason = payload.reason ?? null;
    this.hint = payload.hint ?? null;
    this.transactionCode = payload.transaction_code ?? null;
    this.requestId = payload.request_id ?? null;
  }
}

/** Bad input, before any request or PagoEfectivo's 111; see `fieldErrors`. */
export class ValidationError extends PagoEfectivoError {}
/** Unusable configuration (empty or padded key, sandbox URL in production...). */
export class ConfigurationError extends PagoEfectivoError {}
/** Credentials refused, 508, or a token refused twice. */
export class AuthenticationError extends PagoEfectivoError {}
/** Another API error (5xx after retries...). */
export class ApiError extends PagoEfectivoError {}
/** Unknown CIP for this service. */
export class NotFoundError extends PagoEfectivoError {}
/** Not allowed in the CIP's current state. */
export class InvalidStateError extends PagoEfectivoError {}
/** Above the merchant's maximum amount (511). */
export class AmountAboveMaximumError extends PagoEfectivoError {}
/** Network failure after retries. */
export class ConnectionError extends PagoEfectivoError {}
/** No answer within the timeouts, after retries. */
export class TimeoutError extends PagoEfectivoError {}
/** A CIP creation was sent without a usable answer: it may exist. Not retried; see `transactionCode`. */
export class OutcomeUnknownError extends PagoEfectivoError {}
/** An answer that is not the documented JSON. */
export class MalformedResponseError extends PagoEfectivoError {}
/** A webhook refused; `reason` says why. */
export class SignatureVerificationError extends PagoEfectivoError {}
/** `waitForFinalStatus` reached its deadline. */
export class WaitTimeoutError extends PagoEfectivoError {}
/**
 * A refund rule refused the request before it was sent; `reason` is `cip_not_paid`,
 * `amount_exceeds_refundable`, `currency_mismatch` or `window_expired`.
 */
export class RefundNotAllowedError extends PagoEfectivoError {}
/** The same `merchantRefundId` (idempotency key) was used with different parameters. */
export class IdempotencyConflictError extends PagoEfectivoError {}
/** A local file could not be read or written (reconciliation inputs and reports, the audit file). */
export class IoError extends PagoEfectivoError {}

const CLASSES: Record<ErrorCode, typeof PagoEfectivoError> = {
  validation_error: ValidationError,
  configuration_error: ConfigurationError,
  authentication_error: AuthenticationError,
  api_error: ApiError,
  not_found: NotFoundError,
  invalid_state: InvalidStateError,
  amount_above_maximum: AmountAboveMaximumError,
  connection_error: ConnectionError,
  timeout: TimeoutError,
  outcome_unknown: OutcomeUnknownError,
  malformed_response: MalformedResponseError,
  signature_verification_failed: SignatureVerificationError,
  wait_timeout: WaitTimeoutError,
  refund_not_allowed: RefundNotAllowedError,
  idempotency_conflict: IdempotencyConflictError,
  io_error: IoError,
};

const MARKER = 'PagoEfectivoError:';

/** The typed error for anything the addon threw (napi's own conversion failures are bad input). */
export function fromNative(e: unknown): Error {
  if (e instanceof PagoEfectivoError) return e;
  const message = e instanceof Error ? e.message : String(e);
  let payload: Payload;
  if (message.startsWith(MARKER)) {
    try {
      payload = JSON.parse(message.slice(MARKER.length)) as Payload;
    } catch {
      payload = { code: 'malformed_response', message };
    }
  } else {
    payload = { code: 'validation_error', message: `invalid argument: ${message}` };
  }
  const Class = CLASSES[payload.code as ErrorCode] ?? PagoEfectivoError;
  return new Class(payload);
}

/** Runs a synchronous addon call, rethrowing typed errors. */
export function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw fromNative(e);
  }
}

/** Awaits an addon Promise, rethrowing typed errors. */
export async function wrapAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw fromNative(e);
  }
}
