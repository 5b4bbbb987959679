// Reconciliation: your orders against what PagoEfectivo recorded, classified row by row (the core's engine).
// The network sources and the calendar are in reconcile-sources.ts.
import { callAsync, native } from './addon';
import type { CipNumber, Currency, Money, TimeInput } from './cips';
import { invalidArgument, wrap, wrapAsync } from './errors';
import type * as schema from './generated/schema';
import { encode } from './json';
import type { NativeOrders, NativePayments, NativeReconciliation } from './native';

/** `pending`/`open`/`unpaid`, `paid`/`completed`/`refunded`, `closed`/`cancelled`/`expired`... (see docs/reconciliation.md). */
export type OrderStatus = string;

/** One order of yours. Money is a decimal string (or a `bigint`); times a `Date` or an ISO string with offset. */
export interface OrderRecord {
  /** Your order id, sent to PagoEfectivo as `transactionCode`. */
  orderId: string;
  /** The CIP created for it, when known (matching prefers it). */
  cip?: CipNumber | null;
  currency: Currency;
  amount: Money;
  status: OrderStatus;
  expiresAt?: TimeInput | null;
  paidAt?: TimeInput | null;
  refundedAmount?: Money | null;
}

/** One CIP as PagoEfectivo recorded it (a search result, a report row). A missing status means paid. */
export interface PaymentRecord {
  cip?: CipNumber | null;
  transactionCode?: string | null;
  currency: Currency;
  amount: Money;
  /** A name (`paid`, `expired`...) or a code (`23`, legacy `593`). */
  status?: string | number | null;
  datePayment?: TimeInput | null;
  dateSettlement?: TimeInput | null;
  refundedAmount?: Money | null;
}

/** What the PagoEfectivo side vouches for, which decides the checks that apply. */
export interface Coverage {
  /** Every CIP of the orders was asked for (a search sweep): a CIP missing from it is unknown to PagoEfectivo. */
  everyOrderCip?: boolean;
  /** Rows say whether and when the money was paid out to you. */
  settlement?: boolean;
  /** Rows carry PagoEfectivo's refunded amount. */
  refunds?: boolean;
}

/** How a run judges the pairs. */
export interface ReconcileOptions {
  /** Amounts may differ by this much and still match (decimal string, default `"0.05"`). */
  amountTolerance?: string;
  /** Settlement expected by T+n business days (default 3). */
  settlementDays?: number;
  /** The moment expiry and settlement are judged against (default now). */
  asOf?: TimeInput;
  /** Decreed closures, `yyyy-mm-dd`. */
  extraHolidays?: string[];
}

/** Header names of an orders CSV: `{ orderId: 'pedido' }`; `null` or `''` drops an optional column. */
export interface OrderColumns {
  orderId?: string;
  currency?: string;
  amount?: string;
  status?: string;
  cip?: string | null;
  expiresAt?: string | null;
  paidAt?: string | null;
  refundedAmount?: string | null;
}

/** Header names of a PagoEfectivo report CSV. */
export interface ReportColumns {
  cip?: string;
  currency?: string;
  amount?: string;
  transactionCode?: string | null;
  status?: string | null;
  paidAt?: string | null;
  settledAt?: string | null;
  refundedAmount?: string | null;
}

export type ExceptionClass = schema.Class;

/** One discrepancy to follow up, with what each side says. Amounts are decimal strings, times `-05:00`. */
export type ReconciliationException = schema.Exception;

/** Count and sum of one class in one currency. */
export type ClassTotal = schema.ClassTotal;

/** Counts and sums per class and currency. */
export type ReconciliationSummary = schema.Summary;

/** A run's result as plain data (what `reconcileRecords` returns). */
export type ReconciliationResult = schema.Reconciliation;

export interface ProgressOptions {
  /** Called after each chunk (search: CIPs done of total; report: rows so far). */
  onProgress?: (done: number, total?: number) => void;
}

/** The merchant's side, held compactly by the native core (about 90 bytes a row). */
export class Orders {
  /** @internal */
  readonly native: NativeOrders;

  /** @internal */
  constructor(n: NativeOrders) {
    this.native = n;
  }

  /** Orders passed from code. */
  static async fromRecords(records: readonly OrderRecord[]): Promise<Orders> {
    return new Orders(await wrapAsync(() => native.NativeOrders.fromRecords(encode(records))));
  }

  /** A CSV file with a header row; map your header names with `columns`. */
  static async fromCsv(path: string, columns: OrderColumns = {}): Promise<Orders> {
    return new Orders(await wrapAsync(() => native.NativeOrders.fromCsv(path, encode(columns ?? null))));
  }

  /** One JSON object per line (keys as `OrderRecord`, camelCase or snake_case). */
  static async fromJsonLines(path: string): Promise<Orders> {
    return new Orders(await wrapAsync(() => native.NativeOrders.fromJsonLines(path)));
  }

  get length(): number {
    return this.native.length;
  }

  /** The distinct CIPs of the orders, in first-seen order. */
  cips(): number[] {
    return this.native.cips();
  }
}

/** PagoEfectivo's side, with what its source covers. */
export class Payments {
  /** @internal */
  readonly native: NativePayments;

  /** @internal */
  constructor(n: NativePayments) {
    this.native = n;
  }

  /** Records passed from code; `coverage` says what they vouch for. */
  static async fromRecords(records: readonly PaymentRecord[], coverage: Coverage = {}): Promise<Payments> {
    return new Payments(
      await wrapAsync(() => native.NativePayments.fromRecords(encode(records), encode(coverage ?? null))),
    );
  }

  /** A report file you downloaded from PagoEfectivo (CSV); settlement and refund checks apply when their columns exist. */
  static async fromReportCsv(path: string, columns: ReportColumns = {}): Promise<Payments> {
    return new Payments(await wrapAsync(() => native.NativePayments.fromReportCsv(path, encode(columns ?? null))));
  }

  static async fromJsonLines(path: string, coverage: Coverage = {}): Promise<Payments> {
    return new Payments(await wrapAsync(() => native.NativePayments.fromJsonLines(path, encode(coverage ?? null))));
  }

  get length(): number {
    return this.native.length;
  }

  get coverage(): Required<Coverage> {
    return this.native.coverage;
  }
}

/** A finished run: `summary`, `exceptions` (parsed on first access) and the report writers. */
export class Reconciliation {
  readonly #native: NativeReconciliation;
  #summary: ReconciliationSummary | undefined;
  #exceptions: ReconciliationException[] | undefined;

  /** @internal */
  constructor(n: NativeReconciliation) {
    this.#native = n;
  }

  get summary(): ReconciliationSummary {
    this.#summary ??= JSON.parse(wrap(() => this.#native.summaryJson())) as ReconciliationSummary;
    return this.#summary;
  }

  /** In source order: orders first, then PagoEfectivo rows. */
  get exceptions(): ReconciliationException[] {
    this.#exceptions ??= JSON.parse(wrap(() => this.#native.exceptionsJson())) as ReconciliationException[];
    return this.#exceptions;
  }

  /** One row per exception, columns `EXCEPTION_COLUMNS`. */
  writeExceptionsCsv(path: string): Promise<void> {
    return wrapAsync(() => this.#native.writeExceptionsCsv(path));
  }

  /** One camelCase JSON object per line. */
  writeExceptionsJsonLines(path: string): Promise<void> {
    return wrapAsync(() => this.#native.writeExceptionsJsonLines(path));
  }

  writeSummaryJson(path: string): Promise<void> {
    return wrapAsync(() => this.#native.writeSummaryJson(path));
  }

  /** A self-contained HTML page: summary cards, a chart per class, totals, the first 500 exceptions. */
  writeHtml(path: string): Promise<void> {
    return wrapAsync(() => this.#native.writeHtml(path));
  }

  toHtml(): string {
    return this.#native.toHtml();
  }

  toJSON(): ReconciliationResult {
    return { summary: this.summary, exceptions: this.exceptions };
  }
}

/** Matches the orders against PagoEfectivo's rows and classifies every row (on a worker thread). */
export async function reconcile(
  orders: Orders,
  payments: Payments,
  options: ReconcileOptions = {},
): Promise<Reconciliation> {
  if (!(orders instanceof Orders)) throw invalidArgument('orders', 'must be an Orders');
  if (!(payments instanceof Payments)) throw invalidArgument('payments', 'must be a Payments');
  return new Reconciliation(
    await wrapAsync(() => native.reconcile(orders.native, payments.native, encode(options ?? null))),
  );
}

/** A whole run from plain data, returning plain data (the conformance cases' entry point). */
export async function reconcileRecords(input: {
  orders: readonly OrderRecord[];
  payments: readonly PaymentRecord[];
  coverage?: Coverage;
  options?: ReconcileOptions;
}): Promise<ReconciliationResult> {
  return JSON.parse(await wrapAsync(() => native.reconcileJson(encode(input)))) as ReconciliationResult;
}

/** The inputs of a whole run from files (see `reconcileFiles`). */
export interface ReconcileFilesInput {
  /** Your orders, a CSV file with a header row. */
  orders: string;
  /** The report downloaded from PagoEfectivo (CSV). */
  report: string;
  orderColumns?: OrderColumns;
  reportColumns?: ReportColumns;
  options?: ReconcileOptions;
  /** When given, the exceptions (CSV, JSON lines), the summary and the HTML report are written here. */
  outDir?: string;
}

/** A whole run from two CSV files (the core's `reconcile.files`), on a worker thread; returns plain data. */
export async function reconcileFiles(input: ReconcileFilesInput): Promise<ReconciliationResult> {
  return callAsync('reconcile.files', input);
}

/** Reads an orders CSV and a report CSV at once, one thread per side. */
export async function loadCsvPair(
  ordersPath: string,
  reportPath: string,
  columns: { orderColumns?: OrderColumns; reportColumns?: ReportColumns } = {},
): Promise<[Orders, Payments]> {
  const pair = await wrapAsync(() =>
    native.loadCsvPair(
      ordersPath,
      encode(columns?.orderColumns ?? null),
      reportPath,
      encode(columns?.reportColumns ?? null),
    ),
  );
  return [new Orders(pair.orders()), new Payments(pair.payments())];
}

/** Columns of the exceptions CSV, in order. */
export const EXCEPTION_COLUMNS: readonly string[] = Object.freeze(native.exceptionColumns());
