// The shop against the in-process sandbox: checkout, a real signed notification, duplicates ignored, forgeries refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Sandbox } from 'pagoefectivo/testing';

import { createApp } from '../app.js';

/** @type {Sandbox} */
let sandbox;
/** @type {import('node:http').Server} */
let server;
let base = '';

before(async () => {
  sandbox = await Sandbox.start();
  const app = createApp({ pe: sandbox.client() });
  await new Promise((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  base = `http://127.0.0.1:${address.port}`;
  sandbox.notificationUrl = `${base}/webhooks/pagoefectivo`;
});
after(async () => {
  server.close();
  await sandbox.stop();
});

/** @param {string} sku */
async function checkout(sku, email = 'ana@example.pe') {
  const r = await fetch(`${base}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku, email }),
  });
  return { status: r.status, body: await r.json() };
}

/** @param {string} id */
async function order(id) {
  return (await fetch(`${base}/orders/${id}`)).json();
}

test('checkout creates a CIP; the signed notification marks the order paid', async () => {
  const { status, body } = await checkout('mug-001');
  assert.equal(status, 201);
  assert.equal(body.amount, '35.90');
  assert.equal((await order(body.order)).status, 'pending');
  sandbox.pay(body.cip);
  const [delivery] = await sandbox.waitForDeliveries(1);
  assert.deepEqual(
    delivery.attempts.map((a) => a.status),
    [200],
  );
  const paid = await order(body.order);
  assert.equal(paid.status, 'paid');
  assert.equal(paid.timesFulfilled, 1);
  assert.match(paid.paidAt, /-05:00$/);
});

test('a duplicate delivery is answered 200 and ignored', async () => {
  const { body } = await checkout('tee-002');
  sandbox.addFault({ endpoint: 'webhook', kind: 'duplicate_delivery', times: 1 });
  const already = sandbox.deliveries().length;
  sandbox.pay(body.cip);
  const all = await sandbox.waitForDeliveries(already + 2);
  const mine = all.slice(already);
  assert.equal(mine.length, 2);
  assert.equal(mine[0].body, mine[1].body);
  assert.ok(mine.every((d) => d.attempts.at(-1)?.status === 200));
  assert.equal((await order(body.order)).timesFulfilled, 1);
});

test('a forged notification is refused with its reason', async () => {
  const { body } = await checkout('mug-001');
  const forged = JSON.stringify({
    eventType: 'cip.paid',
    operationNumber: '1',
    data: { cip: String(body.cip), currency: 'PEN', amount: 35.9 },
  });
  const r = await fetch(`${base}/webhooks/pagoefectivo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'PE-Signature': 'ab'.repeat(32) },
    body: forged,
  });
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { error: 'signature_mismatch' });
  assert.equal((await order(body.order)).status, 'pending');
});

test('bad checkout input is a 422 listing the fields', async () => {
  const { status, body } = await checkout('mug-001', 'not-an-email');
  assert.equal(status, 422);
  assert.deepEqual(
    body.fields.map((/** @type {{ field: string }} */ f) => f.field),
    ['userEmail'],
  );
});
