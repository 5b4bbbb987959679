// The `pagoefectivo` package: PagoEfectivo (Peru) payments on the Rust core.
import { call, native } from './addon';

export { PagoEfectivo, ClientWebhooks } from './client';
export type { PagoEfectivoOptions, RetryOptions, ClientConfig } from './client';
export { Cips } from './cips';
export { Refunds } from './refunds';
export type {
  Refund,
  RefundEligibility,
  RefundStatus,
  RefundDestination,
  RefundAuditRecord,
  RefundAuditTarget,
  Beneficiary,
  CreateRefundParams,
} from './refunds';
export {
  Orders,
  Payments,
  Reconciliation,
  reconcile,
  reconcileRecords,
  reconcileFiles,
  loadCsvPair,
  EXCEPTION_COLUMNS,
} from './reconcile';
export { Calendar, ClientReconciliation, Reports } from './reconcile-sources';
export type { SettlementQuery, ReportPage } from './reconcile-sources';
export type {
  OrderRecord,
  PaymentRecord,
  OrderStatus,
  Coverage,
  ReconcileOptions,
  OrderColumns,
  ReportColumns,
  ExceptionClass,
  ReconciliationException,
  ReconciliationSummary,
  ReconciliationResult,
  ClassTotal,
  ProgressOptions,
  ReconcileFilesInput,
} from './reconcile';
export type {
  Cip,
  CipInfo,
  CipNumber,
  CipStatus,
  CreateCipParams,
  Currency,
  DocumentType,
  Money,
  TimeInput,
  WaitOptions,
} from './cips';
export {
  webhooks,
  constructEvent,
  sign as signWebhook,
  signatureFromHeaders,
  Deduplicator,
  SIGNATURE_HEADER,
} from './webhooks';
export type {
  WebhookEvent,
  VerifyOptions,
  RequestHeaders,
  CipPaidEvent,
  RefundEvent,
  OtherEvent,
  DedupStore,
  DeduplicatorOptions,
  StoreOptions,
  BeginOutcome,
  SignatureHeader,
} from './webhooks';
export {
  PagoEfectivoError,
  ValidationError,
  ConfigurationError,
  AuthenticationError,
  ApiError,
  NotFoundError,
  InvalidStateError,
  AmountAboveMaximumError,
  MalformedResponseError,
  ConnectionError,
  TimeoutError,
  IdempotencyError,
  OutcomeUnknownError,
  IdempotencyConflictError,
  SignatureVerificationError,
  WaitTimeoutError,
  RefundNotAllowedError,
  IoError,
  InternalError,
} from './errors';
export type { ErrorCode, ErrorFamily, FieldError } from './errors';
export { configureLogging } from './logging';
export type { LogLevel, LogRecord, Logger, LoggingOptions } from './logging';
import * as time from './time';
export { time };

/** The SDK's version (the native core's). */
export const VERSION: string = native.version();

/** The status name of a numeric PagoEfectivo status code (`22` -> `generated`, `593` -> `paid`). */
export function statusFromCode(code: number | bigint): import('./cips').CipStatus {
  return call('cip.status', { status: code });
}

/** Throws a `ValidationError` unless `cci` is a 20-digit CCI (Peruvian interbank account) with valid check digits. */
export function validateCci(cci: string): void {
  call('payee.cci', { cci });
}

/** The 20-digit CCI for its first 18 digits (bank, branch, account), check digits computed. */
export function cciWithCheckDigits(first18: string): string {
  return call('payee.cci_with_check_digits', { cci: first18 });
}

/** `hashString` of an authorization request: `sha256_hex(idService.accessKey.secretKey.dateRequest)`. */
export function hashString(idService: number, accessKey: string, secretKey: string, dateRequest: string): string {
  return call('auth.hash_string', { idService, accessKey, secretKey, dateRequest });
}
