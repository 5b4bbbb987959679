// Calls run on each JS thread's own runtime, driven by libuv (src/event_loop.rs): Workers, timers with no IO, exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';

import { PagoEfectivo } from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

let sandbox;
before(async () => {
  sandbox = await Sandbox.start();
});
after(() => sandbox.stop());

const order = (code) => ({
  currency: 'PEN',
  amount: '25.50',
  transactionCode: code,
  userEmail: 'buyer@example.pe',
  paymentConcept: 'Pedido',
});
const options = () => ({ baseUrl: sandbox.baseUrl, ...sandbox.credentials });

/** A Worker that makes `n` concurrent CIPs and posts their numbers. */
function workerCreating(name, n) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { PagoEfectivo } = require('pagoefectivo');
    const pe = new PagoEfectivo(workerData.options);
    const order = (code) => ({ currency: 'PEN', amount: '25.50', transactionCode: code,
      userEmail: 'buyer@example.pe', paymentConcept: 'Pedido' });
    const calls = Array.from({ length: workerData.n }, (_, i) => pe.cips.create(order(workerData.name + '-' + i)));
    parentPort.postMessage('started');
    Promise.all(calls).then((cips) => parentPort.postMessage(cips.map((c) => String(c.cip))));`;
  return new Worker(source, { eval: true, workerData: { options: options(), n, name } });
}

/** The Worker's CIP numbers (its second message). */
async function answers(w) {
  await once(w, 'message');
  const [cips] = await once(w, 'message');
  return cips;
}

test('calls from Workers and the main thread at once each get their own answer', async () => {
  const pe = new PagoEfectivo(options());
  const workers = [workerCreating('W1', 20), workerCreating('W2', 20)];
  const fromWorkers = workers.map((w) => answers(w));
  const fromMain = await Promise.all(Array.from({ length: 20 }, (_, i) => pe.cips.create(order(`M-${i}`))));
  const all = [...fromMain.map((c) => String(c.cip)), ...(await Promise.all(fromWorkers)).flat()];
  assert.equal(new Set(all).size, 60);
  await Promise.all(workers.map((w) => w.terminate()));
});

test('a Worker terminated while its calls are in flight leaves the main thread working', async () => {
  const w = workerCreating('T', 200);
  await once(w, 'message'); // its 200 calls started
  await w.terminate();
  const pe = new PagoEfectivo(options());
  const cip = await pe.cips.create(order('after-terminate'));
  assert.equal(typeof cip.cip, 'number');
});

test('a request timeout fires when no socket has anything to say', async () => {
  // A sandbox of its own: calls of the Worker above may still reach the shared one (on the multi-thread runtime).
  const own = await Sandbox.start();
  try {
    own.addFault({ endpoint: 'cips_create', kind: 'latency', ms: 3000, times: 1 });
    const pe = own.client({ requestTimeoutMs: 200, maxAttempts: 1 });
    const started = Date.now();
    await assert.rejects(pe.cips.create(order('slow')), (e) => e.code === 'outcome_unknown');
    assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
  } finally {
    await own.stop();
  }
});

/** Runs a script that makes one call and then nothing: the process must end by itself (idle sockets do not hold it). */
async function exitsOnItsOwn(env) {
  const script = `
    const { PagoEfectivo } = require('pagoefectivo');
    const pe = new PagoEfectivo(JSON.parse(process.argv[1]));
    pe.cips.create(${JSON.stringify(order('exit'))}).then((c) => console.log(typeof c.cip));`;
  const child = spawn(process.execPath, ['-e', script, JSON.stringify(options())], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  assert.deepEqual([code, signal, out.trim()], [0, null, 'number']);
}

test('a process whose calls are answered exits on its own', () => exitsOnItsOwn({}));

test('the same on the multi-thread runtime (PAGOEFECTIVO_NODE_THREADS set)', () =>
  exitsOnItsOwn({ PAGOEFECTIVO_NODE_THREADS: '1' }));
