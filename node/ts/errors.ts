// Typed errors: the core's taxonomy (`error_table()`) as a class tree, built from the addon's JSON error payload.
// The tree nests like Python's and PHP's: base, one class per family, one per code inside a family;
// tests/errors.test.mjs checks it against the core's table code by code.
import type * as schema from './generated/schema';

/** The stable, language-neutral codes (same strings in every SDK). */
export type ErrorCode = schema.ErrorCode;
/** The family of a code: a group handled alike, one class each (`api`, `connection`, `idempotency`...). */
export type ErrorFamily = schema.Family;

/** One invalid field: `code` is PagoEfectivo's `112` (required) or `113` (invalid). */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

type Payload = Partial<schema.Error> & { code: string; message: string; display?: string };

/** Every failure of this SDK. Never contains a secret. */
export class PagoEfectivoError extends Error {
  /** Stable code, e.g. `validation_error`; `instanceof` the subclasses works too. */
  readonly code: ErrorCode;
  /** The code's family (`api`, `connection`, `idempotency`...): one class each. */
  readonly family: ErrorFamily;
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

  /** @internal */
  constructor(payload: Payload) {
    super(payload.display ?? `[${payload.code}] ${payload.message}`);
    this.name = new.target.name;
    this.code = payload.code as ErrorCode;
    this.family = (payload.family ?? 'internal') as ErrorFamily;
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

/** Bad input, before any request, or PagoEfectivo's 111; see `fieldErrors`. */
export class ValidationError extends PagoEfectivoError {}
/** Unusable configuration (empty or padded key, sandbox URL in production, unknown option...). */
export class ConfigurationError extends PagoEfectivoError {}
/** Credentials refused, 508, or a token refused twice. */
export class AuthenticationError extends PagoEfectivoError {}
/** PagoEfectivo answered with an error (the family; alone: one not covered by a narrower class, 5xx after retries...). */
export class ApiError extends PagoEfectivoError {}
/** Unknown CIP (or refund) for this service. */
export class NotFoundError extends ApiError {}
/** Not allowed in the CIP's current state. */
export class InvalidStateError extends ApiError {}
/** Above the merchant's maximum amount (511). */
export class AmountAboveMaximumError extends ApiError {}
/** An answer that is not the documented JSON. */
export class MalformedResponseError extends ApiError {}
/** No (complete) answer: the network failed after retries (the family). */
export class ConnectionError extends PagoEfectivoError {}
/** No answer within the timeouts, after retries. */
export class TimeoutError extends ConnectionError {}
/** Whether an operation happened, or may happen twice (the family; no code of its own). */
export class IdempotencyError extends PagoEfectivoError {}
/** A CIP creation was sent without a usable answer: it may exist. Not retried; see `transactionCode`. */
export class OutcomeUnknownError extends IdempotencyError {}
/** The same `merchantRefundId` (idempotency key) was used with different parameters. */
export class IdempotencyConflictError extends IdempotencyError {}
/**
 * A refund rule refused the request before it was sent; `reason` is `cip_not_paid`,
 * `amount_exceeds_refundable`, `currency_mismatch` or `window_expired`.
 */
export class RefundNotAllowedError extends PagoEfectivoError {}
/** A webhook refused; `reason` says why. */
export class SignatureVerificationError extends PagoEfectivoError {}
/** `waitForFinalStatus` reached its deadline. */
export class WaitTimeoutError extends PagoEfectivoError {}
/** A local file could not be read or written (reconciliation inputs and reports, the audit file). */
export class IoError extends PagoEfectivoError {}
/** A bug in this SDK (a caught panic), never the caller's input. Please report it. */
export class InternalError extends PagoEfectivoError {}

/** The class of each family (tests/errors.test.mjs checks these against the core's table). */
export const FAMILY_CLASSES: Readonly<Record<ErrorFamily, typeof PagoEfectivoError>> = Object.freeze({
  validation: ValidationError,
  configuration: ConfigurationError,
  authentication: AuthenticationError,
  api: ApiError,
  connection: ConnectionError,
  idempotency: IdempotencyError,
  refund: RefundNotAllowedError,
  signature: SignatureVerificationError,
  wait: WaitTimeoutError,
  io: IoError,
  internal: InternalError,
});

/** The class of each code. */
export const CODE_CLASSES: Readonly<Record<ErrorCode, typeof PagoEfectivoError>> = Object.freeze({
  validation_error: ValidationError,
  configuration_error: ConfigurationError,
  authentication_error: AuthenticationError,
  api_error: ApiError,
  not_found: NotFoundError,
  invalid_state: InvalidStateError,
  amount_above_maximum: AmountAboveMaximumError,
  malformed_response: MalformedResponseError,
  connection_error: ConnectionError,
  timeout: TimeoutError,
  outcome_unknown: OutcomeUnknownError,
  idempotency_conflict: IdempotencyConflictError,
  refund_not_allowed: RefundNotAllowedError,
  signature_verification_failed: SignatureVerificationError,
  wait_timeout: WaitTimeoutError,
  io_error: IoError,
  internal_error: InternalError,
});

const MARKER = 'PagoEfectivoError:';

/** The typed error for a core error payload (a code this version does not know gets its family's class). */
export function fromPayload(payload: Payload): PagoEfectivoError {
  const Class =
    CODE_CLASSES[payload.code as ErrorCode] ?? FAMILY_CLASSES[payload.family as ErrorFamily] ?? PagoEfectivoError;
  return new Class(payload);
}

/**
 * The typed error for anything the addon threw. A JS value the addon could not take at all (napi's
 * own conversion failure, an object `toJSON` that throws) is bad input.
 */
export function fromNative(e: unknown): Error {
  if (e instanceof PagoEfectivoError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (message.startsWith(MARKER)) {
    try {
      return fromPayload(JSON.parse(message.slice(MARKER.length)) as Payload);
    } catch {
      return fromPayload({ code: 'internal_error', family: 'internal', message });
    }
  }
  const text = `invalid argument: ${message}`;
  return fromPayload({ code: 'validation_error', family: 'validation', message: text });
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

/**
 * A `ValidationError` for an argument the public API takes positionally and that is not of a shape
 * any operation reads (`options` that is not an object).
 * @internal
 */
export function invalidArgument(field: string, message: string): ValidationError {
  return new ValidationError({
    code: 'validation_error',
    family: 'validation',
    message: `invalid input: ${field} ${message}`,
    field_errors: [{ field, code: '113', message }],
  });
}
