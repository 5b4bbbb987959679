// The boundary from JavaScript: the core decides every rule, so hostile JS values are the core's typed
// errors (same codes as the other languages), fast, never a crash or a blocked event loop.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  Calendar,
  PagoEfectivoError,
  ValidationError,
  constructEvent,
  hashString,
  signWebhook,
  signatureFromHeaders,
  statusFromCode,
  time,
} from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

let sandbox;
let pe;
before(async () => {
  sandbox = await Sandbox.start();
  pe = sandbox.client({ retry: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20 } });
});
after(() => sandbox.stop());

const order = (extra = {}) => ({
  currency: 'PEN',
  amount: '25.50',
  transactionCode: 'ORD-B',
  userEmail: 'ana@example.pe',
  ...extra,
});

/** The fields of the ValidationError `f` throws (or rejects with). */
async function fields(f) {
  try {
    await f();
  } catch (e) {
    assert.ok(e instanceof ValidationError, `${e?.name}: ${e?.message}`);
    return [...new Set(e.fieldErrors.map((x) => x.field))].sort();
  }
  assert.fail('accepted');
}

test('money: decimal strings and exact integers (bigint) in, every JS number refused as the float it is', async () => {
  const cip = await pe.cips.create(order({ amount: 25n, transactionCode: 'ORD-BIG' }));
  assert.equal(cip.amount, '25.00');
  pe.cips.validate(order({ amount: '1E+1' }));
  for (const amount of [25, 25.5, 0.1 + 0.2, 1e21, NaN, Infinity]) {
    assert.deepEqual(await fields(() => pe.cips.validate(order({ amount }))), ['amount'], String(amount));
  }
  const e = await pe.cips.create(order({ amount: 25 })).catch((x) => x);
  assert.match(e.fieldErrors[0].message, /binary float/);
  assert.equal(e.attempts, 0);
  assert.deepEqual(await fields(() => pe.cips.validate(order({ amount: 10n ** 5000n }))), ['amount']);
});

test('a misspelt key is refused, named, with every other problem', async () => {
  assert.deepEqual(await fields(() => pe.cips.create(order({ date_expire: new Date() }))), ['date_expire']);
  assert.deepEqual(
    await fields(() =>
      pe.cips.validate(order({ amount: 25.5, userEmail: 'a@b.pe\u0000', date_expire: '2030-01-01T00:00:00Z' })),
    ),
    ['amount', 'date_expire', 'userEmail'],
  );
  // Any casing of a known key is that key.
  pe.cips.validate({ currency: 'PEN', amount: '1.00', transaction_code: 'A', user_email: 'a@b.pe' });
});

test('text: lone surrogates, functions, symbols and NUL bytes are refused by field', async () => {
  assert.deepEqual(await fields(() => pe.cips.validate(order({ userEmail: '\uD800a@b.pe' }))), ['userEmail']);
  assert.deepEqual(await fields(() => pe.cips.validate(order({ userName: () => 1, userId: Symbol('x') }))), [
    'userId',
    'userName',
  ]);
  assert.deepEqual(await fields(() => pe.cips.validate(order({ paymentConcept: 'a\u0000b' }))), ['paymentConcept']);
  // An integer for a text field is its text; a float is refused.
  pe.cips.validate(order({ transactionCode: 1001, userId: 200 }));
  assert.deepEqual(await fields(() => pe.cips.validate(order({ transactionCode: 1.5 }))), ['transactionCode']);
  // A surrogate pair (an emoji) is fine.
  pe.cips.validate(order({ paymentConcept: 'Pedido \u{1F600}' }));
});

test('times need an offset; a Date is an instant', async () => {
  assert.deepEqual(await fields(() => pe.cips.validate(order({ dateExpiry: '2030-01-01T00:00:00' }))), ['dateExpiry']);
  pe.cips.validate(order({ dateExpiry: new Date('2030-01-01T05:00:00Z') }));
  assert.equal(time.format(new Date('2026-11-20T23:00:00Z')), '2026-11-20T18:00:00-05:00');
  assert.throws(() => time.format('2026-11-20T18:00:00'), ValidationError);
  assert.throws(() => time.format(new Date(NaN)), ValidationError);
});

test('CIP numbers: JS numbers up to 14 digits (above 2^32 too), bigints and digit strings; nothing else', async () => {
  for (const cip of [4294967296, 99999999999999, 99999999999999n, '4294967296']) {
    await assert.rejects(pe.cips.get(cip), (e) => e.code === 'not_found', String(cip));
  }
  for (const cip of [0, -1, 1.5, 100000000000000, 2 ** 63, 2n ** 63n, '12a', null, undefined, {}, [], true, NaN]) {
    await assert.rejects(pe.cips.get(cip), (e) => {
      assert.ok(e instanceof ValidationError, `${String(cip)}: ${e}`);
      assert.deepEqual([e.fieldErrors[0].field, e.attempts], ['cip', 0]);
      return true;
    });
  }
});

test('counts: negatives and huge numbers are refused at once, never wrapped or computed', async () => {
  const calendar = Calendar.peru();
  assert.equal(calendar.addBusinessDays('2026-11-27', 1), '2026-11-30');
  assert.equal(calendar.addBusinessDays('2026-11-27', 1n), '2026-11-30');
  const start = performance.now();
  for (const days of [-1, 2 ** 32 - 1, 2 ** 53, 1.5, -1n, 2n ** 64n, NaN, '-1', null]) {
    assert.throws(
      () => calendar.addBusinessDays('2026-11-20', days),
      (e) => e instanceof ValidationError && e.fieldErrors[0].field === 'days',
      String(days),
    );
  }
  assert.ok(performance.now() - start < 500, `took ${performance.now() - start} ms`);
  assert.throws(() => statusFromCode(2 ** 32 + 22), ValidationError);
  assert.throws(() => statusFromCode(-1), ValidationError);
  assert.equal(statusFromCode(593), 'paid');
  await assert.rejects(pe.cips.waitForFinalStatus(1, { timeoutMs: -1 }), ValidationError);
  await assert.rejects(pe.cips.waitForFinalStatus(1, { timeoutMs: 2 ** 60 }), ValidationError);
  await assert.rejects(pe.refunds.eligibility(1, { refundWindowDays: -1 }), ValidationError);
  assert.throws(() => hashString(-1, 'a', 'b', 'c'), ValidationError);
});

test('webhooks: a body limit, a header lookup in any case, typed errors for a bad secret', () => {
  const body = '{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN","amount":1.00}}';
  const sig = signWebhook(body, 'k');
  assert.equal(constructEvent(body, sig, 'k', { maxBodyBytes: body.length }).cip, 1);
  assert.throws(
    () => constructEvent(body, sig, 'k', { maxBodyBytes: 10 }),
    (e) => e.reason === 'body_too_large' && e.code === 'signature_verification_failed',
  );
  assert.throws(() => constructEvent(body, sig, 'k', { maxBodyBytes: -1 }), ValidationError);
  assert.throws(
    () => pe.webhooks.constructEvent(body, sig, { maxBodyBytes: 10 }),
    (e) => e.reason === 'body_too_large',
  );
  for (const headers of [
    { 'pe-signature': sig },
    { 'PE-SIGNATURE': [sig] },
    new Headers({ 'Pe-Signature': sig }),
    { HTTP_PE_SIGNATURE: sig },
  ]) {
    assert.equal(signatureFromHeaders(headers), sig);
    assert.equal(constructEvent(body, headers, 'k').type, 'cip_paid');
  }
  assert.equal(signatureFromHeaders({ 'x-pe-signature': sig }), null);
  for (const secret of [null, undefined, 42, '\uD800k', {}]) {
    assert.throws(
      () => constructEvent(body, sig, secret),
      (e) => e instanceof ValidationError,
      String(secret),
    );
  }
});

test('hostile arguments everywhere are typed errors, and the event loop keeps running', async () => {
  const deep = {};
  let node = deep;
  for (let i = 0; i < 10_000; i++) node = node.next = {};
  const cyclic = { currency: 'PEN' };
  cyclic.self = cyclic;
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const attempts = [
    () => pe.cips.create(deep),
    () => pe.cips.create(cyclic),
    () => pe.cips.create(order({ amount: { toJSON: () => 25.5 } })),
    () => pe.cips.search(Array.from({ length: 1000 }, () => -1)),
    () => pe.cips.extend(1, 'x'.repeat(1_000_000)),
    () => pe.refunds.create({ cip: 1, amount: 1.5, destination: 'x', beneficiary: [] }),
    () => pe.refunds.get(null),
    () => pe.reports.fetchAll({ limit: -1 }),
    () => pe.reports.fetchAll({ dateFrom: 5 }),
    () => sandbox.client({ proxy: 42 }).authenticate(),
  ];
  for (const [i, f] of attempts.entries()) {
    await assert.rejects(
      Promise.resolve().then(f),
      (e) => e instanceof PagoEfectivoError && e.code !== 'internal_error',
      `attempt ${i}`,
    );
  }
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  assert.ok(ticks > 0, 'timers fired');
});
