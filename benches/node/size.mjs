// Addon size and `require('pagoefectivo')` time (median of fresh processes).
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { machine } from './bench.mjs';

const require = createRequire(import.meta.url);
const pkg = dirname(require.resolve('pagoefectivo/package.json'));
const addon = join(pkg, 'pagoefectivo.node');
console.log(`${machine()}`);
console.log(`addon ${addon}: ${(statSync(addon).size / 2 ** 20).toFixed(2)} MiB`);

const script = `const t = process.hrtime.bigint(); require('pagoefectivo'); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
const times = [];
for (let i = 0; i < 21; i++) {
  times.push(Number(execFileSync(process.execPath, ['-e', script], { cwd: import.meta.dirname }).toString()));
}
times.sort((a, b) => a - b);
console.log(
  `require('pagoefectivo'): median ${times[10].toFixed(2)} ms, min ${times[0].toFixed(2)} ms (21 fresh processes)`,
);
