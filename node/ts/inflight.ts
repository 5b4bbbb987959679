// A client's calls in flight: each started on the core's threads, its Promise settled when the answer comes back (src/inflight.rs).
import { fromNative } from './errors';
import { encode } from './json';
import type { NativeClient } from './native';

/** The calls of one native client waiting for their answer, by id. */
class Calls {
  readonly resolvers = new Map<number, (value: unknown) => void>();
  readonly rejecters = new Map<number, (error: Error) => void>();
  next = 0;

  constructor(client: NativeClient) {
    // One listener per client receives every answer (the closure holds these maps, never the client).
    const { resolvers, rejecters } = this;
    client.listen((id: number, ok: boolean, text: string) => {
      const resolve = resolvers.get(id);
      const reject = rejecters.get(id);
      resolvers.delete(id);
      rejecters.delete(id);
      if (resolve === undefined || reject === undefined) return;
      try {
        if (ok) resolve(JSON.parse(text));
        else reject(fromNative(new Error(text)));
      } catch (e) {
        reject(fromNative(e)); // never thrown out of the listener: that would be an uncaught exception
      }
    });
  }
}

const CALLS = new WeakMap<NativeClient, Calls>();

/** An operation of a client (`boundary::ops::CLIENT_OPS`): a Promise run on the core's threads. */
export function clientCall<T>(client: NativeClient, op: string, args: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      let calls = CALLS.get(client);
      if (calls === undefined) {
        calls = new Calls(client);
        CALLS.set(client, calls);
      }
      const id = (calls.next = (calls.next + 1) >>> 0);
      client.start(op, encode(args), id);
      calls.resolvers.set(id, resolve as (value: unknown) => void);
      calls.rejecters.set(id, reject);
    } catch (e) {
      reject(fromNative(e));
    }
  });
}
