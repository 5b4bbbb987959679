// Reconciliation sources from the network (the search sweep, the settlement report) and the Peruvian business-day calendar.
import { call, clientCall } from './addon';
import { wrapAsync } from './errors';
import type * as schema from './generated/schema';
import { encode } from './json';
import type { NativeClient } from './native';
import { Orders, Payments, type ProgressOptions } from './reconcile';
import { format } from './time';

/** A `Date` is its Lima calendar date (`yyyy-mm-dd`); anything else is passed as it is, for the core to read. */
function day(value: Date | string): string {
  return value instanceof Date ? format(value).slice(0, 10) : value;
}

/** Peru's business days: weekends, national holidays, Holy Thursday and Good Friday; plus your extra closures. */
export class Calendar {
  readonly #extraHolidays: readonly string[];

  private constructor(extraHolidays: readonly string[]) {
    this.#extraHolidays = Object.freeze([...extraHolidays]);
    call('reconcile.holidays', { year: 2000, extraHolidays: this.#extraHolidays }); // checks the dates now
  }

  static peru(extraHolidays: readonly string[] = []): Calendar {
    return new Calendar(extraHolidays);
  }

  #day(date: Date | string, days: number | bigint = 0): { due: string; isBusinessDay: boolean; isHoliday: boolean } {
    return call('reconcile.business_days', { date: day(date), days, extraHolidays: this.#extraHolidays });
  }

  /** A `Date` is taken as its Lima calendar date; a string as `yyyy-mm-dd`. */
  isBusinessDay(date: Date | string): boolean {
    return this.#day(date).isBusinessDay;
  }

  isHoliday(date: Date | string): boolean {
    return this.#day(date).isHoliday;
  }

  /** The `days`-th business day after `date` (T+n, at most 3660), as `yyyy-mm-dd`. */
  addBusinessDays(date: Date | string, days: number | bigint): string {
    return this.#day(date, days).due;
  }

  /** The national holidays of `year` (and your closures in it), in date order. */
  holidays(year: number): { date: string; name: string }[] {
    return call('reconcile.holidays', { year, extraHolidays: this.#extraHolidays });
  }
}

/** PagoEfectivo's side from the network, for one client (`client.reconciliation`). */
export class ClientReconciliation {
  readonly #native: NativeClient;

  /** @internal */
  constructor(n: NativeClient) {
    this.#native = n;
  }

  /**
   * Sweeps the public `cips/search` endpoint for every CIP of `orders` (batches, four in flight). Works with
   * any account; it knows statuses and payment dates, not settlement or refunds.
   */
  async searchPayments(orders: Orders, options: ProgressOptions = {}): Promise<Payments> {
    const cb = progressCallback(options);
    return new Payments(await wrapAsync(() => this.#native.searchPayments(orders?.native, cb)));
  }
}

export interface SettlementQuery {
  /** Lima payment dates, `yyyy-mm-dd` (or a `Date`), both ends included; either may be absent. */
  dateFrom?: Date | string;
  dateTo?: Date | string;
  /** `nextCursor` of an earlier run: only later payments come back. */
  cursor?: string;
  /** Rows per page (0 or absent: the server's default). */
  limit?: number;
}

/** One page of the settlement report: its rows (PagoEfectivo's records, money as decimal strings) and the cursor on. */
export type ReportPage = schema.ReportPage;

/** The settlement-report extension (the SDK's own contract; confirm it with PagoEfectivo), for one client. */
export class Reports {
  readonly #native: NativeClient;

  /** @internal */
  constructor(n: NativeClient) {
    this.#native = n;
  }

  /** One page of the report (`cursor` from the previous page's `nextCursor`). */
  page(query: SettlementQuery = {}): Promise<ReportPage> {
    return clientCall(this.#native, 'reports.page', settlementQuery(query));
  }

  /**
   * Follows the cursor to the end; returns the payments and the cursor to start the next incremental
   * run from. `path` overrides the configured `reportsPath`.
   */
  async fetchAll(
    query: SettlementQuery = {},
    options: ProgressOptions & { path?: string } = {},
  ): Promise<{ payments: Payments; nextCursor: string | null }> {
    const q = encode(settlementQuery(query));
    const n = await wrapAsync(() => this.#native.fetchSettlements(q, options?.path ?? null, progressCallback(options)));
    return { payments: new Payments(n), nextCursor: n.nextCursor ?? null };
  }
}

function settlementQuery(query: SettlementQuery): SettlementQuery {
  if (query === null || typeof query !== 'object') return query;
  const { dateFrom, dateTo } = query;
  return {
    ...query,
    dateFrom: dateFrom === undefined ? undefined : day(dateFrom),
    dateTo: dateTo === undefined ? undefined : day(dateTo),
  };
}

function progressCallback(options: ProgressOptions | undefined): ((p: number[]) => void) | null {
  const f = options?.onProgress;
  return typeof f === 'function' ? (p: number[]) => f(p[0], p[1]) : null;
}
