// Compiled with `tsc --noEmit --strict`: the typings accept what the README shows and refuse what they should.
import {
  Calendar,
  Orders,
  Payments,
  RefundNotAllowedError,
  reconcile,
  loadCsvPair,
  type Refund,
  type RefundEligibility,
  type ReconciliationSummary,
  type RefundAuditRecord,
  PagoEfectivo,
  PagoEfectivoError,
  ValidationError,
  Deduplicator,
  constructEvent,
  configureLogging,
  time,
  type Cip,
  type CipInfo,
  type ClientConfig,
  type ErrorFamily,
  type ReportPage,
  type WebhookEvent,
  type BeginOutcome,
  type DedupStore,
  type DeduplicatorOptions,
  type LogRecord,
  ApiError,
  IdempotencyError,
  InternalError,
  NotFoundError,
  OutcomeUnknownError,
  TimeoutError,
  ConnectionError,
  reconcileFiles,
  signatureFromHeaders,
} from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

export async function usage(): Promise<void> {
  const sandbox = await Sandbox.start({ maxAmount: '500.00' });
  const pe: PagoEfectivo = new PagoEfectivo({
    ...sandbox.credentials,
    baseUrl: sandbox.baseUrl,
    retry: { maxAttempts: 2 },
  });
  const fromEnv: PagoEfectivo = PagoEfectivo.fromEnv();
  void fromEnv;
  const cip: Cip = await pe.cips.create({
    currency: 'PEN',
    amount: '149.90',
    transactionCode: 'ORD-1',
    userEmail: 'ana@example.pe',
    dateExpiry: new Date(Date.now() + 86_400_000),
    userDocumentType: 'DNI',
  });
  const info: CipInfo = await pe.cips.get(cip.cip);
  const paidAt: Date | null = time.toDate(info.datePayment);
  void paidAt;
  await pe.cips.extend(cip.cip, time.format(new Date()));
  await pe.cips.waitForFinalStatus(BigInt(cip.cip), { timeoutMs: 1000 });
  const list: CipInfo[] = await pe.cips.search([cip.cip, '2523136']);
  void list;

  // @ts-expect-error money is a decimal string, never a number
  await pe.cips.create({ currency: 'PEN', amount: 149.9, transactionCode: 'ORD-2', userEmail: 'ana@example.pe' });
  // @ts-expect-error only PEN and USD
  await pe.cips.create({ currency: 'EUR', amount: '1.00', transactionCode: 'ORD-3', userEmail: 'ana@example.pe' });

  const event: WebhookEvent = constructEvent(Buffer.from('{}'), 'sig', 'secret');
  if (event.type === 'cip_paid') {
    const amount: string = event.amount;
    const n: number = event.cip;
    (void amount, n);
  } else {
    const t: string = event.eventType;
    void t;
  }
  const dedup = new Deduplicator({ ttlMs: 60_000 });
  const first: boolean = await dedup.firstDelivery(event);
  void first;
  const shared: Deduplicator = Deduplicator.fromUrl('postgres://shop:pw@db/shop', { ttlMs: 60_000, leaseMs: 30_000 });
  const outcome: BeginOutcome = await shared.begin(event);
  switch (outcome) {
    case 'started':
      await shared.complete(event);
      break;
    case 'duplicate':
    case 'in_progress':
    case 'conflict':
      await shared.fail(event);
      break;
    default: {
      const never: never = outcome;
      void never;
    }
  }
  // @ts-expect-error 'done' is not an outcome of begin
  if (outcome === 'done') void 0;
  const options: DeduplicatorOptions = { url: 'redis://cache:6379/0', leaseMs: 5_000 };
  void new Deduplicator(options);
  const claims: DedupStore = { claim: async () => true, release: () => undefined };
  void new Deduplicator({ store: claims });
  // @ts-expect-error fromUrl takes no store
  Deduplicator.fromUrl('memory:', { store: claims });
  // @ts-expect-error ttlMs is a number of milliseconds
  new Deduplicator({ ttlMs: '1 week' });
  configureLogging({ level: 'debug', logger: (r: LogRecord) => console.log(r.level, r.message) });

  try {
    await pe.cips.get(1);
  } catch (e) {
    if (e instanceof ValidationError) console.log(e.fieldErrors.map((f) => f.field));
    else if (e instanceof PagoEfectivoError)
      console.log(e.code, e.httpStatus, e.peCode, e.retryable, e.attempts, e.reason);
  }
  const audited: RefundAuditRecord[] = [];
  const withAudit = new PagoEfectivo({ ...sandbox.clientOptions(), refundAudit: (r) => audited.push(r) });
  const refund: Refund = await withAudit.refunds.create({
    cip: cip.cip,
    amount: '10.00',
    currency: 'PEN',
    reason: 'Pedido cancelado',
    merchantRefundId: 'RF-1',
    destination: { type: 'bank_account', cci: '00219100123456789053' },
    beneficiary: { documentType: 'DNI', documentNumber: '44556677', name: 'Ana Quispe' },
  });
  const left: RefundEligibility = await pe.refunds.eligibility(cip.cip, { refundWindowDays: 7 });
  const refundable: string = left.refundableAmount;
  void refundable;
  sandbox.advanceRefund(refund.refundId, 'processing');
  await pe.refunds.waitForFinalStatus(refund.refundId, { timeoutMs: 1000 });
  await pe.refunds
    .create({
      cip: cip.cip,
      // @ts-expect-error money is a decimal string, never a number
      amount: 10,
      currency: 'PEN',
      reason: 'x',
      merchantRefundId: 'RF-2',
      // @ts-expect-error an e-wallet is reached by phone
      destination: { type: 'ewallet', cci: '00219100123456789053' },
      beneficiary: { documentType: 'DNI', documentNumber: '44556677', name: 'Ana' },
    })
    .catch((e: unknown) => {
      if (e instanceof RefundNotAllowedError) console.log(e.reason);
    });

  const orders = await Orders.fromRecords([
    { orderId: 'A', cip: cip.cip, currency: 'PEN', amount: '149.90', status: 'paid', paidAt: new Date() },
  ]);
  const swept: Payments = await pe.reconciliation.searchPayments(orders, {
    onProgress: (done, total) => void [done, total],
  });
  const result = await reconcile(orders, swept, { asOf: new Date(), amountTolerance: '0.10' });
  const summary: ReconciliationSummary = result.summary;
  const firstClass: string | undefined = result.exceptions[0]?.class;
  void [summary, firstClass];
  // @ts-expect-error a tolerance is a decimal string
  await reconcile(orders, swept, { amountTolerance: 0.1 });
  const [o2, p2] = await loadCsvPair('orders.csv', 'report.csv', { orderColumns: { orderId: 'pedido' } });
  await (await reconcile(o2, p2)).writeHtml('report.html');
  const { payments: settled, nextCursor } = await pe.reports.fetchAll({ dateFrom: new Date() });
  const cursor: string | null = nextCursor;
  void [settled, cursor];
  const due: string = Calendar.peru().addBusinessDays('2026-11-27', 3);
  void due;

  // Money as an exact integer bigint; the proxy and TLS options of the core.
  await pe.cips.create({ currency: 'PEN', amount: 25n, transactionCode: 'ORD-9', userEmail: 'ana@example.pe' });
  const behindProxy = new PagoEfectivo({
    ...sandbox.clientOptions(),
    proxy: 'http://user:pass@proxy.corp:3128',
    noProxy: 'localhost',
    caFile: '/etc/ssl/corp-ca.pem',
    maxResponseBytes: 4 * 1024 * 1024,
  });
  const settings: ClientConfig = behindProxy.config;
  const shownProxy: string | null = settings.proxy;
  void shownProxy;
  const sig: string | null = signatureFromHeaders({ 'pe-signature': 'abc' });
  const limited: WebhookEvent = constructEvent(Buffer.from('{}'), { 'pe-signature': sig ?? '' }, 'secret', {
    maxBodyBytes: 1024,
  });
  void limited;
  const page: ReportPage = await pe.reports.page({ dateFrom: '2026-11-20', limit: 100 });
  const rowAmount: string | undefined = page.rows[0]?.amount;
  void rowAmount;
  const files = await reconcileFiles({ orders: 'orders.csv', report: 'report.csv', outDir: 'out' });
  void files.summary.counts;
  try {
    await pe.cips.get(2523136);
  } catch (e) {
    if (e instanceof NotFoundError) {
      const api: ApiError = e;
      const family: ErrorFamily = api.family;
      void family;
    } else if (e instanceof TimeoutError) {
      const c: ConnectionError = e;
      void c;
    } else if (e instanceof OutcomeUnknownError) {
      const i: IdempotencyError = e;
      void i;
    } else if (e instanceof InternalError) {
      console.error('please report', e.message);
    }
  }

  sandbox.addFault({ endpoint: 'cips_create', kind: 'status', status: 503, times: 1 });
  // @ts-expect-error a latency fault needs its `ms`
  sandbox.addFault({ endpoint: 'cips_create', kind: 'latency' });
  await sandbox.stop();
}
