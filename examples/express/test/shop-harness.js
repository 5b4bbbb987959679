// Starts the shop on an ephemeral port against a fresh in-process sandbox whose notifications go to the shop.
import { Sandbox } from 'pagoefectivo/testing';

import { createApp } from '../app.js';

/**
 * @param {{ dedup?: import('pagoefectivo').Deduplicator, sandbox?: import('pagoefectivo/testing').SandboxOptions }} [options]
 */
export async function startShop(options = {}) {
  const sandbox = await Sandbox.start(options.sandbox);
  const pe = sandbox.client();
  const app = createApp({ pe, dedup: options.dedup });
  /** @type {import('node:http').Server} */
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const base = `http://127.0.0.1:${address.port}`;
  sandbox.notificationUrl = `${base}/webhooks/pagoefectivo`;
  /** @param {string} path @param {unknown} [body] */
  const post = async (path, body) => {
    const r = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };
  /** @param {string} id */
  const order = async (id) => (await fetch(`${base}/orders/${id}`)).json();
  const close = async () => {
    server.close();
    await sandbox.stop();
  };
  return { sandbox, pe, app, base, post, order, close };
}
