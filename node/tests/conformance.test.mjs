// Runs every case of every tests/conformance/*.json file (typed markers as native JS values) and the vectors
// of tests/vectors/ through the public package API.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  Calendar,
  Deduplicator,
  PagoEfectivo,
  PagoEfectivoError,
  constructEvent,
  hashString,
  reconcileRecords,
  signWebhook,
  statusFromCode,
  time,
  validateCci,
} from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

const repo = join(import.meta.dirname, '..', '..');
const load = (dir, file) => JSON.parse(readFileSync(join(repo, 'tests', dir, file), 'utf8'));

// Offline cases only need a client to reach `cips.validate`; it never sends a request.
const offlineClient = new PagoEfectivo({
  baseUrl: 'http://127.0.0.1:9/v1/',
  accessKey: 'ACCESSKEY00000000000',
  secretKey: 'SECRETKEY0000000000000000000000000000000',
  serviceId: 1234,
});

function errorJson(e) {
  if (!(e instanceof PagoEfectivoError)) throw e;
  const fields = [...new Set(e.fieldErrors.map((f) => f.field))].sort();
  return {
    code: e.code,
    reason: e.reason,
    http_status: e.httpStatus,
    pe_code: e.peCode,
    retryable: e.retryable,
    fields,
    attempts: e.attempts,
  };
}

async function outcome(f) {
  try {
    const v = await f();
    return { ok: v === undefined ? null : v };
  } catch (e) {
    return { error: errorJson(e) };
  }
}

/** Partial match, as the conformance README defines it. */
function check(want, got, path) {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (got === null || typeof got !== 'object' || Array.isArray(got))
      return `${path}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
    for (const [k, w] of Object.entries(want)) {
      const problem = check(w, got[k] ?? null, `${path}.${k}`);
      if (problem) return problem;
    }
    return null;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length)
      return `${path}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
    for (let i = 0; i < want.length; i++) {
      const problem = check(want[i], got[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  return want === got ? null : `${path}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
}

function checkOutcome(expect, got) {
  if ('ok' in expect && 'ok' in got) return check(expect.ok, got.ok, 'ok');
  if ('error' in expect && 'error' in got) return check(expect.error, got.error, 'error');
  if (!('ok' in expect) && !('error' in expect)) return null;
  return `want ${JSON.stringify(expect)}, got ${JSON.stringify(got)}`;
}

// Money positions of the cases' inputs (requests and reconciliation records).
const MONEY = new Set(['amount', 'refundedAmount']);

/**
 * A case's input as native JS values: the typed markers of the README ("$float" a number, "$decimal"
 * and "$naive" the string, "$aware" a Date, "$surrogate" a string with a lone surrogate, "$int" a
 * number if safe, else a BigInt). One deviation, JS having no integer number type: where money goes
 * an exact integer ("$int", or a plain JSON integer such as `"amount": 10`) is a BigInt, because this
 * SDK reads every JS `number` there as the binary float it is (refused, like every language's float).
 */
function native(v, key = '') {
  if (Array.isArray(v)) return v.map((x) => native(x));
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0].startsWith('$')) {
      const text = v[keys[0]];
      switch (keys[0]) {
        case '$float':
          return Number(text);
        case '$decimal':
        case '$naive':
          return text;
        case '$aware':
          return new Date(text);
        case '$surrogate':
          return '\uD800' + text;
        case '$int': {
          const n = BigInt(text);
          return !MONEY.has(key) && Number.isSafeInteger(Number(n)) ? Number(n) : n;
        }
        default:
          throw new Error(`unknown marker ${keys[0]}`);
      }
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, native(x, k)]));
  }
  if (typeof v === 'number' && MONEY.has(key) && Number.isInteger(v)) return BigInt(v);
  return v;
}

/**
 * `dedup.sequence`: one deduplicator from `options` (the core reads them: refused options fail the
 * case), each step's body signed and verified with `constructEvent` and driven through the public
 * methods; a step that throws answers `{error}`.
 */
async function dedupSequence(input) {
  const d = new Deduplicator(input.options);
  const methods = {
    begin: (e) => d.begin(e),
    complete: (e) => d.complete(e),
    fail: (e) => d.fail(e),
    first_delivery: (e) => d.firstDelivery(e),
    forget: (e) => d.forget(e),
  };
  const out = [];
  for (const step of input.steps) {
    if (step.op === 'sleep') {
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      continue;
    }
    const method = methods[step.op];
    if (!method) throw new Error(`unknown dedup step ${step.op}`);
    const got = await outcome(() =>
      method(constructEvent(step.body, signWebhook(step.body, DEDUP_SECRET), DEDUP_SECRET)),
    );
    out.push('ok' in got ? got.ok : { error: got.error });
  }
  return out;
}

const DEDUP_SECRET = 'conformance_dedup_secret';

function runOffline(op, input) {
  switch (op) {
    case 'dedup.sequence':
      return outcome(() => dedupSequence(input));
    case 'auth.hash_string':
      return outcome(() => hashString(input.idService, input.accessKey, input.secretKey, input.dateRequest));
    case 'webhook.verify':
      return outcome(() => constructEvent(input.body, input.signature ?? null, input.secret));
    case 'time.parse':
      return outcome(() => time.format(input));
    case 'cip.status':
      return outcome(() => statusFromCode(input));
    case 'cip.validate_create':
      return outcome(() => offlineClient.cips.validate(input));
    case 'refund.validate':
      return outcome(() => offlineClient.refunds.validate(input));
    case 'payee.cci':
      return outcome(() => validateCci(input));
    case 'reconcile.run':
      return outcome(() => reconcileRecords(input));
    case 'reconcile.business_days':
      return outcome(() => {
        const calendar = Calendar.peru();
        return {
          due: calendar.addBusinessDays(input.date, input.days),
          isBusinessDay: calendar.isBusinessDay(input.date),
        };
      });
    case 'config.from_env':
      return outcome(() => {
        const c = PagoEfectivo.fromEnv(input).config;
        return {
          baseUrl: c.baseUrl,
          idService: c.idService,
          requestTimeoutMs: c.requestTimeoutMs,
          maxAttempts: c.maxAttempts,
        };
      });
    default:
      throw new Error(`unknown op ${op}`);
  }
}

function resolve(v, saved) {
  if (typeof v === 'string' && v.startsWith('$now+') && v.endsWith('h')) {
    return time.format(new Date(Date.now() + Number(v.slice(5, -1)) * 3600_000));
  }
  if (typeof v === 'string' && v.startsWith('$')) {
    const [name, field] = v.slice(1).split('.');
    return saved[name][field];
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, saved));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, saved)]));
  return v;
}

async function runStep(client, sandbox, step, args) {
  const cips = client.cips;
  switch (step) {
    case 'cips.create':
      return outcome(() => cips.create(args));
    case 'cips.get':
      return outcome(() => cips.get(args.cip));
    case 'cips.search':
      return outcome(() => cips.search(args.cips));
    case 'cips.extend':
      return outcome(() => cips.extend(args.cip, args.dateExpiry));
    case 'cips.delete':
      return outcome(() => cips.delete(args.cip));
    case 'cips.wait_for_final_status':
      return outcome(() =>
        cips.waitForFinalStatus(args.cip, { timeoutMs: args.timeoutMs, initialIntervalMs: 20, maxIntervalMs: 200 }),
      );
    case 'refunds.create':
      return outcome(() => client.refunds.create(args));
    case 'refunds.get':
      return outcome(() => client.refunds.get(args.refundId));
    case 'refunds.list':
      return outcome(() => client.refunds.list(args.cip));
    case 'refunds.eligibility':
      return outcome(() => client.refunds.eligibility(args.cip, { refundWindowDays: args.refundWindowDays }));
    case 'refunds.wait_for_final_status':
      return outcome(() =>
        client.refunds.waitForFinalStatus(args.refundId, {
          timeoutMs: args.timeoutMs,
          initialIntervalMs: 20,
          maxIntervalMs: 200,
        }),
      );
    case 'sandbox.refund':
      return outcome(() => void sandbox.advanceRefund(args.refundId, args.to, args.reasonCode));
    case 'sandbox.refund_count':
      return { ok: sandbox.refunds().length };
    case 'sandbox.pay':
      return outcome(() => {
        const p = sandbox.pay(args.cip);
        return { cip: p.cip, operationNumber: p.operationNumber };
      });
    case 'sandbox.expire':
      return outcome(() => sandbox.expire(args.cip));
    case 'sandbox.advance_clock':
      sandbox.advanceClock(args.seconds);
      return { ok: null };
    case 'sandbox.fault':
      sandbox.addFault(args);
      return { ok: null };
    case 'sandbox.request_count':
      return { ok: sandbox.requestCount(args.endpoint) };
    case 'sandbox.deliveries':
      return { ok: await sandbox.waitForDeliveries(args.count, { timeoutMs: 5000 }) };
    case 'webhook.verify_delivery': {
      const d = sandbox.deliveries()[args.index];
      return outcome(() => constructEvent(d.body, d.signature, sandbox.credentials.secretKey));
    }
    default:
      throw new Error(`unknown scenario step ${step}`);
  }
}

async function runScenario(input) {
  const sandbox = await Sandbox.start(input.sandbox ?? {});
  try {
    // Short back-offs, as core/tests/common/mod.rs, so fault scenarios stay fast.
    const client = sandbox.client({
      requestTimeoutMs: input.client?.requestTimeoutMs ?? 5000,
      totalTimeoutMs: 15000,
      retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 },
      maxAttempts: input.client?.maxAttempts,
      ...(input.client?.secretKey ? { secretKey: input.client.secretKey } : {}),
    });
    const saved = {};
    for (const [i, step] of input.steps.entries()) {
      const args = native(resolve(step.args ?? null, saved));
      const got = await runStep(client, sandbox, step.do, args);
      let expect = resolve(step.expect ?? {}, saved);
      // A step without expectations must still succeed.
      if (Object.keys(expect).length === 0 && 'error' in got) expect = { ok: '(success)' };
      const problem = checkOutcome(expect, got);
      assert.equal(problem, null, `step ${i} ${step.do}: ${problem}`);
      if (step.save && 'ok' in got) saved[step.save] = got.ok;
    }
  } finally {
    await sandbox.stop();
  }
}

const files = readdirSync(join(repo, 'tests', 'conformance'))
  .filter((f) => f.endsWith('.json'))
  .sort();
let cases = 0;
for (const file of files) {
  for (const c of load('conformance', file).cases) {
    cases++;
    test(`${file}: ${c.name}`, async () => {
      if (c.op === 'scenario') {
        await runScenario(c.input);
      } else {
        const problem = checkOutcome(c.expect, await runOffline(c.op, native(c.input)));
        assert.equal(problem, null, problem ?? '');
      }
    });
  }
}

test('every conformance file was read, boundary, fidelity and hostile included', () => {
  assert.ok(cases >= 232, `only ${cases} cases`);
  for (const f of ['boundary.json', 'dedup.json', 'fidelity.json', 'hostile.json', 'reconcile.json', 'refunds.json']) {
    assert.ok(files.includes(f), f);
  }
});

test('vectors: hashString', () => {
  const vectors = load('vectors', 'auth-hashstring.json').vectors;
  assert.ok(vectors.length >= 9);
  for (const v of vectors) {
    assert.equal(hashString(v.idService, v.accessKey, v.secretKey, v.dateRequest), v.hashString, v.name);
  }
});

test('vectors: webhook signatures', () => {
  const vectors = load('vectors', 'webhook-signature.json').vectors;
  assert.ok(vectors.length >= 19);
  for (const v of vectors) {
    const body = Buffer.from(v.body, 'utf8');
    if (v.valid) {
      const event = constructEvent(body, v.signature, v.secret);
      const parsed = JSON.parse(v.body);
      assert.equal(event.eventType, parsed.eventType, v.name);
      assert.equal(String(event.cip), parsed.data.cip, v.name);
      if (v.signature.trim() === v.signature && v.signature === v.signature.toLowerCase()) {
        assert.equal(signWebhook(body, v.secret), v.signature, v.name);
      }
    } else {
      assert.throws(
        () => constructEvent(body, v.signature ?? null, v.secret),
        (e) => {
          assert.equal(e.code, 'signature_verification_failed', v.name);
          assert.equal(e.reason, v.reason ?? null, v.name);
          return true;
        },
      );
    }
  }
});
