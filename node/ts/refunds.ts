// `client.refunds`: refund a paid CIP (rules checked first, idempotent by your reference), track it, audit it.
import type { NativeClient } from './native';
import { cipArg, plain, requestJson, type CipNumber, type Currency, type DocumentType, type WaitOptions } from './cips';
import { wrap, wrapAsync } from './errors';

/** `requested -> processing -> refunded | rejected`; a status this SDK does not know is kept as received. */
export type RefundStatus = 'requested' | 'processing' | 'refunded' | 'rejected' | (string & {});

/** Where the money goes: a bank account by its 20-digit CCI, or an e-wallet (Yape, Plin...) by a Peruvian mobile. */
export type RefundDestination = { type: 'bank_account'; cci: string } | { type: 'ewallet'; phone: string };

/** The person paid back. */
export interface Beneficiary {
  documentType: DocumentType;
  documentNumber: string;
  name: string;
}

/** A refund request. Money is a decimal string (`"30.00"`), never a JS number. */
export interface CreateRefundParams {
  cip: CipNumber;
  amount: string;
  currency: Currency;
  /** 1 to 200 characters. */
  reason: string;
  /** Your own reference for this refund (1 to 64 characters): the idempotency key comes from it. */
  merchantRefundId: string;
  destination: RefundDestination;
  beneficiary: Beneficiary;
  /** Overrides the configured refund window (e.g. 7 days for some goods). */
  refundWindowDays?: number;
  /** Who asked (an operator id), for the audit trail only; not sent. */
  requestedBy?: string;
}

/** A refund as PagoEfectivo (the SDK's refund extension) reports it. */
export interface Refund {
  refundId: string;
  cip: number;
  merchantRefundId: string;
  /** Decimal string. */
  amount: string;
  currency: Currency;
  reason: string;
  status: RefundStatus;
  /** Why it was rejected (a bank's or PagoEfectivo's code). */
  reasonCode: string | null;
  dateCreation: string | null;
  dateUpdate: string | null;
}

/** What can still be refunded on a CIP, and until when. Amounts are decimal strings. */
export interface RefundEligibility {
  cip: number;
  currency: Currency;
  paidAmount: string;
  /** Sum of refunds not rejected. */
  refundedAmount: string;
  refundableAmount: string;
  paymentDate: string | null;
  deadline: string | null;
  /** Seconds until the deadline (0 when past). */
  secondsLeft: number;
  /** `null` when a refund is possible. */
  blockedBy: 'cip_not_paid' | 'window_expired' | 'nothing_left' | null;
}

/** One record of the refund audit trail (what was asked, what was answered, when, with which key, how it ended). */
export interface RefundAuditRecord {
  at: string;
  /** `refund.create`, `refund.get`. */
  operation: string;
  actor: string | null;
  idempotencyKey: string | null;
  merchantRefundId: string | null;
  cip: number | null;
  refundId: string | null;
  /** The request as sent (it holds no secret). */
  request: unknown;
  /** The refund answered, or the error (code, PagoEfectivo code, message). */
  response: unknown;
  /** `ok`, or the error code (`refund_not_allowed`, `idempotency_conflict`...). */
  outcome: string;
}

/** Where refund audit records go: a JSON-lines file path, or a function called with each record. */
export type RefundAuditTarget = string | ((record: RefundAuditRecord) => void);

/** Refund operations of one client. Every network call returns a Promise; none blocks the event loop. */
export class Refunds {
  readonly #native: NativeClient;

  /** @internal */
  constructor(native: NativeClient) {
    this.#native = native;
  }

  /**
   * Checks every field, then that the CIP is paid, the currency matches, the refund window is open and
   * the amount fits what is left (`RefundNotAllowedError` with its `reason`), then requests the refund.
   * Retrying with the same `merchantRefundId` returns the same refund (`IdempotencyConflictError` if the
   * parameters differ), so a timeout can safely be retried.
   */
  async create(params: CreateRefundParams): Promise<Refund> {
    return JSON.parse(await wrapAsync(() => this.#native.createRefund(requestJson(params)))) as Refund;
  }

  /** Throws the `ValidationError` (every field at once) that `create` would, without any request. */
  validate(params: CreateRefundParams): void {
    wrap(() => this.#native.validateRefundRequest(requestJson(params)));
  }

  /** One refund by its id; `NotFoundError` if unknown. */
  async get(refundId: string): Promise<Refund> {
    return JSON.parse(await wrapAsync(() => this.#native.getRefund(refundId ?? null))) as Refund;
  }

  /** The refunds of a CIP, oldest first. */
  async list(cip: CipNumber): Promise<Refund[]> {
    return JSON.parse(await wrapAsync(() => this.#native.listRefunds(cipArg(cip)))) as Refund[];
  }

  /** How much of a CIP can still be refunded and until when (`refundWindowDays` overrides the configured window). */
  async eligibility(cip: CipNumber, options: { refundWindowDays?: number } = {}): Promise<RefundEligibility> {
    const days = options?.refundWindowDays ?? null;
    return JSON.parse(await wrapAsync(() => this.#native.refundEligibility(cipArg(cip), days))) as RefundEligibility;
  }

  /** Polls with back-off until the refund is `refunded` or `rejected`; `WaitTimeoutError` at the deadline. */
  async waitForFinalStatus(refundId: string, options: WaitOptions = {}): Promise<Refund> {
    return JSON.parse(
      await wrapAsync(() => this.#native.waitForRefund(refundId ?? null, plain(options ?? {}))),
    ) as Refund;
  }
}
