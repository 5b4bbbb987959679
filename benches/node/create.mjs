// CIP creation throughput at 32 concurrent calls: pagoefectivo vs the same calls written with undici and with fetch.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { Pool } from 'undici';
import { PagoEfectivo, time } from 'pagoefectivo';

import { machine } from './bench.mjs';

const CONCURRENCY = 32;
const REQUESTS = Number(process.env.CREATE_REQUESTS ?? 20000);

// The sandbox runs in another process so that it does not share this event loop.
// It keeps tokio's default thread count whatever PAGOEFECTIVO_NODE_THREADS says for this (client) process.
const { PAGOEFECTIVO_NODE_THREADS: clientThreads, ...childEnv } = process.env;
const child = spawn(process.execPath, ['sandbox-server.mjs'], {
  cwd: import.meta.dirname,
  stdio: ['pipe', 'pipe', 'inherit'],
  env: childEnv,
});
const [line] = await once(createInterface({ input: child.stdout }), 'line');
const sb = JSON.parse(line);

function order(i) {
  return {
    currency: 'PEN',
    amount: '25.50',
    transactionCode: `ORD-${i}`,
    userEmail: 'buyer@example.pe',
    paymentConcept: 'Pedido',
  };
}

/** The plain implementation: a token from /authorizations, then POST /cips with it (what a hand-written client does). */
function plainClient(send) {
  let token;
  async function authorize() {
    const dateRequest = time.now();
    const hashString = createHash('sha256')
      .update(`${sb.serviceId}.${sb.accessKey}.${sb.secretKey}.${dateRequest}`)
      .digest('hex');
    const r = await send('authorizations', null, {
      accessKey: sb.accessKey,
      idService: sb.serviceId,
      dateRequest,
      hashString,
    });
    token = r.data.token;
  }
  return async (i) => {
    if (!token) await authorize();
    const o = order(i);
    // The amount as an exact JSON number, built as text.
    const json = JSON.stringify({ ...o, amount: 0, serviceId: sb.serviceId }).replace(
      '"amount":0',
      `"amount":${o.amount}`,
    );
    const r = await send('cips', token, json);
    if (r.code !== 100) throw new Error(`unexpected answer ${JSON.stringify(r)}`);
    return r.data;
  };
}

const url = new URL(sb.baseUrl);
const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1 });
const viaUndici = plainClient(async (path, token, body) => {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await pool.request({
    path: `${url.pathname}${path}`,
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return r.body.json();
});
const viaFetch = plainClient(async (path, token, body) => {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(`${sb.baseUrl}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return r.json();
});
const pe = new PagoEfectivo({
  baseUrl: sb.baseUrl,
  accessKey: sb.accessKey,
  secretKey: sb.secretKey,
  serviceId: sb.serviceId,
});
const viaSdk = (i) => pe.cips.create(order(i));

async function run(create, n) {
  let next = 0;
  const latencies = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await create(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  // CPU of this whole process (the JS thread and, for pagoefectivo, its runtime threads) per creation.
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.floor((latencies.length - 1) * p)].toFixed(2);
  const cpuPerCall = ((used.user + used.system) / n).toFixed(1);
  return { perSecond: Math.round(n / seconds), p50: pct(0.5), p99: pct(0.99), cpuPerCall };
}

console.log(
  `${REQUESTS} creations, ${CONCURRENCY} concurrent; client runtime threads: ${clientThreads ?? 'default'}; ${machine()}`,
);
const results = {};
const only = process.env.CREATE_ONLY; // e.g. `pagoefectivo`, to profile one contender
const contenders = Object.entries({ pagoefectivo: viaSdk, 'undici Pool': viaUndici, fetch: viaFetch });
for (const [name, create] of contenders.filter(([name]) => !only || name === only)) {
  await run(create, 2000); // warm-up: connections, token, JIT
  const r = await run(create, REQUESTS);
  results[name] = r;
  console.log(
    `${name.padEnd(14)} ${String(r.perSecond).padStart(7)} creations/s  p50 ${r.p50} ms  p99 ${r.p99} ms  client CPU ${r.cpuPerCall} µs/call`,
  );
}
if (!only) {
  console.log(
    `pagoefectivo vs undici: ${(results.pagoefectivo.perSecond / results['undici Pool'].perSecond).toFixed(2)}x`,
  );
  console.log(`pagoefectivo vs fetch: ${(results.pagoefectivo.perSecond / results.fetch.perSecond).toFixed(2)}x`);
}
await pool.close();
child.stdin.end();
await once(child, 'exit');
