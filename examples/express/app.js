// The shop: POST /checkout creates a CIP for an order; POST /webhooks/pagoefectivo marks it paid, once.
// @ts-check
import express from 'express';
import { Deduplicator, PagoEfectivoError, SignatureVerificationError } from 'pagoefectivo';

/** Prices as decimal strings: money never goes through a JS number. */
const CATALOG = /** @type {Record<string, { name: string, price: string }>} */ ({
  'mug-001': { name: 'Taza Machu Picchu', price: '35.90' },
  'tee-002': { name: 'Polo Inca Kola', price: '59.00' },
});

/**
 * @typedef {{ id: string, sku: string, email: string, amount: string, status: 'pending' | 'paid',
 *   cip: number | null, cipUrl: string | null, paidAt: string | null, timesFulfilled: number }} Order
 */

/**
 * @param {{ pe: import('pagoefectivo').PagoEfectivo, dedup?: Deduplicator }} deps
 */
export function createApp({ pe, dedup = new Deduplicator() }) {
  /** @type {Map<string, Order>} */
  const orders = new Map();
  let next = 1000;
  const app = express();

  // The webhook route reads the RAW body: the signature covers the bytes exactly as sent.
  app.post('/webhooks/pagoefectivo', express.raw({ type: '*/*' }), async (req, res) => {
    let event;
    try {
      event = pe.webhooks.constructEvent(req.body, req.get('PE-Signature'));
    } catch (e) {
      if (e instanceof SignatureVerificationError) {
        console.warn(`refused notification: ${e.reason}`);
        return res.status(400).json({ error: e.reason });
      }
      throw e;
    }
    // PagoEfectivo retries a non-200, so the same notification can arrive twice.
    if (!(await dedup.firstDelivery(event))) return res.sendStatus(200);
    if (event.type === 'cip_paid') {
      const order = [...orders.values()].find((o) => o.cip === event.cip);
      if (order && order.status === 'pending') {
        order.status = 'paid';
        order.paidAt = event.paymentDate;
        order.timesFulfilled++; // ship it (in a real shop: enqueue, answer 200 fast)
      }
    }
    return res.sendStatus(200);
  });

  app.post('/checkout', express.json(), async (req, res) => {
    const { sku, email } = req.body ?? {};
    const item = CATALOG[sku];
    if (!item) return res.status(404).json({ error: 'unknown product' });
    const id = `ORD-${next++}`;
    try {
      const cip = await pe.cips.create({
        currency: 'PEN',
        amount: item.price,
        transactionCode: id,
        userEmail: email,
        paymentConcept: item.name,
        dateExpiry: new Date(Date.now() + 48 * 3600_000),
      });
      /** @type {Order} */
      const order = {
        id,
        sku,
        email,
        amount: cip.amount,
        status: 'pending',
        cip: cip.cip,
        cipUrl: cip.cipUrl,
        paidAt: null,
        timesFulfilled: 0,
      };
      orders.set(id, order);
      return res
        .status(201)
        .json({ order: id, cip: cip.cip, cipUrl: cip.cipUrl, amount: cip.amount, expires: cip.dateExpiry });
    } catch (e) {
      if (e instanceof PagoEfectivoError && e.code === 'validation_error') {
        return res.status(422).json({ error: e.message, fields: e.fieldErrors });
      }
      // outcome_unknown: show the shopper nothing from this attempt; a later checkout is safe.
      return res.status(502).json({
        error: 'payment provider unavailable, try again',
        code: e instanceof PagoEfectivoError ? e.code : 'internal',
      });
    }
  });

  app.get('/orders/:id', (req, res) => {
    const order = orders.get(req.params.id);
    return order ? res.json(order) : res.sendStatus(404);
  });

  return app;
}
