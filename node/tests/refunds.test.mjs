// Refunds against the in-process sandbox: each rule, idempotent retries, lifecycle, notifications, the audit trail.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';

import {
  ConfigurationError,
  IdempotencyConflictError,
  NotFoundError,
  PagoEfectivo,
  RefundNotAllowedError,
  ValidationError,
  WaitTimeoutError,
  cciWithCheckDigits,
  constructEvent,
  validateCci,
} from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

const dir = mkdtempSync(join(tmpdir(), 'pe-refunds-'));
const auditFile = join(dir, 'audit.jsonl');
const audited = [];
let sandbox;
let pe;
let peWithCallback;
let n = 0;

before(async () => {
  sandbox = await Sandbox.start();
  const fast = { retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 } };
  pe = sandbox.client({ ...fast, refundAudit: auditFile });
  peWithCallback = sandbox.client({ ...fast, refundAudit: (record) => audited.push(record) });
});
after(() => sandbox.stop());

/** A paid CIP of `amount` (PEN unless said otherwise). */
async function paidCip(amount = '100.00', currency = 'PEN') {
  const cip = await pe.cips.create({
    currency,
    amount,
    transactionCode: `ORD-R${++n}`,
    userEmail: 'ana@example.pe',
  });
  sandbox.pay(cip.cip);
  return cip.cip;
}

const refund = (cip, extra = {}) => ({
  cip,
  amount: '30.00',
  currency: 'PEN',
  reason: 'Pedido cancelado',
  merchantRefundId: `RF-${cip}-${++n}`,
  destination: { type: 'bank_account', cci: '00219100123456789053' },
  beneficiary: { documentType: 'DNI', documentNumber: '44556677', name: 'Ana Quispe' },
  ...extra,
});

const refusedFor = (reason) => (e) => {
  assert.ok(e instanceof RefundNotAllowedError, `${e?.name}: ${e?.message}`);
  assert.equal(e.code, 'refund_not_allowed');
  assert.equal(e.reason, reason);
  assert.equal(e.attempts, 0);
  return true;
};

test('a refund is created, listed, and followed to refunded', async () => {
  const cip = await paidCip();
  const before = await pe.refunds.eligibility(cip);
  assert.equal(before.refundableAmount, '100.00');
  assert.equal(before.blockedBy, null);
  assert.ok(before.secondsLeft > 80 * 86400);
  assert.match(before.deadline, /-05:00$/);

  const r = await pe.refunds.create(refund(cip, { requestedBy: 'agent:maria' }));
  assert.equal(r.status, 'requested');
  assert.equal(r.amount, '30.00');
  assert.equal(typeof r.cip, 'number');
  assert.deepEqual(
    (await pe.refunds.list(cip)).map((x) => x.refundId),
    [r.refundId],
  );
  assert.equal((await pe.refunds.eligibility(cip)).refundableAmount, '70.00');

  const waiting = pe.refunds.waitForFinalStatus(r.refundId, {
    timeoutMs: 5000,
    initialIntervalMs: 20,
    maxIntervalMs: 50,
  });
  sandbox.advanceRefund(r.refundId, 'processing');
  setTimeout(() => sandbox.advanceRefund(r.refundId, 'refunded'), 60);
  const done = await waiting;
  assert.equal(done.status, 'refunded');
  assert.equal((await pe.refunds.get(r.refundId)).status, 'refunded');
});

test('a rejection keeps its reason code; waiting on an open refund times out', async () => {
  const cip = await paidCip();
  const r = await pe.refunds.create(refund(cip));
  sandbox.advanceRefund(r.refundId, 'rejected', 'R01');
  const got = await pe.refunds.get(r.refundId);
  assert.deepEqual([got.status, got.reasonCode], ['rejected', 'R01']);
  const open = await pe.refunds.create(refund(cip));
  await assert.rejects(
    pe.refunds.waitForFinalStatus(open.refundId, { timeoutMs: 120, initialIntervalMs: 20, maxIntervalMs: 40 }),
    WaitTimeoutError,
  );
  await assert.rejects(pe.refunds.get('rfd_unknown'), NotFoundError);
});

test('each rule refuses before any refund request', async () => {
  const unpaid = await pe.cips.create({
    currency: 'PEN',
    amount: '10.00',
    transactionCode: 'ORD-UNPAID',
    userEmail: 'a@b.pe',
  });
  const sent = sandbox.requestCount('refunds_create');
  await assert.rejects(pe.refunds.create(refund(unpaid.cip)), refusedFor('cip_not_paid'));

  const cip = await paidCip('50.00');
  await assert.rejects(pe.refunds.create(refund(cip, { amount: '50.01' })), refusedFor('amount_exceeds_refundable'));
  await assert.rejects(pe.refunds.create(refund(cip, { currency: 'USD' })), refusedFor('currency_mismatch'));
  await pe.refunds.create(refund(cip, { amount: '40.00' }));
  await assert.rejects(pe.refunds.create(refund(cip, { amount: '10.01' })), refusedFor('amount_exceeds_refundable'));

  // A 0-day policy: the window closed at the payment.
  const old = await paidCip();
  await assert.rejects(pe.refunds.create(refund(old, { refundWindowDays: 0 })), (e) => {
    refusedFor('window_expired')(e);
    assert.match(e.message, /closed at \d{4}-\d\d-\d\dT.*-05:00/);
    return true;
  });
  const late = await pe.refunds.eligibility(old, { refundWindowDays: 0 });
  assert.deepEqual([late.blockedBy, late.secondsLeft], ['window_expired', 0]);
  assert.equal(sandbox.requestCount('refunds_create') - sent, 1, 'only the allowed refund was sent');
});

test('a dropped creation is retried with the same idempotency key: exactly one refund', async () => {
  const cip = await paidCip();
  const before = sandbox.refunds().length;
  const sent = sandbox.requestCount('refunds_create');
  sandbox.addFault({ endpoint: 'refunds_create', kind: 'drop', times: 1 });
  const params = refund(cip);
  const r = await pe.refunds.create(params);
  assert.equal(sandbox.requestCount('refunds_create') - sent, 2);
  // The application retrying the same request gets the same refund back.
  const again = await pe.refunds.create(params);
  assert.equal(again.refundId, r.refundId);
  assert.equal(sandbox.refunds().length - before, 1);
  // The same reference with other parameters is a conflict.
  await assert.rejects(pe.refunds.create({ ...params, amount: '31.00' }), (e) => {
    assert.ok(e instanceof IdempotencyConflictError, `${e?.name}: ${e?.message}`);
    assert.equal(e.code, 'idempotency_conflict');
    return true;
  });
});

test('a refund notification is signed and verifies as a refund event', async () => {
  const cip = await paidCip();
  const r = await pe.refunds.create(refund(cip));
  const seen = sandbox.deliveries().length;
  sandbox.advanceRefund(r.refundId, 'processing');
  const all = await sandbox.waitForDeliveries(seen + 1);
  const d = all.find((x) => x.eventType === 'refund.processing' && x.body.includes(r.refundId));
  assert.ok(d, 'the refund.processing notification was sent');
  const event = pe.webhooks.constructEvent(Buffer.from(d.body), d.signature);
  assert.equal(event.type, 'refund');
  if (event.type !== 'refund') return;
  assert.deepEqual(
    [event.eventType, event.refundId, event.cip, event.amount, event.status],
    ['refund.processing', r.refundId, cip, '30.00', 'processing'],
  );
  assert.match(event.dedupKey, /^refund\.processing:/);
  assert.equal(constructEvent(d.body, d.signature, sandbox.credentials.secretKey).type, 'refund');
});

test('the audit trail: a file with one JSON line per operation, and a callback; no secrets', async () => {
  const cip = await paidCip();
  const r = await pe.refunds.create(refund(cip, { requestedBy: 'agent:rosa' }));
  await pe.refunds.get(r.refundId);
  await assert.rejects(pe.refunds.create(refund(cip, { amount: '500.00' })), RefundNotAllowedError);
  const lines = readFileSync(auditFile, 'utf8').trim().split('\n');
  const records = lines.map((l) => JSON.parse(l));
  const created = records.find((x) => x.operation === 'refund.create' && x.refundId === r.refundId);
  assert.ok(created, 'the creation is recorded');
  assert.equal(created.actor, 'agent:rosa');
  assert.equal(created.outcome, 'ok');
  assert.match(created.idempotencyKey, /^rfd_[0-9a-f]{32}$/);
  assert.match(created.at, /-05:00$/);
  assert.ok(records.some((x) => x.operation === 'refund.get' && x.refundId === r.refundId));
  assert.ok(records.some((x) => x.outcome === 'refund_not_allowed'));
  const { secretKey } = sandbox.credentials;
  const text = readFileSync(auditFile, 'utf8');
  assert.ok(!text.includes(secretKey), 'the secret key is not in the audit file');
  assert.ok(!/token|hashString|authorization/i.test(text), 'no token or hash in the audit file');

  const cip2 = await paidCip();
  const r2 = await peWithCallback.refunds.create(refund(cip2));
  // Records reach the callback asynchronously, on the JS thread.
  for (let i = 0; i < 50 && !audited.some((x) => x.refundId === r2.refundId); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const rec = audited.find((x) => x.refundId === r2.refundId);
  assert.ok(rec, 'the callback received the record');
  assert.equal(rec.operation, 'refund.create');
  assert.ok(!JSON.stringify(audited).includes(secretKey));
});

test('bad refund input: every field at once, typed errors, never a crash', async () => {
  assert.throws(
    () =>
      pe.refunds.validate({
        cip: 0,
        amount: 30,
        currency: 'EUR',
        reason: '',
        merchantRefundId: 'RF-X',
        destination: { type: 'bank_account', cci: '00219100123456789000' },
        beneficiary: { documentType: 'DNI', documentNumber: '123', name: 'Ana' },
      }),
    (e) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual([...new Set(e.fieldErrors.map((f) => f.field))].sort(), [
        'amount',
        'beneficiary.documentNumber',
        'cip',
        'currency',
        'destination.cci',
        'reason',
      ]);
      assert.match(e.fieldErrors.find((f) => f.field === 'amount').message, /binary float/);
      return true;
    },
  );
  pe.refunds.validate(refund(2523136n, { destination: { type: 'ewallet', phone: '+51 987 654 321' } }));
  const bad = [
    () => pe.refunds.create(null),
    () => pe.refunds.create('x'),
    () => pe.refunds.create(refund(1, { destination: { type: 'cash' } })),
    () => pe.refunds.get(42),
    () => pe.refunds.get('../etc'),
    () => pe.refunds.list('abc'),
    () => pe.refunds.eligibility(1, { refundWindowDays: -1 }),
    () => pe.refunds.waitForFinalStatus(undefined),
  ];
  for (const [i, f] of bad.entries()) {
    await assert.rejects(f(), (e) => e instanceof ValidationError, `case ${i}`);
  }
  assert.throws(() => sandbox.client({ refundAudit: 42 }), ConfigurationError);
  assert.throws(() => sandbox.client({ refundAudit: join(dir, 'missing', 'a.jsonl') }), ConfigurationError);
});

test('CCI check digits, refund options in the config, no secret in inspect', () => {
  const cci = cciWithCheckDigits('002191001234567890');
  assert.equal(cci, '00219100123456789053');
  validateCci(cci);
  assert.throws(() => validateCci('00219100123456789000'), ValidationError);
  assert.throws(() => validateCci('12'), ValidationError);
  const c = new PagoEfectivo({
    ...sandbox.clientOptions(),
    refundsPath: 'v9/refunds',
    refundWindowDays: 7,
    reportsPath: 'r/s',
  });
  assert.deepEqual([c.config.refundsPath, c.config.refundWindowDays, c.config.reportsPath], ['v9/refunds', 7, 'r/s']);
  const env = PagoEfectivo.fromEnv({
    PAGOEFECTIVO_ENVIRONMENT: sandbox.baseUrl,
    PAGOEFECTIVO_ACCESS_KEY: sandbox.credentials.accessKey,
    PAGOEFECTIVO_SECRET_KEY: sandbox.credentials.secretKey,
    PAGOEFECTIVO_SERVICE_ID: String(sandbox.credentials.serviceId),
    PAGOEFECTIVO_REFUND_WINDOW_DAYS: '30',
    PAGOEFECTIVO_REFUNDS_PATH: 'x/refunds',
    PAGOEFECTIVO_REPORTS_PATH: 'x/reports',
  });
  assert.deepEqual(
    [env.config.refundWindowDays, env.config.refundsPath, env.config.reportsPath],
    [30, 'x/refunds', 'x/reports'],
  );
  for (const shown of [inspect(pe), JSON.stringify(pe), inspect(pe.refunds), inspect(peWithCallback)]) {
    assert.ok(!shown.includes(sandbox.credentials.secretKey));
  }
});
