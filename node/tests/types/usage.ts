// Compiled with `tsc --noEmit --strict`: the typings accept what the README shows and refuse what they should.
import {
  PagoEfectivo,
  PagoEfectivoError,
  ValidationError,
  Deduplicator,
  constructEvent,
  configureLogging,
  time,
  type Cip,
  type CipInfo,
  type WebhookEvent,
  type LogRecord,
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
  configureLogging({ level: 'debug', logger: (r: LogRecord) => console.log(r.level, r.message) });

  try {
    await pe.cips.get(1);
  } catch (e) {
    if (e instanceof ValidationError) console.log(e.fieldErrors.map((f) => f.field));
    else if (e instanceof PagoEfectivoError)
      console.log(e.code, e.httpStatus, e.peCode, e.retryable, e.attempts, e.reason);
  }
  sandbox.addFault({ endpoint: 'cips_create', kind: 'status', status: 503, times: 1 });
  // @ts-expect-error a latency fault needs its `ms`
  sandbox.addFault({ endpoint: 'cips_create', kind: 'latency' });
  await sandbox.stop();
}
