// Reconciliation sources from the network (the search sweep, the settlement report) and the Peruvian business-day calendar.
import { native } from './addon';
import { wrap, wrapAsync } from './errors';
import type { NativeCalendar, NativeClient } from './native';
import { Orders, Payments, type ProgressOptions } from './reconcile';
import { toIso } from './time';

function day(value: Date | string): string {
  return value instanceof Date ? wrap(() => native.limaTime(toIso(value))).slice(0, 10) : value;
}

/** Peru's business days: weekends, national holidays, Holy Thursday and Good Friday; plus your extra closures. */
export class Calendar {
  readonly #native: NativeCalendar;

  private constructor(extraHolidays: readonly string[]) {
    this.#native = wrap(() => new native.NativeCalendar([...extraHolidays]));
  }

  static peru(extraHolidays: readonly string[] = []): Calendar {
    return new Calendar(extraHolidays);
  }

  /** A `Date` is taken as its Lima calendar date; a string as `yyyy-mm-dd`. */
  isBusinessDay(date: Date | string): boolean {
    return wrap(() => this.#native.isBusinessDay(day(date)));
  }

  isHoliday(date: Date | string): boolean {
    return wrap(() => this.#native.isHoliday(day(date)));
  }

  /** The `days`-th business day after `date` (T+n), as `yyyy-mm-dd`. */
  addBusinessDays(date: Date | string, days: number): string {
    return wrap(() => this.#native.addBusinessDays(day(date), days));
  }

  holidays(year: number): { date: string; name: string }[] {
    return wrap(() => this.#native.holidays(year));
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

/** The settlement-report extension (the SDK's own contract; confirm it with PagoEfectivo), for one client. */
export class Reports {
  readonly #native: NativeClient;

  /** @internal */
  constructor(n: NativeClient) {
    this.#native = n;
  }

  /**
   * Follows the cursor to the end; returns the payments and the cursor to start the next incremental
   * run from. `path` overrides the configured `reportsPath`.
   */
  async fetchAll(
    query: SettlementQuery = {},
    options: ProgressOptions & { path?: string } = {},
  ): Promise<{ payments: Payments; nextCursor: string | null }> {
    const q = {
      dateFrom: query.dateFrom === undefined ? undefined : day(query.dateFrom),
      dateTo: query.dateTo === undefined ? undefined : day(query.dateTo),
      cursor: query.cursor,
      limit: query.limit,
    };
    const n = await wrapAsync(() =>
      this.#native.fetchSettlements(JSON.parse(JSON.stringify(q)), options.path ?? null, progressCallback(options)),
    );
    return { payments: new Payments(n), nextCursor: n.nextCursor ?? null };
  }
}

function progressCallback(options: ProgressOptions | undefined): ((p: number[]) => void) | null {
  const f = options?.onProgress;
  return typeof f === 'function' ? (p: number[]) => f(p[0], p[1]) : null;
}
