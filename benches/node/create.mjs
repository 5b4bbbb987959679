// CIP creation at 1 and 32 concurrent calls: pagoefectivo vs the same calls written with a tuned undici Pool and with fetch.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { Pool } from 'undici';
import { PagoEfectivo, time } from 'pagoefectivo';

import { machine, median, min, ratioLine } from './bench.mjs';

const CONCURRENCY = 32; // the Pool's connections: the most concurrent calls measured
const REQUESTS = Number(process.env.CREATE_REQUESTS ?? 10000);

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

async function run(create, n, concurrency) {
  let next = 0;
  const latencies = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
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
  const pct = (p) => latencies[Math.floor((latencies.length - 1) * p)];
  return { perSecond: n / seconds, p50: pct(0.5), p99: pct(0.99), cpuPerCall: (used.user + used.system) / n };
}

const levels = (process.env.CREATE_CONCURRENCY ?? '1,32').split(',').map(Number);
const rounds = Number(process.env.CREATE_ROUNDS ?? 5);
/** Creations per measured run at a concurrency: fewer one at a time (each waits for its answer). */
const requestsAt = (c) => (c === 1 ? Math.max(1, Math.round(REQUESTS / 4)) : REQUESTS);
console.log(
  `creation: concurrency ${levels.join(' and ')}, ${rounds} interleaved rounds of ${levels.map(requestsAt).join('/')} creations; client runtime threads: ${clientThreads ?? 'default'}; ${machine()}`,
);
const only = process.env.CREATE_ONLY; // e.g. `pagoefectivo`, to profile one contender
const withFetch = process.env.CREATE_FETCH !== '0';
const contenders = Object.entries({
  pagoefectivo: viaSdk,
  'undici Pool': viaUndici,
  ...(withFetch ? { fetch: viaFetch } : {}),
}).filter(([name]) => !only || name === only);
for (const [, create] of contenders) await run(create, 2000, 32); // warm-up: connections, token, JIT
const results = {}; // results[c][name] = [run, ...]
for (let r = 0; r < rounds; r++) {
  for (const c of levels) {
    results[c] ??= {};
    for (let k = 0; k < contenders.length; k++) {
      const [name, create] = contenders[(r + k) % contenders.length];
      // fetch only where it is compared (32 concurrent): one at a time it only lengthens the run.
      if (name === 'fetch' && c === 1) continue;
      (results[c][name] ??= []).push(await run(create, requestsAt(c), c));
    }
  }
}
const lines = [];
for (const c of levels) {
  console.log(`-- ${c} concurrent (min / median of ${rounds} runs)`);
  for (const [name, runs] of Object.entries(results[c])) {
    const f = (key, digits) =>
      `${min(runs.map((x) => x[key])).toFixed(digits)} / ${median(runs.map((x) => x[key])).toFixed(digits)}`;
    console.log(
      `${name.padEnd(14)} ${f('perSecond', 0).padStart(15)} creations/s  p50 ${f('p50', 2)} ms  p99 ${f('p99', 2)} ms  client CPU ${f('cpuPerCall', 1)} µs/call`,
    );
  }
  const sdk = results[c].pagoefectivo;
  const undici = results[c]['undici Pool'];
  if (sdk && undici) {
    const per = (key) => sdk.map((x, i) => x[key] / undici[i][key]);
    lines.push(ratioLine(`node.create.c${c}.throughput_vs_undici`, per('perSecond'), '>=1.00'));
    lines.push(ratioLine(`node.create.c${c}.cpu_per_call_vs_undici`, per('cpuPerCall'), '<=1.00'));
  }
  if (sdk && results[c].fetch) {
    const f = results[c].fetch;
    lines.push(
      ratioLine(
        `node.create.c${c}.throughput_vs_fetch`,
        sdk.map((x, i) => x.perSecond / f[i].perSecond),
        '>=2.00',
      ),
    );
  }
}
console.log('ratios per round (pagoefectivo / undici or fetch, same round):');
for (const l of lines) console.log(l);
await pool.close();
child.stdin.end();
await once(child, 'exit');
