// The refund route: staff refund a paid order once (retries are idempotent), rules are answered 409, and the
// signed refund notifications reach the webhook route and update the order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startShop } from './shop-harness.js';

/** @type {Awaited<ReturnType<typeof startShop>>} */
let shop;
before(async () => {
  shop = await startShop();
});
after(() => shop.close());

const refundBody = (/** @type {string} */ reference, amount = '10.00') => ({
  reference,
  amount,
  reason: 'Producto dañado',
  operator: 'agent:maria',
  destination: { type: 'ewallet', phone: '987654321' },
  beneficiary: { documentType: 'DNI', documentNumber: '44556677', name: 'Ana Quispe' },
});

/** A paid order (paid through the sandbox, notified to the shop). */
async function paidOrder() {
  const { body } = await shop.post('/checkout', { sku: 'mug-001', email: 'ana@example.pe' });
  const seen = shop.sandbox.deliveries().length;
  shop.sandbox.pay(body.cip);
  await shop.sandbox.waitForDeliveries(seen + 1);
  assert.equal((await shop.order(body.order)).status, 'paid');
  return body.order;
}

test('a refund follows requested -> processing -> refunded through signed notifications', async () => {
  const id = await paidOrder();
  const created = await shop.post(`/orders/${id}/refunds`, refundBody('R1'));
  assert.equal(created.status, 201);
  assert.equal(created.body.status, 'requested');
  assert.equal(created.body.amount, '10.00');
  const { refundId } = created.body;

  // A retry of the same staff action (double click, timeout) is the same refund.
  const again = await shop.post(`/orders/${id}/refunds`, refundBody('R1'));
  assert.equal(again.body.refundId, refundId);
  assert.equal(shop.sandbox.refunds().filter((r) => r.refundId === refundId).length, 1);
  assert.equal((await shop.order(id)).refunds.length, 1);

  for (const [to, code] of /** @type {const} */ ([
    ['processing', undefined],
    ['refunded', undefined],
  ])) {
    const seen = shop.sandbox.deliveries().length;
    shop.sandbox.advanceRefund(refundId, to, code);
    const [delivery] = (await shop.sandbox.waitForDeliveries(seen + 1)).slice(seen);
    assert.equal(delivery.eventType, `refund.${to}`);
    assert.deepEqual(
      delivery.attempts.map((a) => a.status),
      [200],
    );
    assert.equal((await shop.order(id)).refunds[0].status, to);
  }
});

test('a rejected refund keeps its reason code on the order', async () => {
  const id = await paidOrder();
  const { body } = await shop.post(`/orders/${id}/refunds`, refundBody('R1', '5.00'));
  const seen = shop.sandbox.deliveries().length;
  shop.sandbox.advanceRefund(body.refundId, 'rejected', 'R03');
  await shop.sandbox.waitForDeliveries(seen + 1);
  assert.deepEqual((await shop.order(id)).refunds[0], {
    refundId: body.refundId,
    amount: '5.00',
    status: 'rejected',
    reasonCode: 'R03',
  });
});

test('the refund rules and bad input are answered before any refund is sent', async () => {
  const id = await paidOrder();
  const before = shop.sandbox.requestCount('refunds_create');
  const tooMuch = await shop.post(`/orders/${id}/refunds`, refundBody('R9', '35.91'));
  assert.deepEqual([tooMuch.status, tooMuch.body.reason], [409, 'amount_exceeds_refundable']);

  const { body: unpaid } = await shop.post('/checkout', { sku: 'tee-002', email: 'ana@example.pe' });
  const notPaid = await shop.post(`/orders/${unpaid.order}/refunds`, refundBody('R1'));
  assert.deepEqual([notPaid.status, notPaid.body.reason], [409, 'cip_not_paid']);

  const bad = await shop.post(`/orders/${id}/refunds`, { ...refundBody('R2'), amount: 10 });
  assert.equal(bad.status, 422);
  assert.deepEqual(
    bad.body.fields.map((/** @type {{ field: string }} */ f) => f.field),
    ['amount'],
  );
  assert.equal(shop.sandbox.requestCount('refunds_create'), before);

  const first = await shop.post(`/orders/${id}/refunds`, refundBody('R3', '1.00'));
  assert.equal(first.status, 201);
  const conflict = await shop.post(`/orders/${id}/refunds`, refundBody('R3', '2.00'));
  assert.deepEqual([conflict.status, conflict.body.reason], [409, 'conflict']);
});
