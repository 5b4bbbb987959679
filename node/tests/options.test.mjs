// Every option of the core from Node: a proxy (through a loopback proxy, its password never shown), noProxy,
// caFile, maxResponseBytes, the settings summary; plus the reach of the reconciliation sources.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';

import { ConfigurationError, PagoEfectivo, PagoEfectivoError, configureLogging, reconcileFiles } from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

const PASSWORD = 'pr0xyS3cretPassw0rd';
let sandbox;
let proxy;
const proxied = [];

before(async () => {
  sandbox = await Sandbox.start();
  // A plain-HTTP forward proxy on loopback: absolute-form requests, forwarded as they are.
  proxy = createServer((req, res) => {
    proxied.push({ url: req.url, auth: req.headers['proxy-authorization'] ?? null });
    const target = new URL(req.url);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers },
      (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  proxy.close();
  await sandbox.stop();
});

const proxyUrl = () => `http://pe-user:${PASSWORD}@127.0.0.1:${proxy.address().port}`;

test('a proxy with credentials carries every request; its password is in no setting, inspect, JSON, error or log', async () => {
  const records = [];
  configureLogging({ level: 'debug', logger: (r) => records.push(r) });
  try {
    const pe = sandbox.client({ proxy: proxyUrl(), maxAttempts: 1 });
    const before = proxied.length;
    const cip = await pe.cips.create({
      currency: 'PEN',
      amount: '10.00',
      transactionCode: 'PX-1',
      userEmail: 'a@b.pe',
    });
    assert.equal((await pe.cips.get(cip.cip)).status, 'generated');
    const seen = proxied.slice(before);
    assert.ok(seen.length >= 3, `the proxy saw ${seen.length} requests`);
    assert.ok(seen.every((r) => r.url.startsWith(sandbox.baseUrl)));
    const basic = `Basic ${Buffer.from(`pe-user:${PASSWORD}`).toString('base64')}`;
    assert.ok(
      seen.every((r) => r.auth === basic),
      'the credentials reach the proxy',
    );

    assert.match(pe.config.proxy, /\[REDACTED\]@127\.0\.0\.1:\d+$/);
    const shared = sandbox.client({ tokenStore: `redis://:${PASSWORD}@127.0.0.1:9/0` });
    assert.match(shared.config.tokenStore, /\[REDACTED\]@127\.0\.0\.1:9/);
    const broken = sandbox.client({ proxy: `http://pe-user:${PASSWORD}@127.0.0.1:9`, maxAttempts: 1 });
    const err = await broken.cips.get(cip.cip).catch((e) => e);
    assert.ok(err instanceof PagoEfectivoError && err.code === 'connection_error', `${err}`);
    let configErr;
    try {
      new PagoEfectivo({ ...sandbox.clientOptions(), proxy: `ftp://pe-user:${PASSWORD}@[::1` });
    } catch (e) {
      configErr = e;
    }
    assert.ok(configErr instanceof ConfigurationError, `${configErr}`);
    await new Promise((r) => setTimeout(r, 50));
    const texts = [
      inspect(shared, { depth: 10, showHidden: true }),
      JSON.stringify(shared),
      inspect(pe, { depth: 10, showHidden: true }),
      JSON.stringify(pe),
      JSON.stringify(pe.config),
      inspect(err),
      JSON.stringify(err),
      err.stack,
      String(configErr),
      configErr.stack,
      JSON.stringify(records),
    ];
    for (const t of texts) assert.ok(!t.includes(PASSWORD), t);
    assert.ok(records.length > 0, 'debug records arrived');
  } finally {
    configureLogging('off');
  }
});

test('noProxy, caFile and maxResponseBytes reach the core, and client.config shows them', async () => {
  const bypass = sandbox.client({ proxy: 'http://127.0.0.1:9', noProxy: '127.0.0.1', maxAttempts: 1 });
  await bypass.authenticate(); // straight to the sandbox: the proxy is on a closed port
  assert.equal(bypass.config.noProxy, '127.0.0.1');

  const dir = mkdtempSync(join(tmpdir(), 'pe-options-'));
  assert.throws(
    () => sandbox.client({ caFile: join(dir, 'missing.pem') }),
    (e) => e instanceof PagoEfectivoError && e.message.includes('missing.pem'),
  );
  const junk = join(dir, 'junk.pem');
  writeFileSync(junk, 'not a certificate\n');
  assert.throws(() => sandbox.client({ caFile: junk }), PagoEfectivoError);

  const small = sandbox.client({ maxResponseBytes: 1024, maxAttempts: 1 });
  assert.equal(small.config.maxResponseBytes, 1024);
  const body = JSON.stringify({ code: 100, message: 'Solicitud exitosa.', data: [], pad: 'x'.repeat(2000) });
  sandbox.addFault({ endpoint: 'cips_search', kind: 'respond', status: 200, body, times: 1 });
  await assert.rejects(small.cips.get(1), (e) => e instanceof PagoEfectivoError && e.code === 'malformed_response');
  assert.throws(() => sandbox.client({ maxResponseBytes: 10 }), ConfigurationError);

  const c = sandbox.client({
    retry: { maxAttempts: 4, initialBackoffMs: 20, maxBackoffMs: 80 },
    request_timeout_ms: 1500,
  });
  assert.deepEqual(
    [c.config.maxAttempts, c.config.initialBackoffMs, c.config.maxBackoffMs, c.config.requestTimeoutMs],
    [4, 20, 80, 1500],
  );
  assert.match(c.config.userAgent, /^pagoefectivo-node\//);
  assert.ok(Object.isFrozen(c.config));
});

test('reconciliation from two files in one call, and the report a page at a time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pe-files-'));
  const orders = join(dir, 'orders.csv');
  const report = join(dir, 'report.csv');
  writeFileSync(orders, 'order_id,cip,currency,amount,status\nA,101,PEN,25.50,paid\nB,102,PEN,10.00,pending\n');
  writeFileSync(report, 'cip,transaction_code,currency,amount,status\n101,A,PEN,25.50,paid\n102,B,PEN,10.00,paid\n');
  const r = await reconcileFiles({ orders, report, options: { asOf: '2026-11-24T12:00:00-05:00' }, outDir: dir });
  assert.deepEqual(r.summary.counts, { matched: 1, missed_notification: 1 });
  await assert.rejects(reconcileFiles({ orders, report, typo: 1 }), (e) => e.fieldErrors[0].field === 'typo');

  const pe = sandbox.client();
  const cip = await pe.cips.create({ currency: 'PEN', amount: '5.00', transactionCode: 'PG-1', userEmail: 'a@b.pe' });
  sandbox.pay(cip.cip);
  const page = await pe.reports.page({ dateFrom: sandbox.now().slice(0, 10), limit: 500 });
  const row = page.rows.find((x) => x.cip === cip.cip);
  assert.ok(row && typeof row.amount === 'string' && Number(row.amount) === 5, JSON.stringify(page));
  assert.equal(typeof page.hasMore, 'boolean');
});
