// Webhook verify + parse: pagoefectivo vs the plain Node lines (createHmac + timingSafeEqual + JSON.parse), stripe-node and standardwebhooks.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { PagoEfectivo, constructEvent, signWebhook } from 'pagoefectivo';

import { addonNote, interleaved, machine, median, min, ratioLine, ratios } from './bench.mjs';

// A cip.paid notification like the sandbox sends, with payment date, transaction code and concept: 306 bytes.
const body = Buffer.from(
  '{"eventType":"cip.paid","operationNumber":"1000001","data":{"cip":"2523136","currency":"PEN","amount":149.90,' +
    '"paymentDate":"2026-11-20T18:04:11-05:00","transactionCode":"ORD-2026-11-20-000123","paymentConcept":' +
    '"Pedido ORD-2026-11-20-000123 - Tienda Demo","agency":"AGENTE KASNET 1234","channel":"AGENCIA"}}',
);
const secret = 'SECRETKEY0000000000000000000000000000000';
// `PE-Signature`: lowercase hex of HMAC-SHA256(secret as UTF-8, raw body) (docs/pagoefectivo-api.md A.7).
const signature = signWebhook(body, secret);
if (signature !== createHmac('sha256', secret).update(body).digest('hex')) throw new Error('signature format differs');

/** What a merchant writes by hand: the same check over the raw bytes, then `JSON.parse` (amounts as lossy floats). */
function plainVerify(raw, sigHex, key) {
  const mac = createHmac('sha256', key).update(raw).digest();
  const given = Buffer.from(sigHex, 'hex');
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) throw new Error('bad signature');
  return JSON.parse(raw);
}

const pe = new PagoEfectivo({ accessKey: 'ACCESSKEY00000000000', secretKey: secret, serviceId: 1234 });

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

const text = body.toString();
// Each verifies the signature over the raw bytes and returns the parsed event.
const cases = {
  'pagoefectivo constructEvent (Buffer)': () => constructEvent(body, signature, secret),
  'pagoefectivo constructEvent (string)': () => constructEvent(text, signature, secret),
  'pagoefectivo client.webhooks.constructEvent': () => pe.webhooks.constructEvent(body, signature),
  'plain createHmac+timingSafeEqual+JSON.parse': () => plainVerify(body, signature, secret),
  'stripe.webhooks.constructEvent': () => stripe.webhooks.constructEvent(body, stripeHeader, stripeSecret),
  'standardwebhooks verify': () => sw.verify(body.toString(), swHeaders),
};
const rounds = Number(process.env.WEBHOOK_ROUNDS ?? 15);
const iterations = Number(process.env.WEBHOOK_ITERATIONS ?? 20000);

const require = createRequire(import.meta.url);
const addon = join(dirname(require.resolve('pagoefectivo/package.json')), 'pagoefectivo.node');
console.log(`webhook: body ${body.length} bytes, ${rounds} interleaved rounds x ${iterations} calls; ${machine()}`);
console.log(`addon: ${addonNote(addon)}`);
const t = interleaved(cases, { rounds, iterations });
const us = (ns) => (ns / 1000).toFixed(2);
console.log(`${''.padEnd(46)} wall µs/call (min / median)   CPU µs/call (min / median)`);
for (const [name, { wall, cpu }] of Object.entries(t)) {
  console.log(
    `${name.padEnd(46)} ${us(min(wall))} / ${us(median(wall))}`.padEnd(78) + `${us(min(cpu))} / ${us(median(cpu))}`,
  );
}
const PLAIN = 'plain createHmac+timingSafeEqual+JSON.parse';
const SDK = 'pagoefectivo constructEvent (Buffer)';
// Per-round ratios, pagoefectivo / plain (below 1: pagoefectivo is faster), on both clocks; speed-ups (theirs / ours).
console.log(ratioLine('node.webhook.vs_plain', ratios(t[SDK].wall, t[PLAIN].wall), '<=1.00'));
console.log(ratioLine('node.webhook.vs_plain_cpu', ratios(t[SDK].cpu, t[PLAIN].cpu), '<=1.00'));
const client = t['pagoefectivo client.webhooks.constructEvent'];
console.log(ratioLine('node.webhook.client_vs_plain', ratios(client.wall, t[PLAIN].wall), '<=1.00'));
console.log(ratioLine('node.webhook.client_vs_plain_cpu', ratios(client.cpu, t[PLAIN].cpu), '<=1.00'));
console.log(
  ratioLine('node.webhook.speedup_vs_stripe', ratios(t['stripe.webhooks.constructEvent'].wall, t[SDK].wall), '>=1.50'),
);
console.log(
  ratioLine(
    'node.webhook.speedup_vs_standardwebhooks',
    ratios(t['standardwebhooks verify'].wall, t[SDK].wall),
    '>=1.50',
  ),
);
