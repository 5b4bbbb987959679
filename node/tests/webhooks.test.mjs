// Webhooks through the public API: raw body forms, refusals with reasons and hints, deduplication, CJS/ESM identity.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import * as esm from 'pagoefectivo';
import { Deduplicator, SignatureVerificationError, constructEvent, signWebhook, webhooks } from 'pagoefectivo';

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

test('CommonJS and ESM share one module instance', () => {
  const cjs = createRequire(import.meta.url)('pagoefectivo');
  assert.equal(cjs.PagoEfectivo, esm.PagoEfectivo);
  assert.equal(cjs.PagoEfectivoError, esm.PagoEfectivoError);
  assert.equal(createRequire(import.meta.url)('pagoefectivo/testing').Sandbox !== undefined, true);
  assert.match(esm.VERSION, /^\d+\.\d+\.\d+/);
});
