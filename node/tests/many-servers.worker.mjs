// A webhook server process of tests/many-servers.test.mjs (forked, one per "server"), and the events they share.
// Run as `many-servers.worker.mjs ROLE` with STORE_URL and STORE_RUN in the environment:
//   deliveries: 1,000 concurrent deliveries of the same 100 events (10 each, shuffled), each verified from
//               its bytes like a request; what this process processed goes, one key a line, to STORE_OUT.
//   hold:       takes the lease of event 0 (STORE_LEASE_MS), says "started" and keeps it until killed.
import { appendFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { Deduplicator, constructEvent, signWebhook } from 'pagoefectivo';

export const SECRET = 'many_servers_secret';

/** The exact bytes of event `n` of run `run` (a new run id keeps keys apart on a store that outlives a test). */
export function body(run, n, amount = '10.00') {
  return `{"eventType":"cip.paid","operationNumber":"${run}-${n}","data":{"cip":"${1000 + n}","currency":"PEN","amount":${amount}}}`;
}

/** Event `n`, verified as a webhook endpoint does. */
export function event(run, n, amount) {
  const bytes = Buffer.from(body(run, n, amount));
  return constructEvent(bytes, signWebhook(bytes, SECRET), SECRET);
}

async function deliveries(url, run, out) {
  const d = Deduplicator.fromUrl(url);
  writeFileSync(out, '');
  const order = Array.from({ length: 1000 }, (_, i) => i % 100);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const answers = {};
  await Promise.all(
    order.map(async (n) => {
      const e = event(run, n);
      const answer = await d.begin(e);
      answers[answer] = (answers[answer] ?? 0) + 1;
      if (answer === 'started') {
        await sleep(Math.floor(Math.random() * 3)); // the work
        appendFileSync(out, `${e.dedupKey}\n`);
        await d.complete(e);
      }
    }),
  );
  process.send?.({ answers });
}

async function hold(url, run, leaseMs) {
  const d = Deduplicator.fromUrl(url, { leaseMs });
  const answer = await d.begin(event(run, 0, '5.00'));
  process.send?.(answer);
  setInterval(() => {}, 60_000); // "processing" until killed
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { STORE_URL: url, STORE_RUN: run } = process.env;
  const role = process.argv[2];
  if (role === 'deliveries') await deliveries(url, run, process.env.STORE_OUT);
  else if (role === 'hold') await hold(url, run, Number(process.env.STORE_LEASE_MS));
  else throw new Error(`unknown role ${role}`);
  if (role !== 'hold') process.disconnect?.();
}
