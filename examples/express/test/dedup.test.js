// The webhook route's deduplication: begin, process, complete. A duplicate is a 200 that says so, a delivery
// another server is processing or a store that cannot be reached is a 503 (PagoEfectivo delivers it again), a
// changed payload is refused. With a real store (PAGOEFECTIVO_DEDUP_URL, or the test servers'
// PAGOEFECTIVO_TEST_POSTGRES_URL / PAGOEFECTIVO_TEST_REDIS_URL), two shop servers share it.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';

import { Deduplicator, signWebhook } from 'pagoefectivo';

import { deduplicatorFromEnv } from '../app.js';
import { startShop } from './shop-harness.js';

const run = `${process.pid}${Math.floor(Math.random() * 2 ** 32).toString(16)}`;
let sequence = 0;

/**
 * A signed notification of your own (the sandbox's secret is the shop's): its exact bytes and signature.
 * @param {Awaited<ReturnType<typeof startShop>>} shop @param {number} cip @param {string} amount
 */
function notification(shop, cip, amount, operationNumber = `${run}-${sequence++}`) {
  const body = `{"eventType":"cip.paid","operationNumber":"${operationNumber}","data":{"cip":"${cip}","currency":"PEN","amount":${amount}}}`;
  return { body, signature: signWebhook(body, shop.sandbox.credentials.secretKey), operationNumber };
}

/** @param {string} base @param {{ body: string, signature: string }} n */
async function deliver(base, n) {
  const r = await fetch(`${base}/webhooks/pagoefectivo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'PE-Signature': n.signature },
    body: n.body,
  });
  const text = await r.text();
  return { status: r.status, body: text === 'OK' ? text : JSON.parse(text) };
}

/** @param {Awaited<ReturnType<typeof startShop>>} shop */
async function pendingOrder(shop) {
  const { body } = await shop.post('/checkout', { sku: 'mug-001', email: 'ana@example.pe' });
  return /** @type {{ order: string, cip: number }} */ (body);
}

/**
 * The route's answers over one store: first delivery, duplicate, another server mid-processing, a conflict.
 * @param {() => Deduplicator} store a new deduplicator over the store (one per server)
 */
async function routeOverStore(store) {
  const shop = await startShop({ dedup: store(), sandbox: { firstCip: 10_000_000 + Math.floor(Math.random() * 8e7) } });
  try {
    const { order, cip } = await pendingOrder(shop);
    const n = notification(shop, cip, '35.90');
    assert.deepEqual(await deliver(shop.base, n), { status: 200, body: 'OK' });
    assert.equal((await shop.order(order)).timesFulfilled, 1);
    assert.deepEqual(await deliver(shop.base, n), { status: 200, body: { duplicate: true } });
    // The same notification (operation number, CIP) with another amount: refused, the order untouched.
    const changed = notification(shop, cip, '99.00', n.operationNumber);
    assert.deepEqual(await deliver(shop.base, changed), { status: 409, body: { error: 'payload_conflict' } });
    assert.equal((await shop.order(order)).timesFulfilled, 1);

    // Another server holds the next payment's lease: this one answers 503, then 200 "duplicate" once it is done.
    const next = await pendingOrder(shop);
    const held = notification(shop, next.cip, '35.90');
    const other = store();
    const event = shop.pe.webhooks.constructEvent(held.body, held.signature);
    assert.equal(await other.begin(event), 'started');
    assert.deepEqual(await deliver(shop.base, held), { status: 503, body: { error: 'in_progress' } });
    assert.equal((await shop.order(next.order)).status, 'pending');
    await other.complete(event);
    assert.deepEqual(await deliver(shop.base, held), { status: 200, body: { duplicate: true } });
    return shop;
  } catch (e) {
    await shop.close();
    throw e;
  }
}

test('in memory (the default): duplicate, in progress, conflict', async () => {
  const shared = new Deduplicator();
  const shop = await routeOverStore(() => shared);
  await shop.close();
});

test('the store is one setting: PAGOEFECTIVO_DEDUP_URL, in memory when unset', async () => {
  assert.equal(deduplicatorFromEnv({}).store, null);
  assert.ok(deduplicatorFromEnv({ PAGOEFECTIVO_DEDUP_URL: 'redis://127.0.0.1:1/0' }) instanceof Deduplicator);
  assert.throws(() => deduplicatorFromEnv({ PAGOEFECTIVO_DEDUP_URL: 'mysql://127.0.0.1/shop' }), {
    code: 'configuration_error',
  });
});

test('a store that cannot be reached: 503, not acknowledged, nothing marked done', async () => {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {net.AddressInfo} */ (s.address());
  await new Promise((resolve) => s.close(() => resolve(undefined)));
  const shop = await startShop({ dedup: Deduplicator.fromUrl(`redis://:shop-pw@127.0.0.1:${port}/0`) });
  try {
    const { order, cip } = await pendingOrder(shop);
    const r = await deliver(shop.base, notification(shop, cip, '35.90'));
    assert.deepEqual(r, { status: 503, body: { error: 'store_unavailable' } });
    assert.equal((await shop.order(order)).status, 'pending');
  } finally {
    await shop.close();
  }
});

const urls = /** @type {string[]} */ (
  [
    process.env.PAGOEFECTIVO_DEDUP_URL,
    process.env.PAGOEFECTIVO_TEST_POSTGRES_URL,
    process.env.PAGOEFECTIVO_TEST_REDIS_URL,
  ].filter((u) => typeof u === 'string' && u !== '')
);

test(
  'a real shared store: two shop servers, the sandbox notifies one, a replay at the other is a duplicate',
  {
    skip: urls.length === 0 && !process.env.CI ? 'no store URL (PAGOEFECTIVO_DEDUP_URL or the test servers)' : false,
  },
  async () => {
    assert.ok(urls.length > 0, 'CI runs this against a real store');
    for (const url of urls) {
      const a = await routeOverStore(() => Deduplicator.fromUrl(url));
      const b = await startShop({ dedup: Deduplicator.fromUrl(url) });
      try {
        // A real payment, notified by the sandbox to server A; PagoEfectivo's retry lands on server B.
        const { order, cip } = await pendingOrder(a);
        const seen = a.sandbox.deliveries().length;
        a.sandbox.pay(cip);
        const [delivery] = (await a.sandbox.waitForDeliveries(seen + 1)).slice(seen);
        assert.deepEqual(delivery.statuses, [200]);
        assert.equal((await a.order(order)).timesFulfilled, 1);
        assert.deepEqual(await deliver(b.base, delivery), { status: 200, body: { duplicate: true } });
        assert.deepEqual(await deliver(a.base, delivery), { status: 200, body: { duplicate: true } });
        assert.equal((await a.order(order)).timesFulfilled, 1);
      } finally {
        await a.close();
        await b.close();
      }
    }
  },
);
