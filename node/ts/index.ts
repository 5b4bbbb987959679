// The `pagoefectivo` package: PagoEfectivo (Peru) payments on the Rust core.
import { native } from './addon';
import { wrap } from './errors';

export { PagoEfectivo, ClientWebhooks } from './client';
export type { PagoEfectivoOptions, RetryOptions, ClientConfig } from './client';
export { Cips } from './cips';
export type { Cip, CipInfo, CipNumber, CipStatus, CreateCipParams, Currency, DocumentType, WaitOptions } from './cips';
export { webhooks, constructEvent, sign as signWebhook, Deduplicator, SIGNATURE_HEADER } from './webhooks';
export type {
  WebhookEvent,
  CipPaidEvent,
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

/** `hashString` of an authorization request: `sha256_hex(idService.accessKey.secretKey.dateRequest)`. */
export function hashString(idService: number, accessKey: string, secretKey: string, dateRequest: string): string {
  return wrap(() => native.hashString(idService, accessKey, secretKey, dateRequest));
}
