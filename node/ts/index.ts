// The `pagoefectivo` package: PagoEfectivo (Peru) payments on the Rust core.
import { native } from './addon';
import { wrap } from './errors';

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
  loadCsvPair,
  EXCEPTION_COLUMNS,
} from './reconcile';
export { Calendar, ClientReconciliation, Reports } from './reconcile-sources';
export type { SettlementQuery } from './reconcile-sources';
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
} from './reconcile';
export type { Cip, CipInfo, CipNumber, CipStatus, CreateCipParams, Currency, DocumentType, WaitOptions } from './cips';
export { webhooks, constructEvent, sign as signWebhook, Deduplicator, SIGNATURE_HEADER } from './webhooks';
export type {
  WebhookEvent,
  CipPaidEvent,
  RefundEvent,
  OtherEvent,
  DedupStore,
  DeduplicatorOptions,
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
  ConnectionError,
  TimeoutError,
  OutcomeUnknownError,
  MalformedResponseError,
  SignatureVerificationError,
  WaitTimeoutError,
  RefundNotAllowedError,
  IdempotencyConflictError,
  IoError,
} from './errors';
export type { ErrorCode, FieldError } from './errors';
export { configureLogging } from './logging';
export type { LogLevel, LogRecord, Logger, LoggingOptions } from './logging';
import * as time from './time';
export { time };

/** The SDK's version (the native core's). */
export const VERSION: string = native.version();

/** The status name of a numeric PagoEfectivo status code (`22` -> `generated`, `593` -> `paid`). */
export function statusFromCode(code: number): import('./cips').CipStatus {
  return wrap(() => native.statusName(code)) as import('./cips').CipStatus;
}

/** Throws a `ValidationError` unless `cci` is a 20-digit CCI (Peruvian interbank account) with valid check digits. */
export function validateCci(cci: string): void {
  wrap(() => native.validateCci(cci));
}

/** The 20-digit CCI for its first 18 digits (bank, branch, account), check digits computed. */
export function cciWithCheckDigits(first18: string): string {
  return wrap(() => native.cciWithCheckDigits(first18));
}

/** `hashString` of an authorization request: `sha256_hex(idService.accessKey.secretKey.dateRequest)`. */
export function hashString(idService: number, accessKey: string, secretKey: string, dateRequest: string): string {
  return wrap(() => native.hashString(idService, accessKey, secretKey, dateRequest));
}
