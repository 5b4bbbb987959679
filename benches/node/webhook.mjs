// Webhook verify + parse: pagoefectivo's constructEvent vs stripe-node's and standardwebhooks' on bodies of the same size.
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { constructEvent, signWebhook } from 'pagoefectivo';

import { machine, nsPerOp } from './bench.mjs';

// A cip.paid notification like the sandbox sends, with payment date, transaction code and concept: 297 bytes (the Rust bench's).
const body = Buffer.from(
  '{"eventType":"cip.paid","operationNumber":"1000001","data":{"cip":"2523136","currency":"PEN","amount":149.90,' +
    '"paymentDate":"2026-11-20T18:04:11-05:00","transactionCode":"ORD-2026-11-20-000123","paymentConcept":' +
    '"Pedido ORD-2026-11-20-000123 - Tienda Demo","agency":"AGENTE KASNET 1234","channel":"AGENCIA"}}',
);
const secret = 'SECRETKEY0000000000000000000000000000000';
const signature = signWebhook(body, secret);

const stripe = new Stripe('sk_test_benchmark');
const stripeSecret = 'whsec_benchmarksecret0000000000000000';
const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret: stripeSecret });

const swSecret = 'whsec_' + Buffer.from('benchmark-secret-0123456789abcdef').toString('base64');
const sw = new Webhook(swSecret);
const msgId = 'msg_2aBcDeFgHiJkLmNoPqRsTuVwXyZ';
const now = new Date();
const swHeaders = {
  'webhook-id': msgId,
  'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
  'webhook-signature': sw.sign(msgId, now, body.toString()),
};

// Each verifies the signature over the raw bytes and returns the parsed event.
const cases = {
  'pagoefectivo constructEvent (Buffer)': () => constructEvent(body, signature, secret),
  'pagoefectivo constructEvent (string)': (() => {
    const text = body.toString();
    return () => constructEvent(text, signature, secret);
  })(),
  'stripe.webhooks.constructEvent': () => stripe.webhooks.constructEvent(body, stripeHeader, stripeSecret),
  'standardwebhooks verify': () => sw.verify(body.toString(), swHeaders),
};

console.log(`body ${body.length} bytes; ${machine()}`);
const results = {};
for (const [name, f] of Object.entries(cases)) {
  results[name] = nsPerOp(f);
  console.log(`${name.padEnd(40)} ${(results[name] / 1000).toFixed(2)} µs/op`);
}
const ours = results['pagoefectivo constructEvent (Buffer)'];
console.log(`speed-up vs stripe: ${(results['stripe.webhooks.constructEvent'] / ours).toFixed(2)}x`);
console.log(`speed-up vs standardwebhooks: ${(results['standardwebhooks verify'] / ours).toFixed(2)}x`);
