// Loads the native addon built by `napi build` (pagoefectivo.node at the package root), and calls the
// core's operations by name: arguments as JSON text (ts/json.ts), results parsed from JSON text.
import * as path from 'node:path';

import { wrap, wrapAsync } from './errors';
import { encode } from './json';
import type * as Native from './native';
import type { NativeClient } from './native';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const native: typeof Native = require(path.join(__dirname, '..', '..', 'pagoefectivo.node'));

/** A client-less operation of the core (`boundary::ops::OPS`), on this thread: for bounded work. */
export function call<T>(op: string, args: unknown): T {
  return JSON.parse(wrap(() => native.call(op, encode(args)))) as T;
}

/** A client-less operation on a worker thread, for work that grows with its input. */
export async function callAsync<T>(op: string, args: unknown): Promise<T> {
  return JSON.parse(await wrapAsync(() => native.callAsync(op, encode(args)))) as T;
}

/** An operation of a client (`boundary::ops::CLIENT_OPS`): a Promise run on the core's threads. */
export async function clientCall<T>(client: NativeClient, op: string, args: unknown): Promise<T> {
  return JSON.parse(await wrapAsync(() => client.call(op, encode(args)))) as T;
}
