// `client.refunds`: refund a paid CIP (rules checked first, idempotent by your reference), track it, audit it.
import { call, clientCall } from './addon';
import { withOptions, type CipNumber, type Currency, type DocumentType, type Money, type WaitOptions } from './cips';
import type * as schema from './generated/schema';
import type { NativeClient } from './native';

/** `requested -> processing -> refunded | rejected`; a status this SDK does not know is kept as received. */
export type RefundStatus = 'requested' | 'processing' | 'refunded' | 'rejected' | (string & {});

/** Where the money goes: a bank account by its 20-digit CCI, or an e-wallet (Yape, Plin...) by a Peruvian mobile. */
export type RefundDestination = schema.RefundDestination;

/** The person paid back. */
export interface Beneficiary {
  documentType: DocumentType;
  documentNumber: string;
  name: string;
}

/** A refund request (the fields of the core's `CreateRefundRequest`). */
export interface CreateRefundParams {
  cip: CipNumber;
  /** A decimal string (`"30.00"`) or an exact integer `bigint`; never a JS number. */
  amount: Money;
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

/** A refund as PagoEfectivo (the SDK's refund extension) reports it. Amounts are decimal strings. */
export interface Refund extends schema.Refund {
  status: RefundStatus;
}

/** What can still be refunded on a CIP, and until when. Amounts are decimal strings. */
export interface RefundEligibility extends schema.RefundEligibility {
  /** `null` when a refund is possible. */
  blockedBy: 'cip_not_paid' | 'window_expired' | 'nothing_left' | null;
}

/** One record of the refund audit trail (what was asked, what was answered, when, with which key, how it ended). */
export type RefundAuditRecord = schema.RefundAuditRecord;

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
  create(params: CreateRefundParams): Promise<Refund> {
    return clientCall(this.#native, 'refunds.create', params);
  }

  /** Throws the `ValidationError` (every field at once) that `create` would, without any request. */
  validate(params: CreateRefundParams): void {
    call('refund.validate', params);
  }

  /** One refund by its id; `NotFoundError` if unknown. */
  get(refundId: string): Promise<Refund> {
    return clientCall(this.#native, 'refunds.get', { refundId });
  }

  /** The refunds of a CIP, oldest first. */
  list(cip: CipNumber): Promise<Refund[]> {
    return clientCall(this.#native, 'refunds.list', { cip });
  }

  /** How much of a CIP can still be refunded and until when (`refundWindowDays` overrides the configured window). */
  async eligibility(cip: CipNumber, options?: { refundWindowDays?: number }): Promise<RefundEligibility> {
    return clientCall(this.#native, 'refunds.eligibility', withOptions(options, { cip }));
  }

  /** Polls with back-off until the refund is `refunded` or `rejected`; `WaitTimeoutError` at the deadline. */
  async waitForFinalStatus(refundId: string, options?: WaitOptions): Promise<Refund> {
    return clientCall(this.#native, 'refunds.wait_for_final_status', withOptions(options, { refundId }));
  }
}
