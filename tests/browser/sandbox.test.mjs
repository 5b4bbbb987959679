// The sandbox as people see it, in Debian's chromium: a shopper's voucher, "Simulate payment", the dashboard
// showing the merchant's answer (the Express example), a replay met by its deduplication, and the
// reconciliation report on a phone. No console errors, no request beyond loopback.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = process.env.PAGOEFECTIVO_CLI ?? path.join(ROOT, 'target/x86_64-unknown-linux-gnu/debug/pagoefectivo');
const SHOTS = process.env.UPDATE_SCREENSHOTS ? path.join(ROOT, 'docs/screenshots') : path.join(ROOT, 'target/screenshots');
const SHOP_DIR = process.env.PAGOEFECTIVO_SHOP_DIR ?? path.join(ROOT, 'examples/express');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const children = [];
let browser;
let sandbox; // { base, origin }
let shop; // origin of the Express example

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves with the first stdout line matching `ready`. */
async function start(cmd, args, options, ready) {
  const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let seen = '';
  return new Promise((resolve, reject) => {
    // Read stdout to its end, so the child never writes into a full or closed pipe.
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(ready);
      if (m) resolve(m);
    });
    child.on('exit', () => reject(new Error(`${cmd} ended before it was ready:\n${seen}`)));
  });
}

before(async () => {
  const shopPort = await freePort();
  const hook = `http://127.0.0.1:${shopPort}/webhooks/pagoefectivo`;
  const [, base] = await start(CLI, ['sandbox', '--port', '0', '--notification-url', hook], {}, /listening on (\S+)/);
  sandbox = { base, origin: new URL(base).origin };
  const env = {
    ...process.env,
    PORT: String(shopPort),
    PAGOEFECTIVO_ENVIRONMENT: base,
    PAGOEFECTIVO_SERVICE_ID: '1234',
    PAGOEFECTIVO_ACCESS_KEY: 'ACCESSKEY00000000000',
    PAGOEFECTIVO_SECRET_KEY: 'SECRETKEY0000000000000000000000000000000',
  };
  await start('node', ['server.js'], { cwd: SHOP_DIR, env }, /shop on (\S+);/);
  shop = `http://127.0.0.1:${shopPort}`;
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  for (const c of children) c.kill();
});

/** A page that fails the test on any console error, page error or request beyond loopback. */
async function watchedPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'es-PE' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`answer ${r.status()}: ${r.url()}`));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'file:' && url.protocol !== 'data:' && !['127.0.0.1', 'localhost'].includes(url.hostname)) {
      problems.push(`external request: ${r.url()}`);
    }
  });
  return { page, problems, context };
}

async function checkout() {
  const r = await fetch(`${shop}/checkout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sku: 'mug-001', email: 'ana@example.pe' }),
  });
  assert.equal(r.status, 201);
  return r.json();
}

test('a shopper sees the voucher, pays it, and the shop is notified once, replay and all', async () => {
  const order = await checkout();
  assert.match(order.cipUrl, /^http:\/\/127\.0\.0\.1:\d+\/[0-9A-F-]{36}\.html$/);

  const { page, problems, context } = await watchedPage({ width: 390, height: 844 });
  await page.goto(order.cipUrl);
  assert.equal(await page.textContent('#cip'), String(order.cip));
  assert.equal(await page.textContent('#amount'), 'S/ 35.90');
  assert.ok(await page.isVisible('.qr svg'), 'a QR code of the CIP');
  assert.match(await page.textContent('h2'), /Cómo pagar/);
  await page.waitForFunction(() => /Quedan \d+ h/.test(document.querySelector('#countdown')?.textContent ?? ''));
  await page.screenshot({ path: path.join(SHOTS, 'voucher.png'), fullPage: true });

  await page.click('#simulate-payment');
  await page.waitForSelector('main.state-paid');
  assert.match(await page.textContent('#status'), /Pagado el/);
  await page.screenshot({ path: path.join(SHOTS, 'voucher-paid.png'), fullPage: true });

  // The dashboard shows the delivery and what the merchant answered.
  const dash = await watchedPage();
  await dash.page.goto(`${sandbox.origin}/_sandbox/ui`);
  const first = dash.page.locator('#deliveries tr[data-delivery="0"]');
  await first.locator('text=/200 in \\d+ ms/').waitFor();
  assert.match(await first.textContent(), /cip\.paid/);
  const paid = await (await fetch(`${shop}/orders/${order.order}`)).json();
  assert.equal(paid.status, 'paid');
  assert.equal(paid.timesFulfilled, 1);

  // Replay it: PagoEfectivo's retry, byte for byte. The shop answers 200 and does nothing twice.
  await first.locator('button', { hasText: 'Replay' }).click();
  const second = dash.page.locator('#deliveries tr[data-delivery="1"]');
  await second.locator('text=/200 in \\d+ ms/').waitFor();
  const again = await (await fetch(`${shop}/orders/${order.order}`)).json();
  assert.equal(again.timesFulfilled, 1, 'the replay was deduplicated');
  await dash.page.locator(`#cips tr[data-cip="${order.cip}"] .status-paid`).waitFor();
  assert.match(await dash.page.textContent(`#cips tr[data-cip="${order.cip}"]`), /PEN 35\.90/, 'the exact amount');
  await dash.page.screenshot({ path: path.join(SHOTS, 'dashboard.png'), fullPage: true });

  // In English when the browser asks for it.
  const en = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });
  const enPage = await en.newPage();
  await enPage.goto(order.cipUrl);
  assert.match(await enPage.textContent('#status'), /Paid on/);
  await en.close();

  assert.deepEqual([...problems, ...dash.problems], []);
  await context.close();
  await dash.context.close();
});

test('the dashboard drives the sandbox through the control API: expire, extend, delete, clock, faults', async () => {
  const order = await checkout();
  const { page, problems, context } = await watchedPage();
  await page.goto(`${sandbox.origin}/_sandbox/ui`);
  const row = page.locator(`#cips tr[data-cip="${order.cip}"]`);
  await row.locator('button', { hasText: 'Expire' }).click();
  await row.locator('.status-expired').waitFor();
  await row.locator('button', { hasText: 'Extend 24 h' }).click();
  await row.locator('.status-generated').waitFor();
  await row.locator('button', { hasText: 'Delete' }).click();
  await row.locator('.status-deleted').waitFor();
  const before = await page.textContent('#now');
  await page.fill('#advance input', '120');
  await page.click('#advance button');
  await page.waitForFunction((b) => document.querySelector('#now')?.textContent !== b, before);
  await page.selectOption('#fault select[name=endpoint]', 'cips_create');
  await page.fill('#fault input[name=status]', '503');
  await page.fill('#fault input[name=times]', '1');
  await page.click('#fault button[type=submit]');
  await page.locator('#faults li', { hasText: 'cips_create' }).waitFor();
  await page.click('#clear-faults');
  await page.waitForFunction(() => document.querySelectorAll('#faults li').length === 0);
  // The voucher of a deleted CIP is gone (404), and a browser is told why.
  const gone = await context.newPage();
  const answer = await gone.goto(order.cipUrl);
  assert.equal(answer?.status(), 404);
  assert.match(await gone.textContent('#status'), /anulado/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the reconciliation report opens offline, draws its chart and fits a phone', async () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'target', 'report-'));
  execFileSync(CLI, ['reconcile', 'generate', '--orders', '300', '--out', dir], { stdio: 'ignore' });
  execFileSync(CLI, ['reconcile', 'run', '--orders', `${dir}/orders.csv`, '--report', `${dir}/report.csv`,
    '--as-of', '2026-11-24T12:00:00-05:00', '--out', `${dir}/out`], { stdio: 'ignore' });
  const summary = JSON.parse(fs.readFileSync(`${dir}/out/summary.json`, 'utf8'));
  const { page, problems, context } = await watchedPage({ width: 390, height: 844 });
  await page.goto(`file://${dir}/out/report.html`);
  const bars = await page.locator('svg.chart rect').count();
  assert.ok(bars >= 3, `the chart draws a bar per class present (${bars})`);
  const box = await page.locator('svg.chart').boundingBox();
  assert.ok(box && box.width <= 390 && box.height > 40, `the chart fits the screen: ${JSON.stringify(box)}`);
  const cards = await page.locator('.card b').allTextContents();
  assert.equal(cards[0], String(summary.orders));
  assert.equal(cards[3], String(summary.exceptions));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling of the page (${overflow}px)`);
  await page.screenshot({ path: path.join(SHOTS, 'reconciliation-phone.png'), fullPage: false });
  assert.deepEqual(problems, []);
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
