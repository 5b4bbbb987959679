// Timing helpers shared by the benchmark scripts: interleaved rounds on two clocks, min/median, ratio lines, the machine.
import { statSync } from 'node:fs';
import os from 'node:os';

/** CPU time of this process (every thread: JS, GC helpers, the addon's), in ns. */
function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/**
 * Each contender timed once per round, in a rotating order (no contender always first or last), so that
 * the load of a shared machine falls on all of them alike. Returns, by name, ns/call per round of wall
 * time (`wall`) and of the process's CPU time (`cpu`: what other processes' load disturbs least).
 */
export function interleaved(cases, { iterations = 20000, rounds = 15, warmup = 20000 } = {}) {
  const names = Object.keys(cases);
  for (const name of names) for (let i = 0; i < warmup; i++) cases[name]();
  const out = Object.fromEntries(names.map((n) => [n, { wall: [], cpu: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      const f = cases[name];
      const c = cpuNs();
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) f();
      out[name].wall.push(Number(process.hrtime.bigint() - start) / iterations);
      out[name].cpu.push((cpuNs() - c) / iterations);
    }
  }
  return out;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function min(xs) {
  return Math.min(...xs);
}

/** Per-round ratios `a[i] / b[i]` (the two timed in the same round). */
export function ratios(a, b) {
  return a.map((x, i) => x / b[i]);
}

/**
 * The machine-readable summary line benches/node/run.sh collects: `RATIO <name> <min> <median> <target> <ok|miss>`.
 * `target` is `<=X` or `>=X`; the verdict is the median's.
 */
export function ratioLine(name, xs, target) {
  const [op, bound] = [target.slice(0, 2), Number(target.slice(2))];
  const med = median(xs);
  const ok = op === '<=' ? med <= bound : med >= bound;
  return `RATIO ${name} ${min(xs).toFixed(3)} ${med.toFixed(3)} ${target} ${ok ? 'ok' : 'miss'}`;
}

/** `lscpu`'s model name (os.cpus() gives the same on Linux), cores, memory, Node, date and the load average. */
export function machine() {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, load ${load}`;
}

/** Which addon build is loaded (the shipped dist build is stripped and a few MB; a debug build is tens of MB). */
export function addonNote(path) {
  try {
    const bytes = statSync(path).size;
    return `${path.split('/').pop()} ${(bytes / 1e6).toFixed(2)} MB${bytes > 20e6 ? ' (NOT the dist build: npm run build:native:dist)' : ''}`;
  } catch {
    return 'addon not found';
  }
}
