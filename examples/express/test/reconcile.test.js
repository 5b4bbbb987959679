// The reconciliation script: the shop's orders against the sandbox (a lost notification is found), and two CSV files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { reconcileFiles, reconcileShop } from '../reconcile.js';
import { startShop } from './shop-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'shop-reconcile-'));
/** @type {Awaited<ReturnType<typeof startShop>>} */
let shop;
before(async () => {
  shop = await startShop();
});
after(() => shop.close());

test('a payment whose notification never arrived is found by sweeping the API', async () => {
  const notified = (await shop.post('/checkout', { sku: 'mug-001', email: 'ana@example.pe' })).body;
  const lost = (await shop.post('/checkout', { sku: 'tee-002', email: 'ana@example.pe' })).body;
  const open = (await shop.post('/checkout', { sku: 'mug-001', email: 'ana@example.pe' })).body;
  shop.sandbox.pay(notified.cip);
  await shop.sandbox.waitForDeliveries(1);
  shop.sandbox.notificationUrl = null; // the shop is down: this payment's notification is lost
  shop.sandbox.pay(lost.cip);
  void open;

  const out = join(dir, 'api');
  const result = await reconcileShop({ pe: shop.pe, orders: shop.app.locals.orders.values(), outDir: out });
  assert.deepEqual(result.summary.counts, { matched: 1, missed_notification: 1, unpaid: 1 });
  assert.deepEqual(
    result.exceptions.map((e) => [e.class, e.orderId, e.pagoefectivoAmount]),
    [['missed_notification', lost.order, '59.00']],
  );
  assert.match(readFileSync(join(out, 'exceptions.csv'), 'utf8'), /missed_notification/);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<html/i);
});

test('the shop export against a downloaded report, from code and from the command line', async () => {
  const orders = join(dir, 'orders.csv');
  const report = join(dir, 'report.csv');
  writeFileSync(orders, 'pedido,cip,currency,total,estado\nORD-1,3001,PEN,35.90,paid\nORD-2,3002,PEN,59.00,paid\n');
  writeFileSync(
    report,
    'cip,transaction_code,currency,amount,status\n3001,ORD-1,PEN,35.90,paid\n3002,ORD-2,PEN,95.00,paid\n',
  );
  const result = await reconcileFiles(orders, report, join(dir, 'files'));
  assert.deepEqual(
    result.exceptions.map((e) => [e.class, e.difference]),
    [['amount_mismatch', '36.00']],
  );
  const script = join(import.meta.dirname, '..', 'reconcile.js');
  const { stdout } = await promisify(execFile)(process.execPath, [script, orders, report, join(dir, 'cli')]);
  assert.match(stdout, /2 orders, 2 PagoEfectivo rows: 1 to follow up/);
  assert.match(stdout, /amount_mismatch: 1/);
  assert.equal(JSON.parse(readFileSync(join(dir, 'cli', 'summary.json'), 'utf8')).exceptions, 1);
});
