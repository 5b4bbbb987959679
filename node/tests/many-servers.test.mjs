// Many servers: one deduplication store (PostgreSQL, Redis) shared by several Node processes, through the
// public API. The servers are PAGOEFECTIVO_TEST_POSTGRES_URL / PAGOEFECTIVO_TEST_REDIS_URL (scripts/test-node.sh
// starts them when absent); without them these tests are skipped, except under CI, where they must be there.
// What each worker processed is counted from its own file, never from the store under test.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

import { ConnectionError, Deduplicator, configureLogging } from 'pagoefectivo';

import { event } from './many-servers.worker.mjs';

const WORKER = join(import.meta.dirname, 'many-servers.worker.mjs');
const STORES = [
  ['PostgreSQL', process.env.PAGOEFECTIVO_TEST_POSTGRES_URL],
  ['Redis', process.env.PAGOEFECTIVO_TEST_REDIS_URL],
];
const missing = STORES.filter(([, url]) => !url).map(([name]) => name);

const runId = () => `${process.pid}${Math.floor(Math.random() * 2 ** 32).toString(16)}`;

function worker(role, env) {
  return fork(WORKER, [role], { env: { ...process.env, ...env }, execArgv: [], stdio: 'inherit' });
}

/** Resolves with the child's exit code (or signal) and the messages it sent. */
async function finished(child) {
  const messages = [];
  child.on('message', (m) => messages.push(m));
  const [code, signal] = await once(child, 'exit');
  return { code, signal, messages };
}

test('the store servers are there under CI', () => {
  if (process.env.CI) assert.deepEqual(missing, [], 'CI must run the many-servers tests against PostgreSQL and Redis');
});

for (const [name, url] of STORES) {
  const variable = `PAGOEFECTIVO_TEST_${name === 'Redis' ? 'REDIS' : 'POSTGRES'}_URL`;
  // Under CI a missing server fails each test (below), never skips it.
  const skip = url || process.env.CI ? false : `${name}: ${variable} is not set`;
  const needServer = () => assert.ok(url, `${variable} is not set`);

  test(
    `${name}: 4 processes, 1,000 concurrent deliveries each of the same 100 events: each processed exactly once`,
    { skip },
    async () => {
      needServer();
      const run = runId();
      const dir = mkdtempSync(join(tmpdir(), 'pe-node-dedup-'));
      try {
        const outs = [0, 1, 2, 3].map((i) => join(dir, `worker-${i}.txt`));
        const results = await Promise.all(
          outs.map((out) => finished(worker('deliveries', { STORE_URL: url, STORE_RUN: run, STORE_OUT: out }))),
        );
        for (const r of results) assert.equal(r.code, 0, `${name}: a worker failed (${r.signal ?? r.code})`);
        const processed = outs.flatMap((out) => readFileSync(out, 'utf8').split('\n').filter(Boolean));
        const expected = Array.from({ length: 100 }, (_, n) => event(run, n).dedupKey).sort();
        assert.equal(processed.length, 100, `${name}: ${processed.length} processings for 100 events`);
        assert.deepEqual([...processed].sort(), expected, `${name}: each event exactly once`);
        // What the store answered the other 3,900 deliveries: never a conflict, never a second start.
        const answers = {};
        for (const r of results) {
          for (const [k, v] of Object.entries(r.messages[0].answers)) answers[k] = (answers[k] ?? 0) + v;
        }
        assert.equal(answers.started, 100, JSON.stringify(answers));
        assert.equal((answers.duplicate ?? 0) + (answers.in_progress ?? 0), 3900, JSON.stringify(answers));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test(
    `${name}: a worker killed mid-processing leaves its event to the next once its lease expires`,
    { skip },
    async () => {
      needServer();
      const run = runId();
      const leaseMs = 1500;
      const held = worker('hold', { STORE_URL: url, STORE_RUN: run, STORE_LEASE_MS: String(leaseMs) });
      const done = finished(held);
      const [answer] = await once(held, 'message');
      assert.equal(answer, 'started', `${name}: the worker took the lease`);
      const killedAt = Date.now();
      held.kill('SIGKILL');
      assert.equal((await done).signal, 'SIGKILL');

      const d = Deduplicator.fromUrl(url);
      const e = event(run, 0, '5.00');
      assert.equal(await d.begin(e), 'in_progress', `${name}: the dead worker's lease still runs`);
      await sleep(Math.max(0, killedAt + leaseMs + 300 - Date.now()));
      assert.equal(await d.begin(e), 'started', `${name}: after the lease, the next delivery takes the event`);
      await d.complete(e);
      assert.equal(await d.begin(e), 'duplicate', `${name}: and it is done once`);
    },
  );

  test(`${name}: a store that goes away is a typed error, and nothing is marked done`, { skip }, async () => {
    needServer();
    const run = runId();
    const relay = await tcpRelay(new URL(url));
    const through = new URL(url);
    through.port = String(relay.port);
    // A password in the URL (PostgreSQL's test server trusts loopback, so it is sent and ignored).
    if (name === 'PostgreSQL') through.password = 'relay-s3cr3t-pw';
    const logs = captureLogs();
    try {
      const d = Deduplicator.fromUrl(through.href, { leaseMs: 800 });
      const e = event(run, 0, '7.00');
      assert.equal(await d.begin(e), 'started');
      await relay.close(); // the store server is gone: the port is closed, the connections cut
      await sleep(100);
      const startedAt = Date.now();
      for (const op of [() => d.complete(e), () => d.begin(e)]) {
        const err = await op().then(
          () => assert.fail(`${name}: an operation succeeded without its store`),
          (x) => x,
        );
        assert.ok(err instanceof ConnectionError, `${name}: ${err}`);
        assert.equal(err.code, 'connection_error');
        assert.equal(err.reason, 'store_unavailable');
        assert.equal(err.retryable, true);
        assert.match(err.hint, /non-200/);
        assertNoSecret(err, 'relay-s3cr3t-pw');
      }
      assertNoSecret(d, 'relay-s3cr3t-pw');
      // Not marked done: once the lease runs out, a redelivery is processed (through the server itself).
      await sleep(Math.max(0, startedAt + 900 - Date.now()));
      const direct = Deduplicator.fromUrl(url);
      assert.equal(await direct.begin(e), 'started', `${name}: the event was not marked done`);
      await direct.complete(e);
      await sleep(50);
      assert.doesNotMatch(JSON.stringify(logs.records), /relay-s3cr3t-pw/);
    } finally {
      logs.stop();
      await relay.close();
    }
  });
}

test('a store on a closed port is a ConnectionError; the password in its URL appears nowhere', async () => {
  const port = await closedPort();
  const logs = captureLogs();
  try {
    for (const url of [
      `postgres://shop:pg-s3cr3t-pw@127.0.0.1:${port}/shop`,
      `redis://:redis-s3cr3t-pw@127.0.0.1:${port}/0`,
    ]) {
      const d = Deduplicator.fromUrl(url, { leaseMs: 1000 });
      assertNoSecret(d, 's3cr3t');
      const e = event(runId(), 0);
      for (const op of [() => d.begin(e), () => d.firstDelivery(e), () => d.complete(e), () => d.fail(e)]) {
        const err = await op().then(
          () => assert.fail(`${url.split(':')[0]}: an operation succeeded without its store`),
          (x) => x,
        );
        assert.ok(err instanceof ConnectionError, String(err));
        assert.equal(err.reason, 'store_unavailable');
        assertNoSecret(err, 's3cr3t');
      }
    }
    // A URL the core cannot read is a ConfigurationError that does not quote it either.
    for (const url of [
      'postgres://shop:pg-s3cr3t-pw@127.0.0.1:notaport/shop',
      'mysql://shop:my-s3cr3t-pw@127.0.0.1/shop',
    ]) {
      assert.throws(
        () => Deduplicator.fromUrl(url),
        (err) => {
          assert.equal(err.code, 'configuration_error', String(err));
          assertNoSecret(err, 's3cr3t');
          return true;
        },
      );
    }
    await sleep(50);
    assert.doesNotMatch(JSON.stringify(logs.records), /s3cr3t/);
  } finally {
    logs.stop();
  }
});

test('a store that does not answer keeps the event loop running: every operation is a Promise', async () => {
  for (const [scheme, db] of [
    ['postgres://shop@', 'shop'],
    ['redis://', '0'],
  ]) {
    const sockets = new Set();
    const silent = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `${scheme}127.0.0.1:${silent.address().port}/${db}`;
    try {
      const pending = Deduplicator.fromUrl(url).begin(event(runId(), 0));
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      await sleep(200);
      clearInterval(timer);
      assert.ok(ticks >= 5, `${url}: the event loop ran ${ticks} timers while the store was silent`);
      assert.equal(sockets.size > 0, true, `${url}: the store was reached`);
      // The server goes away: the pending operation fails, typed.
      silent.close();
      for (const s of sockets) s.destroy();
      await assert.rejects(pending, ConnectionError);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  }
});

/** Fails if `value`'s message, stack, `util.inspect` or JSON holds `secret`. */
function assertNoSecret(value, secret) {
  const texts = [inspect(value, { showHidden: true, depth: 5 }), JSON.stringify(value), String(value)];
  if (value instanceof Error) texts.push(value.message, value.stack ?? '', String(value.hint));
  for (const t of texts) assert.ok(!t.includes(secret), `"${secret}" in ${t}`);
}

/** Every log record of the SDK, at the most detailed level, until `stop()`. */
function captureLogs() {
  const records = [];
  configureLogging({ level: 'trace', logger: (r) => records.push(r) });
  return { records, stop: () => configureLogging('off') };
}

/** A port nothing listens on. */
async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** A TCP relay to the server of `url`, which `close()` shuts: its port closed and its connections cut. */
async function tcpRelay(url) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(url.port), url.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closed = null;
  return {
    port: server.address().port,
    close() {
      closed ??= new Promise((resolve) => {
        server.close(() => resolve(undefined));
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
