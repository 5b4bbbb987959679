// The client against the in-process sandbox: lifecycle, typed errors for bad input, secrets, concurrency, logging.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';

import {
  ConfigurationError,
  NotFoundError,
  InvalidStateError,
  OutcomeUnknownError,
  PagoEfectivo,
  PagoEfectivoError,
  ValidationError,
  WaitTimeoutError,
  configureLogging,
  time,
} from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

const SECRET = 'SECRETKEY0000000000000000000000000000000';
let sandbox;
let pe;

before(async () => {
  sandbox = await Sandbox.start();
  pe = sandbox.client({ retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 } });
});
after(() => sandbox.stop());

const order = (n, extra = {}) => ({
  currency: 'PEN',
  amount: '25.50',
  transactionCode: `ORD-${n}`,
  userEmail: 'ana@example.pe',
  ...extra,
});

test('create, get, search, extend, delete', async () => {
  const expiry = new Date(Date.now() + 48 * 3600_000);
  const cip = await pe.cips.create(
    order(1, { dateExpiry: expiry, userDocumentType: 'DNI', userDocumentNumber: '44556677', userPhone: undefined }),
  );
  assert.equal(typeof cip.cip, 'number');
  assert.equal(cip.amount, '25.50');
  assert.match(cip.dateExpiry, /-05:00$/);
  assert.equal(time.toDate(cip.dateExpiry).getTime(), Math.floor(expiry.getTime() / 1000) * 1000);

  const info = await pe.cips.get(cip.cip);
  assert.equal(info.status, 'generated');
  assert.equal(info.datePayment, null);
  assert.deepEqual(
    (await pe.cips.search([cip.cip, 99999999n, String(cip.cip)])).map((i) => i.cip),
    [cip.cip, cip.cip],
  );

  await pe.cips.extend(BigInt(cip.cip), time.format(new Date(Date.now() + 72 * 3600_000)));
  await pe.cips.delete(cip.cip);
  assert.equal((await pe.cips.get(cip.cip)).status, 'deleted');
  await assert.rejects(
    pe.cips.delete(cip.cip),
    (e) => e instanceof InvalidStateError && e.httpStatus === 409 && e.peCode === '121',
  );
  await assert.rejects(pe.cips.get(12345), NotFoundError);
});

test('waitForFinalStatus sees a payment, and times out on an open CIP', async () => {
  const cip = await pe.cips.create(order(2));
  const waiting = pe.cips.waitForFinalStatus(cip.cip, { timeoutMs: 5000, initialIntervalMs: 20, maxIntervalMs: 100 });
  setTimeout(() => sandbox.pay(cip.cip), 50);
  assert.equal((await waiting).status, 'paid');
  const open = await pe.cips.create(order(3));
  await assert.rejects(
    pe.cips.waitForFinalStatus(open.cip, { timeoutMs: 150, initialIntervalMs: 20, maxIntervalMs: 40 }),
    (e) => e instanceof WaitTimeoutError && e.retryable === true,
  );
});

test('a dropped creation is outcome_unknown with the transaction code, never retried', async () => {
  const before = sandbox.requestCount('cips_create');
  sandbox.addFault({ endpoint: 'cips_create', kind: 'drop', times: 1 });
  await assert.rejects(pe.cips.create(order('DROP')), (e) => {
    assert.ok(e instanceof OutcomeUnknownError);
    assert.equal(e.transactionCode, 'ORD-DROP');
    assert.ok(e.hint);
    return true;
  });
  assert.equal(sandbox.requestCount('cips_create') - before, 1);
});

test('bad inputs are typed errors, never crashes', async () => {
  const cases = [
    () => pe.cips.create(order(4, { amount: 25.5 })),
    () => pe.cips.create(null),
    () => pe.cips.create('nope'),
    () => pe.cips.create({ ...order(5), amount: { value: 1 } }),
    () => pe.cips.create({ ...order(6), dateExpiry: new Date(NaN) }),
    () => pe.cips.create({ ...order(7), paymentConcept: () => 1 }),
    () => pe.cips.create({ ...order(8), paymentConcept: Symbol('x') }),
    () => pe.cips.get(-1),
    () => pe.cips.get(1.5),
    () => pe.cips.get('12a'),
    () => pe.cips.get(undefined),
    () => pe.cips.get({}),
    () => pe.cips.get(2n ** 70n),
    () => pe.cips.search(42),
    () => pe.cips.search([0]),
    () => pe.cips.extend(1, 'next tuesday'),
    () => pe.cips.extend(1, new Date(Date.now() - 1000)),
    () => pe.cips.waitForFinalStatus(1, { timeoutMs: -5 }),
    () => pe.cips.waitForFinalStatus(1, null),
  ];
  for (const [i, f] of cases.entries()) {
    await assert.rejects(
      f(),
      (e) => {
        assert.ok(e instanceof ValidationError, `case ${i}: ${e?.name} ${e?.message}`);
        return true;
      },
      `case ${i} was accepted`,
    );
  }
  await assert.rejects(pe.cips.create(order(9, { amount: 25.5 })), (e) => {
    assert.deepEqual(
      e.fieldErrors.map((f) => f.field),
      ['amount'],
    );
    assert.match(e.message, /amount.*decimal string/);
    return true;
  });
});

test('configuration errors are typed and name the problem', () => {
  const good = { accessKey: 'ACCESSKEY00000000000', secretKey: SECRET, serviceId: 1234 };
  for (const options of [
    undefined,
    {},
    { ...good, secretKey: `${SECRET}\n` },
    { ...good, serviceId: 12345 },
    { ...good, serviceId: '12x' },
    { ...good, environment: 'production', baseUrl: 'http://127.0.0.1:1/v1/' },
    { ...good, secretKy: 'typo' },
    { ...good, requestTimeoutMs: -1 },
    { ...good, retry: 3 },
    { ...good, language: 'fr' },
  ]) {
    assert.throws(
      () => new PagoEfectivo(options),
      (e) => {
        assert.ok(e instanceof ConfigurationError, `${JSON.stringify(options)}: ${e}`);
        assert.ok(!e.message.includes(SECRET));
        return true;
      },
    );
  }
  assert.throws(() => PagoEfectivo.fromEnv({ PAGOEFECTIVO_ACCESS_KEY: 'A' }), ConfigurationError);
  const c = PagoEfectivo.fromEnv({ ...sandboxEnv(), PAGOEFECTIVO_REQUEST_TIMEOUT_MS: '1500', OTHER: 'x' });
  assert.equal(c.config.requestTimeoutMs, 1500);
});

function sandboxEnv() {
  return {
    PAGOEFECTIVO_BASE_URL: sandbox.baseUrl,
    PAGOEFECTIVO_ACCESS_KEY: 'ACCESSKEY00000000000',
    PAGOEFECTIVO_SECRET_KEY: SECRET,
    PAGOEFECTIVO_SERVICE_ID: '1234',
  };
}

test('the secret key appears in no inspect, JSON, error or log output', async () => {
  const records = [];
  configureLogging({ level: 'debug', logger: (r) => records.push(r) });
  try {
    const client = PagoEfectivo.fromEnv(sandboxEnv());
    const bad = sandbox.client({ secretKey: 'WRONGSECRET0000000000000000000000000000' });
    const texts = [
      inspect(client, { depth: 10, showHidden: true }),
      JSON.stringify(client),
      String(client),
      inspect(pe.cips, { showHidden: true }),
    ];
    await client.cips.create(order(10));
    const err = await bad.cips.create(order(11)).catch((e) => e);
    assert.equal(err.code, 'authentication_error');
    texts.push(inspect(err), JSON.stringify(err), err.stack, String(err));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(records.length > 0, 'debug events arrive');
    texts.push(JSON.stringify(records));
    for (const t of texts) {
      assert.ok(!t.includes(SECRET) && !t.includes('WRONGSECRET'), t);
    }
    assert.ok(records.some((r) => r.level === 'info' && r.fields.operation === 'cips.create'));
  } finally {
    configureLogging('off');
  }
});

test('logging reaches the callback at the chosen level only', async () => {
  const records = [];
  configureLogging({ level: 'warn', logger: (r) => records.push(r) });
  await pe.cips.create(order(12));
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(
    records.filter((r) => r.level === 'info' || r.level === 'debug'),
    [],
  );
  configureLogging({
    level: 'info',
    logger: () => {
      throw new Error('a broken logger must not crash');
    },
  });
  await pe.cips.create(order(13));
  await new Promise((r) => setTimeout(r, 50));
  configureLogging('off');
  assert.throws(() => configureLogging({ level: 'loud' }), ConfigurationError);
});

test('many concurrent calls on one client, and the event loop stays free', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  sandbox.addFault({ endpoint: 'cips_search', kind: 'latency', ms: 200, times: 64 });
  const created = await Promise.all(Array.from({ length: 200 }, (_, i) => pe.cips.create(order(`C${i}`))));
  assert.equal(new Set(created.map((c) => c.cip)).size, 200);
  const start = Date.now();
  const infos = await Promise.all(created.slice(0, 64).map((c) => pe.cips.get(c.cip)));
  clearInterval(timer);
  assert.ok(infos.every((i) => i.status === 'generated'));
  // 64 calls waiting 200 ms each ran concurrently, and timers kept firing meanwhile.
  assert.ok(Date.now() - start < (64 * 200) / 4, `took ${Date.now() - start} ms`);
  assert.ok(ticks > 20, `only ${ticks} timer ticks`);
});

test('errors are PagoEfectivoError with the documented fields', async () => {
  sandbox.addFault({ endpoint: 'cips_search', kind: 'status', status: 503, times: 5 });
  const e = await pe.cips.get(1).catch((x) => x);
  assert.ok(e instanceof PagoEfectivoError);
  assert.equal(e.code, 'api_error');
  assert.equal(e.httpStatus, 503);
  assert.equal(e.retryable, true);
  assert.equal(e.attempts, 3);
  assert.equal(typeof e.requestId, 'string');
  assert.equal(e.name, 'ApiError');
  sandbox.clearFaults();
});
