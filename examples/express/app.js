// The shop: POST /checkout creates a CIP; the webhook marks it paid (once, on one server or many); staff refund
// a paid order.
// @ts-check
import express from 'express';
import {
  ConnectionError,
  Deduplicator,
  IdempotencyConflictError,
  PagoEfectivoError,
  RefundNotAllowedError,
  SignatureVerificationError,
  ValidationError,
} from 'pagoefectivo';

/** Prices as decimal strings: money never goes through a JS number. */
const CATALOG = /** @type {Record<string, { name: string, price: string }>} */ ({
  'mug-001': { name: 'Taza Machu Picchu', price: '35.90' },
  'tee-002': { name: 'Polo Inca Kola', price: '59.00' },
});

/**
 * @typedef {{ refundId: string, amount: string, status: string, reasonCode: string | null }} OrderRefund
 * @typedef {{ id: string, sku: string, email: string, amount: string, status: 'pending' | 'paid',
 *   cip: number | null, cipUrl: string | null, paidAt: string | null, timesFulfilled: number,
 *   refunds: OrderRefund[] }} Order
 */

/**
 * The deduplicator of one setting: `PAGOEFECTIVO_DEDUP_URL` names a store every server of the shop shares
 * (`postgres://user:pass@host:5432/db` or `redis://host:6379/0`); unset, this process's memory (one server).
 * @param {Record<string, string | undefined>} [env]
 */
export function deduplicatorFromEnv(env = process.env) {
  const url = env.PAGOEFECTIVO_DEDUP_URL;
  return url ? Deduplicator.fromUrl(url) : new Deduplicator();
}

/**
 * @param {{ pe: import('pagoefectivo').PagoEfectivo, dedup?: Deduplicator }} deps
 */
export function createApp({ pe, dedup = new Deduplicator() }) {
  /** @type {Map<string, Order>} */
  const orders = new Map();
  let next = 1000;
  const app = express();
  // The reconciliation script reads the orders from here (a real shop reads its database).
  app.locals.orders = orders;

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
    // PagoEfectivo retries a non-200, so the same notification can arrive twice, at any of the shop's servers.
    let outcome;
    try {
      outcome = await dedup.begin(event);
    } catch (e) {
      return storeUnavailable(res, e);
    }
    if (outcome === 'duplicate') return res.status(200).json({ duplicate: true }); // done before: nothing to do
    if (outcome === 'in_progress') return res.status(503).set('Retry-After', '5').json({ error: 'in_progress' });
    if (outcome === 'conflict') {
      // The same notification came before with another payload: changed or forged. Investigate, act on neither.
      console.warn(`refused notification ${event.dedupKey}: payload_conflict`);
      return res.status(409).json({ error: 'payload_conflict' });
    }
    try {
      fulfil(event);
    } catch (e) {
      await dedup.fail(event).catch(() => {}); // let PagoEfectivo's retry process it
      throw e;
    }
    try {
      await dedup.complete(event);
    } catch (e) {
      return storeUnavailable(res, e);
    }
    return res.sendStatus(200);
  });

  /** What a verified, first-seen notification does to the shop. @param {import('pagoefectivo').WebhookEvent} event */
  function fulfil(event) {
    if (event.type === 'cip_paid') {
      const order = [...orders.values()].find((o) => o.cip === event.cip);
      if (order && order.status === 'pending') {
        order.status = 'paid';
        order.paidAt = event.paymentDate;
        order.timesFulfilled++; // ship it (in a real shop: enqueue, answer 200 fast)
      }
    } else if (event.type === 'refund') {
      // refund.processing / refund.refunded / refund.rejected: keep the order's refund up to date.
      const { refundId, status, reasonCode } = event;
      const refund = [...orders.values()].flatMap((o) => o.refunds).find((r) => r.refundId === refundId);
      if (refund) Object.assign(refund, { status, reasonCode });
    }
  }

  /**
   * The dedup store could not be reached: not acknowledged (PagoEfectivo delivers it again), nothing marked done.
   * @param {import('express').Response} res @param {unknown} e
   */
  function storeUnavailable(res, e) {
    if (!(e instanceof ConnectionError)) throw e;
    console.warn(`notification not acknowledged: ${e.reason ?? e.code}`);
    return res.status(503).json({ error: e.reason ?? e.code });
  }

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
        refunds: [],
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

  // Staff refund a paid order. `reference` is the staff's own id for this refund: sending the same
  // request again (a double click, a timeout) returns the same refund instead of paying twice.
  app.post('/orders/:id/refunds', express.json(), async (req, res) => {
    const order = orders.get(req.params.id);
    if (!order || order.cip === null) return res.sendStatus(404);
    const { reference, amount, reason, destination, beneficiary, operator } = req.body ?? {};
    try {
      const refund = await pe.refunds.create({
        cip: order.cip,
        amount,
        currency: 'PEN',
        reason,
        merchantRefundId: `${order.id}:${reference}`,
        destination,
        beneficiary,
        requestedBy: operator,
      });
      if (!order.refunds.some((r) => r.refundId === refund.refundId)) {
        order.refunds.push({
          refundId: refund.refundId,
          amount: refund.amount,
          status: refund.status,
          reasonCode: null,
        });
      }
      return res.status(201).json(refund);
    } catch (e) {
      if (e instanceof RefundNotAllowedError) return res.status(409).json({ error: e.message, reason: e.reason });
      if (e instanceof IdempotencyConflictError) return res.status(409).json({ error: e.message, reason: 'conflict' });
      if (e instanceof ValidationError) return res.status(422).json({ error: e.message, fields: e.fieldErrors });
      return res.status(502).json({ error: 'payment provider unavailable, try again' });
    }
  });

  app.get('/orders/:id', (req, res) => {
    const order = orders.get(req.params.id);
    return order ? res.json(order) : res.sendStatus(404);
  });

  return app;
}
