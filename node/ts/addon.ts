// Loads the native addon (pagoefectivo.node at the package root, else the platform package), and calls the
// core's operations by name: arguments as JSON text (ts/json.ts), results parsed from JSON text.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { wrap, wrapAsync } from './errors';
import { encode } from './json';
import type * as Native from './native';

/** On Linux, whether the C library is musl: napi-rs's own test, cheap first (`/usr/bin/ldd`), the report else. */
function isMusl(): boolean {
  try {
    return readFileSync('/usr/bin/ldd', 'latin1').includes('musl');
  } catch {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return !report?.header?.glibcVersionRuntime;
  }
}

/** napi-rs's platform package of this machine (`@pagoefectivo/linux-x64-gnu`...: optional dependencies). */
function platformPackage(): string {
  const abi =
    process.platform === 'linux' ? (isMusl() ? '-musl' : '-gnu') : process.platform === 'win32' ? '-msvc' : '';
  return `@pagoefectivo/${process.platform}-${process.arch}${abi}`;
}

/**
 * The addon `napi build` wrote at the package root (a checkout: one `stat`), else the installed platform
 * package (a published package ships no addon of its own), so that neither pays for a failed lookup.
 */
function load(): typeof Native {
  const local = path.join(__dirname, '..', '..', 'pagoefectivo.node');
  if (existsSync(local)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(local) as typeof Native;
  }
  const pkg = platformPackage();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(pkg) as typeof Native;
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(`pagoefectivo: no native addon for ${process.platform}-${process.arch}: ${pkg} is not installed`);
  }
}

export const native: typeof Native = load();

/** A client-less operation of the core (`boundary::ops::OPS`), on this thread: for bounded work. */
export function call<T>(op: string, args: unknown): T {
  return JSON.parse(wrap(() => native.call(op, encode(args)))) as T;
}

/** A client-less operation on a worker thread, for work that grows with its input. */
export async function callAsync<T>(op: string, args: unknown): Promise<T> {
  return JSON.parse(await wrapAsync(() => native.callAsync(op, encode(args)))) as T;
}

/** An operation of a client (`boundary::ops::CLIENT_OPS`): a Promise run by the core's runtime (src/event_loop.rs). */
export { clientCall } from './inflight';
