// The error classes against the core's taxonomy (`error_table()`): every code has its class, nested in its
// family's class as in Python and PHP; a panic in the addon is an InternalError, never a plain Error.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

import * as pkg from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const native = require(join(root, 'pagoefectivo.node'));
const { CODE_CLASSES, FAMILY_CLASSES, wrap, wrapAsync } = require(join(root, 'dist', 'cjs', 'errors.js'));
const table = JSON.parse(native.call('errors.table', 'null'));

test('every code of the core has a class, and no class names a code the core lacks', () => {
  assert.deepEqual(Object.keys(CODE_CLASSES).sort(), table.codes.map((c) => c.code).sort());
  assert.deepEqual(Object.keys(FAMILY_CLASSES).sort(), table.families.map((f) => f.name).sort());
});

test("each class sits in its family's class; a family's own code is the family class", () => {
  for (const { code, family, root: isRoot } of table.codes) {
    const Class = CODE_CLASSES[code];
    const Family = FAMILY_CLASSES[family];
    assert.ok(Class.prototype instanceof pkg.PagoEfectivoError, code);
    if (isRoot) {
      assert.equal(Class, Family, `${code} is the ${family} family's class`);
      assert.equal(Object.getPrototypeOf(Class), pkg.PagoEfectivoError, `${code} extends the base`);
    } else {
      assert.equal(Object.getPrototypeOf(Class), Family, `${code} extends ${Family.name}`);
    }
    assert.equal(pkg[Class.name], Class, `${Class.name} is exported`);
  }
  for (const { name, code } of table.families) {
    const Family = FAMILY_CLASSES[name];
    assert.equal(Object.getPrototypeOf(Family), pkg.PagoEfectivoError, `${name} extends the base`);
    if (code === null) assert.ok(!Object.values(CODE_CLASSES).includes(Family), `${name} has no code of its own`);
    assert.equal(pkg[Family.name], Family, `${Family.name} is exported`);
  }
});

test('the tree reads like the other languages', () => {
  const parent = (C) => Object.getPrototypeOf(C).name;
  assert.deepEqual(
    [
      pkg.NotFoundError,
      pkg.InvalidStateError,
      pkg.AmountAboveMaximumError,
      pkg.MalformedResponseError,
      pkg.TimeoutError,
      pkg.OutcomeUnknownError,
      pkg.IdempotencyConflictError,
    ].map(parent),
    ['ApiError', 'ApiError', 'ApiError', 'ApiError', 'ConnectionError', 'IdempotencyError', 'IdempotencyError'],
  );
  for (const C of [pkg.ApiError, pkg.ConnectionError, pkg.IdempotencyError, pkg.InternalError, pkg.ValidationError]) {
    assert.equal(parent(C), 'PagoEfectivoError');
  }
});

test('errors from the network carry their family', async () => {
  const sandbox = await Sandbox.start();
  try {
    const pe = sandbox.client({ maxAttempts: 1 });
    const e = await pe.cips.get(12345).catch((x) => x);
    assert.ok(e instanceof pkg.NotFoundError && e instanceof pkg.ApiError, `${e}`);
    assert.deepEqual([e.code, e.family, e.name], ['not_found', 'api', 'NotFoundError']);
    sandbox.addFault({ endpoint: 'cips_search', kind: 'drop_before', times: 1 });
    const c = await pe.cips.get(12345).catch((x) => x);
    assert.ok(c instanceof pkg.ConnectionError, `${c}`);
    assert.equal(c.family, 'connection');
  } finally {
    await sandbox.stop();
  }
});

test('a panic in the addon is an InternalError (internal_error), synchronously and in a Promise', async () => {
  assert.equal(typeof native.debugPanic, 'function', 'the debug build exports its panic probe');
  const check = (e) => {
    assert.ok(e instanceof pkg.InternalError, `${e?.name}: ${e?.message}`);
    assert.ok(e instanceof pkg.PagoEfectivoError);
    assert.deepEqual([e.code, e.family, e.retryable], ['internal_error', 'internal', false]);
    assert.match(e.message, /please report it/);
    return true;
  };
  assert.throws(() => wrap(() => native.debugPanic()), check);
  await assert.rejects(
    wrapAsync(() => native.debugPanicAsync()),
    check,
  );
  // The addon stays usable after a panic.
  assert.equal(pkg.statusFromCode(23), 'paid');
});
