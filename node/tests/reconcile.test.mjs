// Reconciliation through the package: records, CSV with column mappings, JSON lines, the sandbox sweep and report.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import {
  Calendar,
  EXCEPTION_COLUMNS,
  IoError,
  Orders,
  Payments,
  ValidationError,
  loadCsvPair,
  reconcile,
  reconcileRecords,
} from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

const dir = mkdtempSync(join(tmpdir(), 'pe-reconcile-'));
const file = (name, text) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const asOf = '2026-11-24T12:00:00-05:00';

let sandbox;
before(async () => {
  sandbox = await Sandbox.start();
});
after(() => sandbox.stop());

test('records: every class lands where docs/reconciliation.md says, money stays decimal', async () => {
  const orders = await Orders.fromRecords([
    { orderId: 'A', cip: 101, currency: 'PEN', amount: '25.50', status: 'paid' },
    { orderId: 'B', cip: 102, currency: 'PEN', amount: '10.00', status: 'pending' },
    { orderId: 'C', cip: 103n, currency: 'PEN', amount: '7.00', status: 'paid' },
    {
      orderId: 'D',
      cip: '104',
      currency: 'USD',
      amount: '3.00',
      status: 'pending',
      expiresAt: new Date('2026-11-01T00:00:00Z'),
    },
  ]);
  const payments = await Payments.fromRecords([
    { cip: 101, transactionCode: 'A', currency: 'PEN', amount: '25.50', status: 'paid' },
    { cip: 102, transactionCode: 'B', currency: 'PEN', amount: '10.00' },
    { cip: 999, transactionCode: 'Z', currency: 'PEN', amount: '1.10', status: 23 },
  ]);
  assert.deepEqual([orders.length, payments.length, orders.cips()], [4, 3, [101, 102, 103, 104]]);
  const r = await reconcile(orders, payments, { asOf });
  assert.deepEqual(r.summary.counts, {
    matched: 1,
    missed_notification: 1,
    not_paid_at_pagoefectivo: 1,
    expired_open: 1,
    unknown_reference: 1,
  });
  assert.equal(r.summary.exceptions, 4);
  assert.equal(r.summary.asOf, '2026-11-24');
  assert.deepEqual(
    r.exceptions.map((e) => [e.class, e.orderId, e.cip]),
    [
      ['missed_notification', 'B', 102],
      ['not_paid_at_pagoefectivo', 'C', 103],
      ['expired_open', 'D', 104],
      ['unknown_reference', 'Z', 999],
    ],
  );
  const total = r.summary.totals.find((t) => t.class === 'matched');
  assert.deepEqual([total.currency, total.amount, typeof total.amount], ['PEN', '25.50', 'string']);
  assert.equal(JSON.parse(JSON.stringify(r)).exceptions.length, 4);

  const plain = await reconcileRecords({
    orders: [{ orderId: 'A', cip: 101, currency: 'PEN', amount: '25.50', status: 'paid' }],
    payments: [{ cip: 101, transactionCode: 'A', currency: 'PEN', amount: '25.60' }],
    options: { amountTolerance: '0.05', asOf },
  });
  assert.deepEqual(
    plain.exceptions.map((e) => [e.class, e.difference]),
    [['amount_mismatch', '0.10']],
  );
});

test('CSV files with mapped columns, JSON lines, and the written reports', async () => {
  const ordersCsv = file(
    'orders.csv',
    '\ufeffPedido,cip,currency,amount,status\nORD-1,2001,PEN,35.90,pending\nORD-2,2002,PEN,59.00,paid\nORD-3,,USD,20.00,paid\n',
  );
  const reportCsv = file(
    'report.csv',
    'Nro CIP,transaction_code,currency,Importe,status,paid_at\n2001,ORD-1,PEN,35.90,Cancelado.,2026-11-20T10:00:00-05:00\n2002,ORD-2,PEN,59.00,23,2026-11-20T11:00:00-05:00\n2003,ORD-3,USD,20.00,paid,2026-11-21T09:00:00-05:00\n',
  );
  const orderColumns = { orderId: 'Pedido' };
  const reportColumns = { cip: 'Nro CIP', amount: 'Importe', settledAt: null, refundedAmount: null };
  const [orders, payments] = await loadCsvPair(ordersCsv, reportCsv, { orderColumns, reportColumns });
  assert.deepEqual(payments.coverage, { everyOrderCip: false, settlement: false, refunds: false });
  const r = await reconcile(orders, payments, { asOf });
  assert.deepEqual(r.summary.counts, { matched: 2, missed_notification: 1 });
  assert.deepEqual(
    r.exceptions.map((e) => [e.class, e.orderId, e.orderLine, e.pagoefectivoLine]),
    [['missed_notification', 'ORD-1', 2, 2]],
  );
  // The same through the one-sided readers.
  const o2 = await Orders.fromCsv(ordersCsv, orderColumns);
  const p2 = await Payments.fromReportCsv(reportCsv, reportColumns);
  assert.deepEqual((await reconcile(o2, p2, { asOf })).summary.counts, r.summary.counts);

  const jsonl = file(
    'orders.jsonl',
    '{"orderId":"ORD-1","cip":2001,"currency":"PEN","amount":"35.90","status":"pending"}\n\n{"order_id":"ORD-2","cip":2002,"currency":"PEN","amount":"59.00","status":"paid"}\n',
  );
  const pjsonl = file('payments.jsonl', '{"cip":2001,"transactionCode":"ORD-1","currency":"PEN","amount":"35.90"}\n');
  const r3 = await reconcile(await Orders.fromJsonLines(jsonl), await Payments.fromJsonLines(pjsonl), { asOf });
  assert.deepEqual(r3.summary.counts, { missed_notification: 1, not_paid_at_pagoefectivo: 1 });

  await r.writeExceptionsCsv(join(dir, 'exceptions.csv'));
  await r.writeExceptionsJsonLines(join(dir, 'exceptions.jsonl'));
  await r.writeSummaryJson(join(dir, 'summary.json'));
  await r.writeHtml(join(dir, 'report.html'));
  const csv = readFileSync(join(dir, 'exceptions.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], EXCEPTION_COLUMNS.join(','));
  assert.equal(csv.length, 2);
  assert.equal(JSON.parse(readFileSync(join(dir, 'exceptions.jsonl'), 'utf8')).class, 'missed_notification');
  assert.equal(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).orders, 3);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /<html/i);
  assert.ok(!/<script/i.test(html));
  assert.equal(r.toHtml(), html);
});

test('bad files and records are typed errors', async () => {
  await assert.rejects(Orders.fromCsv(join(dir, 'nope.csv')), (e) => e instanceof IoError && e.code === 'io_error');
  await assert.rejects(
    (await reconcile(await Orders.fromRecords([]), await Payments.fromRecords([]))).writeHtml(
      join(dir, 'no', 'x.html'),
    ),
    IoError,
  );
  const noAmount = file('bad.csv', 'order_id,currency,status\nA,PEN,paid\n');
  await assert.rejects(Orders.fromCsv(noAmount), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.equal(e.reason, 'missing_column');
    return true;
  });
  await assert.rejects(Orders.fromCsv(noAmount, { orderIdd: 'x' }), ValidationError);
  const badCell = file('cell.csv', 'order_id,currency,amount,status\nA,PEN,12.x,paid\n');
  await assert.rejects(Orders.fromCsv(badCell), (e) => e instanceof ValidationError && e.reason === 'bad_value');
  await assert.rejects(Orders.fromRecords([{ orderId: 'A', currency: 'PEN', amount: 25.5, status: 'paid' }]), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(
      e.fieldErrors.map((f) => f.field),
      ['orders[0].amount'],
    );
    return true;
  });
  for (const bad of [null, 'x', [{ orderId: 'A' }], [{ orderId: 'A', currency: 'EUR', amount: '1', status: 'paid' }]]) {
    await assert.rejects(Orders.fromRecords(bad), ValidationError);
  }
  await assert.rejects(reconcile({}, {}), ValidationError);
  await assert.rejects(
    reconcile(await Orders.fromRecords([]), await Payments.fromRecords([]), { settlementDays: 99 }),
    ValidationError,
  );
});

test('the sandbox: a search sweep and the settlement report with its cursor', async () => {
  const pe = sandbox.client();
  const created = [];
  for (let i = 0; i < 5; i++) {
    created.push(
      await pe.cips.create({ currency: 'PEN', amount: `1${i}.00`, transactionCode: `SW-${i}`, userEmail: 'a@b.pe' }),
    );
  }
  sandbox.pay(created[0].cip);
  sandbox.pay(created[1].cip);
  sandbox.expire(created[2].cip);
  const orders = await Orders.fromRecords([
    ...created.map((c, i) => ({
      orderId: `SW-${i}`,
      cip: c.cip,
      currency: 'PEN',
      amount: c.amount,
      status: i === 0 ? 'paid' : 'pending',
    })),
    { orderId: 'SW-X', cip: 99999999, currency: 'PEN', amount: '1.00', status: 'pending' },
  ]);
  const progress = [];
  const payments = await pe.reconciliation.searchPayments(orders, {
    onProgress: (done, total) => progress.push([done, total]),
  });
  assert.equal(payments.length, 5);
  assert.equal(payments.coverage.everyOrderCip, true);
  const r = await reconcile(orders, payments);
  assert.deepEqual(r.summary.counts, {
    matched: 1,
    missed_notification: 1,
    expired_open: 1,
    unpaid: 2,
    unknown_reference: 1,
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(progress.at(-1), [6, 6]);

  const today = sandbox.now().slice(0, 10);
  const { payments: report, nextCursor } = await pe.reports.fetchAll({ dateFrom: today, limit: 1 });
  assert.equal(report.length, 2);
  assert.deepEqual(report.coverage, { everyOrderCip: false, settlement: true, refunds: true });
  assert.ok(nextCursor);
  sandbox.pay(created[3].cip);
  const next = await pe.reports.fetchAll({ cursor: nextCursor });
  assert.equal(next.payments.length, 1);
  await assert.rejects(pe.reports.fetchAll({ dateFrom: 'yesterday' }), ValidationError);
});

test('the Peruvian business-day calendar', () => {
  const c = Calendar.peru();
  assert.equal(c.isBusinessDay('2026-07-28'), false); // Independence Day
  assert.equal(c.isBusinessDay('2026-11-24'), true);
  assert.equal(c.isHoliday('2026-04-03'), true); // Good Friday 2026
  assert.equal(c.addBusinessDays('2026-11-27', 1), '2026-11-30');
  assert.equal(c.addBusinessDays(new Date('2026-11-28T03:00:00Z'), 1), '2026-11-30'); // Friday 22:00 in Lima
  assert.ok(c.holidays(2026).some((h) => h.date === '2026-12-08'));
  assert.equal(Calendar.peru(['2026-11-24']).isBusinessDay('2026-11-24'), false);
  assert.throws(() => c.isBusinessDay('24/11/2026'), ValidationError);
  assert.throws(() => Calendar.peru(['x']), ValidationError);
});
