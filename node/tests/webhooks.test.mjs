// Webhooks through the public API: raw body forms, refusals with reasons and hints, deduplication, CJS/ESM identity.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import * as esm from 'pagoefectivo';
import { inspect } from 'node:util';

import {
  ConfigurationError,
  Deduplicator,
  PagoEfectivo,
  SignatureVerificationError,
  ValidationError,
  constructEvent,
  signWebhook,
  webhooks,
} from 'pagoefectivo';

const BODY =
  '{"eventType":"cip.paid","operationNumber":"1253","data":{"cip":"11546901","currency":"PEN","amount":22.05}}';
const SIG = 'fcc07a2aa17273c870c820a32ca3ca628961c7f28e4d7ce8e0c8d9a7c26603a9';

test('the spec example verifies from a Buffer, a Uint8Array and a string', () => {
  for (const body of [Buffer.from(BODY), new TextEncoder().encode(BODY), BODY]) {
    const e = constructEvent(body, SIG, 'test_secret');
    assert.deepEqual(
      {
        type: e.type,
        eventType: e.eventType,
        cip: e.cip,
        amount: e.amount,
        currency: e.currency,
        operationNumber: e.operationNumber,
        dedupKey: e.dedupKey,
      },
      {
        type: 'cip_paid',
        eventType: 'cip.paid',
        cip: 11546901,
        amount: '22.05',
        currency: 'PEN',
        operationNumber: '1253',
        dedupKey: 'cip.paid:1253:11546901',
      },
    );
  }
  assert.equal(constructEvent(BODY, [` ${SIG.toUpperCase()} `], 'test_secret').cip, 11546901);
  assert.equal(signWebhook(BODY, 'test_secret'), SIG);
  assert.equal(webhooks.SIGNATURE_HEADER, 'PE-Signature');
});

test('a parsed body is refused with how to get the raw body in Express and Next.js', () => {
  for (const body of [JSON.parse(BODY), undefined, null, 42]) {
    assert.throws(
      () => constructEvent(body, SIG, 'test_secret'),
      (e) => {
        assert.ok(e instanceof SignatureVerificationError);
        assert.equal(e.reason, 'malformed_body');
        assert.match(e.message, /express\.raw/);
        assert.match(e.message, /Next\.js/);
        return true;
      },
    );
  }
});

test('refusals carry their reason, and hints for the usual mistakes', () => {
  const reason = (f) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof SignatureVerificationError);
      return [e.reason, e.hint];
    }
    assert.fail('accepted');
  };
  assert.equal(reason(() => constructEvent(BODY, undefined, 'test_secret'))[0], 'missing_signature');
  assert.equal(reason(() => constructEvent(BODY, 'abc', 'test_secret'))[0], 'malformed_signature');
  const [r1, h1] = reason(() => constructEvent(BODY, SIG, 'test_secret\n'));
  assert.equal(r1, 'signature_mismatch');
  assert.match(h1, /whitespace/);
  const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
  assert.match(reason(() => constructEvent(pretty, SIG, 'test_secret'))[1], /re-formatted/);
  const garbage = 'not json';
  assert.equal(reason(() => constructEvent(garbage, signWebhook(garbage, 'k'), 'k'))[0], 'malformed_body');
});

test('other event types are kept with their body', () => {
  const body = '{"eventType":"cip.expired","operationNumber":"9","data":{"cip":"77"}}';
  const e = constructEvent(body, signWebhook(body, 'k'), 'k');
  assert.equal(e.type, 'other');
  assert.equal(e.eventType, 'cip.expired');
  assert.equal(e.cip, 77);
  assert.deepEqual(e.body, JSON.parse(body));
});

test('deduplication: a redelivery is recognised until forgotten; custom async stores work', async () => {
  const event = constructEvent(BODY, SIG, 'test_secret');
  const d = new Deduplicator();
  assert.equal(await d.firstDelivery(event), true);
  assert.equal(await d.firstDelivery(constructEvent(Buffer.from(BODY), SIG, 'test_secret')), false);
  await d.forget(event);
  assert.equal(await d.firstDelivery(event), true);

  const seen = new Map();
  const store = {
    async claim(key, ttlMs) {
      if (seen.has(key)) return false;
      seen.set(key, ttlMs);
      return true;
    },
    async release(key) {
      seen.delete(key);
    },
  };
  const shared = new Deduplicator({ store, ttlMs: 1000 });
  assert.equal(await shared.firstDelivery(event), true);
  assert.equal(await shared.firstDelivery(event), false);
  assert.equal(seen.get(event.dedupKey), 1000);
  const short = new Deduplicator({ ttlMs: 0 });
  assert.equal(await short.firstDelivery(event), true);
  assert.equal(await short.firstDelivery(event), true);
});

const signed = (body, secret = 'test_secret') => constructEvent(body, signWebhook(body, secret), secret);

test('the lease contract in memory: started, in progress, conflict, fail, complete, duplicate', async () => {
  const d = new Deduplicator({ leaseMs: 60_000 });
  const event = constructEvent(BODY, SIG, 'test_secret');
  assert.equal(await d.begin(event), 'started');
  // Another delivery of the same bytes (its own event object) while the first is processed.
  assert.equal(await d.begin(constructEvent(Buffer.from(BODY), SIG, 'test_secret')), 'in_progress');
  // The same key (eventType, operationNumber, cip) with another amount: changed or forged.
  const changed = signed(BODY.replace('22.05', '99.05'));
  assert.equal(changed.dedupKey, event.dedupKey);
  assert.equal(await d.begin(changed), 'conflict');
  await d.fail(event);
  assert.equal(await d.begin(event), 'started', 'fail lets the redelivery in');
  assert.equal(await d.complete(event), undefined);
  assert.equal(await d.begin(event), 'duplicate');
  await d.fail(event);
  assert.equal(await d.begin(event), 'duplicate', 'fail does not undo a completed delivery');
  await assert.rejects(
    d.firstDelivery(changed),
    (e) => e instanceof SignatureVerificationError && e.reason === 'payload_conflict',
  );
  // memory: by URL is the same store kind; each deduplicator has its own.
  const other = Deduplicator.fromUrl('memory:', { leaseMs: 20 });
  assert.equal(await other.begin(event), 'started');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(await other.begin(event), 'started', 'an expired lease lets the next delivery in');
});

test('events verified by a client deduplicate too, from their raw body, whatever its form', async () => {
  const secretKey = 'SECRETKEY0000000000000000000000000000000';
  const pe = new PagoEfectivo({
    baseUrl: 'http://127.0.0.1:9/v1/',
    accessKey: 'ACCESSKEY00000000000',
    secretKey,
    serviceId: 1,
  });
  const d = new Deduplicator();
  const bytes = Buffer.from(BODY);
  const event = pe.webhooks.constructEvent(bytes, signWebhook(bytes, secretKey));
  // The caller reusing its buffer changes nothing: the deduplicator reads the bytes that were verified.
  bytes.fill(0x20);
  assert.equal(await d.begin(event), 'started');
  await d.complete(event);
  for (const body of [BODY, new TextEncoder().encode(BODY)]) {
    assert.equal(await d.begin(pe.webhooks.constructEvent(body, signWebhook(BODY, secretKey))), 'duplicate');
  }
});

test('the event keeps its shape; a copy of it, or an object of your own, is refused by name', async () => {
  const event = constructEvent(BODY, SIG, 'test_secret');
  assert.deepEqual(Object.keys(event), Object.keys(JSON.parse(JSON.stringify(event))));
  assert.doesNotMatch(inspect(event, { showHidden: true }), /Buffer|<Buffer/);
  // The raw body is kept out of sight: no key, no symbol, not printed, not compared.
  assert.deepEqual(Object.getOwnPropertySymbols(event), []);
  assert.doesNotMatch(inspect(event, { showHidden: true }), /"eventType"/);
  assert.deepStrictEqual(event, JSON.parse(JSON.stringify(event)));
  const d = new Deduplicator();
  for (const notVerified of [
    { ...event },
    structuredClone(event),
    JSON.parse(JSON.stringify(event)),
    null,
    'cip.paid:1253:11546901',
  ]) {
    for (const op of ['begin', 'complete', 'fail', 'firstDelivery', 'forget']) {
      await assert.rejects(d[op](notVerified), (e) => {
        assert.ok(e instanceof ValidationError, `${op}: ${e}`);
        assert.deepEqual(
          e.fieldErrors.map((f) => f.field),
          ['event'],
        );
        assert.match(e.message, /constructEvent/);
        return true;
      });
    }
  }
});

test('options are read by the core: a misspelt or bad one is named, an unknown store refused', () => {
  const fields = (f) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ValidationError, String(e));
      return e.fieldErrors.map((x) => x.field);
    }
    assert.fail('accepted');
  };
  assert.deepEqual(
    fields(() => new Deduplicator({ ttl: 1000 })),
    ['ttl'],
  );
  assert.deepEqual(
    fields(() => new Deduplicator({ leaseMs: -1 })),
    ['leaseMs'],
  );
  assert.deepEqual(
    fields(() => new Deduplicator({ ttlMs: 1.5 })),
    ['ttlMs'],
  );
  assert.deepEqual(
    fields(() => new Deduplicator({ url: 5 })),
    ['url'],
  );
  assert.deepEqual(
    fields(() => new Deduplicator([1])),
    ['options'],
  );
  assert.deepEqual(
    fields(() => Deduplicator.fromUrl('memory:', { lease: 5 })),
    ['lease'],
  );
  // A store of your own: the other options are still the core's to read.
  const store = { claim: () => true, release: () => {} };
  assert.deepEqual(
    fields(() => new Deduplicator({ store, ttlMs: -5 })),
    ['ttlMs'],
  );
  assert.deepEqual(
    fields(() => new Deduplicator({ store, url: 'memory:' })),
    ['store'],
  );
  assert.throws(() => Deduplicator.fromUrl('mysql://127.0.0.1/shop'), ConfigurationError);
  assert.throws(() => Deduplicator.fromUrl(''), ConfigurationError);
  // No URL at all (an unset environment variable) is not quietly a store of one process.
  assert.deepEqual(
    fields(() => Deduplicator.fromUrl(undefined)),
    ['url'],
  );
  assert.equal(new Deduplicator(undefined).store, null);
  assert.equal(new Deduplicator(null).store, null);
});

test('a claim store of your own: begin is a claim, fail a release; what it throws reaches you unchanged', async () => {
  const seen = new Set();
  const store = {
    claim: (key) => !seen.has(key) && Boolean(seen.add(key)),
    release: async (key) => void seen.delete(key),
  };
  const d = new Deduplicator({ store });
  const event = constructEvent(BODY, SIG, 'test_secret');
  assert.equal(await d.begin(event), 'started');
  assert.equal(await d.begin(event), 'duplicate');
  await d.fail(event);
  assert.equal(await d.begin(event), 'started');
  await d.complete(event);
  assert.equal(await d.begin(event), 'duplicate');
  const boom = new Error('database down');
  const failing = new Deduplicator({
    store: {
      claim: async () => Promise.reject(boom),
      release: () => {
        throw boom;
      },
    },
  });
  await assert.rejects(failing.begin(event), (e) => e === boom);
  await assert.rejects(failing.forget(event), (e) => e === boom);
});

test('CommonJS and ESM share one module instance', () => {
  const cjs = createRequire(import.meta.url)('pagoefectivo');
  assert.equal(cjs.PagoEfectivo, esm.PagoEfectivo);
  assert.equal(cjs.PagoEfectivoError, esm.PagoEfectivoError);
  assert.equal(createRequire(import.meta.url)('pagoefectivo/testing').Sandbox !== undefined, true);
  assert.match(esm.VERSION, /^\d+\.\d+\.\d+/);
});
