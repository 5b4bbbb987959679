// Tiny timing helpers shared by the benchmark scripts: median of rounds, machine description.
import os from 'node:os';

/** Runs `f` `iterations` times per round; returns the median ns per call over `rounds`. */
export function nsPerOp(f, { iterations = 20000, rounds = 7, warmup = 20000 } = {}) {
  for (let i = 0; i < warmup; i++) f();
  const results = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) f();
    results.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)];
}

export function machine() {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}
