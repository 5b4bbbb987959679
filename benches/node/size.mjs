// Addon size, `require('pagoefectivo')` / `import('pagoefectivo')` time and client creation (fresh processes, interleaved; min and median).
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { addonNote, machine, median, min } from './bench.mjs';

const require = createRequire(import.meta.url);
const pkg = dirname(require.resolve('pagoefectivo/package.json'));
const addon = join(pkg, 'pagoefectivo.node');
const runs = Math.max(21, Number(process.env.REQUIRE_RUNS ?? 21));
console.log(`size and load time: ${runs} fresh processes each; ${machine()}`);
console.log(`addon: ${addonNote(addon)}`);
const mb = statSync(addon).size / 1e6;

// Each script times only the load (the process start is the same for all): wall and CPU ms of the process.
const timed = (load) =>
  `const c = process.cpuUsage(); const t = process.hrtime.bigint(); ${load}; const u = process.cpuUsage(c); ` +
  `console.log(Number(process.hrtime.bigint() - t) / 1e6, (u.user + u.system) / 1e3);`;
const scripts = {
  "require('pagoefectivo')": ['-e', timed("require('pagoefectivo')")],
  "import('pagoefectivo')": ['--input-type=module', '-e', timed("await import('pagoefectivo')")],
  'require of an empty file (baseline)': ['-e', timed("require('./empty.cjs')")],
  'import of an empty file (baseline)': ['--input-type=module', '-e', timed("await import('./empty.mjs')")],
  "require('pagoefectivo/testing')": ['-e', timed("require('pagoefectivo/testing')")],
};
// Client creation in a fresh process (no network: clients connect on first use): the first client (it also
// reads the system's CA store, once per process), then the mean of 200 more, as benches/client-creation.sh does.
const clients =
  "const { PagoEfectivo } = require('pagoefectivo'); " +
  "const o = { accessKey: 'ACCESSKEY00000000000', secretKey: 'SECRETKEY0000000000000000000000000000000', serviceId: 1234, baseUrl: 'http://127.0.0.1:9/v1/' }; " +
  'let t = process.hrtime.bigint(); new PagoEfectivo(o); const first = Number(process.hrtime.bigint() - t) / 1e3; ' +
  't = process.hrtime.bigint(); for (let i = 0; i < 200; i++) new PagoEfectivo(o); ' +
  'console.log(first, Number(process.hrtime.bigint() - t) / 1e3 / 200);';
const created = { first: [], next: [] };
const times = Object.fromEntries(Object.keys(scripts).map((k) => [k, { wall: [], cpu: [] }]));
for (let i = 0; i < runs; i++) {
  const [first, next] = execFileSync(process.execPath, ['-e', clients], { cwd: import.meta.dirname })
    .toString()
    .trim()
    .split(' ');
  created.first.push(Number(first));
  created.next.push(Number(next));
  for (const [name, args] of Object.entries(scripts)) {
    const [wall, cpu] = execFileSync(process.execPath, args, { cwd: import.meta.dirname })
      .toString()
      .trim()
      .split(' ');
    times[name].wall.push(Number(wall));
    times[name].cpu.push(Number(cpu));
  }
}
console.log(`addon size ${mb.toFixed(2)} MB (${(mb / 1.048576).toFixed(2)} MiB)`);
const f = (xs) => `${min(xs).toFixed(2)} / ${median(xs).toFixed(2)}`;
for (const [name, { wall, cpu }] of Object.entries(times)) {
  console.log(`${name.padEnd(38)} wall ms (min / median) ${f(wall)}   CPU ms ${f(cpu)}`);
}
console.log(
  `new PagoEfectivo(...), first in a process   wall µs (min / median) ${f(created.first)}   later ones ${f(created.next)}`,
);
// Absolute, machine-bound values: `VALUE <name> <min> <median> <unit>`.
console.log(`VALUE node.addon_size ${mb.toFixed(2)} ${mb.toFixed(2)} MB`);
for (const [key, name] of [
  ['require', "require('pagoefectivo')"],
  ['import', "import('pagoefectivo')"],
]) {
  const { wall, cpu } = times[name];
  console.log(`VALUE node.${key}_time ${min(wall).toFixed(2)} ${median(wall).toFixed(2)} ms`);
  console.log(`VALUE node.${key}_cpu ${min(cpu).toFixed(2)} ${median(cpu).toFixed(2)} ms`);
  console.log(`VALUE node.${key}_ms ${min(wall).toFixed(2)} ${median(wall).toFixed(2)} ms`);
}
console.log(`VALUE node.client_new_us ${min(created.next).toFixed(1)} ${median(created.next).toFixed(1)} us`);
console.log(`VALUE node.first_client_new_us ${min(created.first).toFixed(1)} ${median(created.first).toFixed(1)} us`);
