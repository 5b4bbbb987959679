// A client's calls in flight: each started on the core's runtime, its Promise settled when the answer comes back (src/inflight.rs).
import { fromNative } from './errors';
import { encode } from './json';
import type { NativeClient } from './native';

/** A call waiting for its answer: how to settle its Promise. */
interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The calls of one native client waiting for their answer, by id. */
class Calls {
  readonly pending = new Map<number, Pending>();
  next = 0;

  constructor(client: NativeClient) {
    // One listener per client receives every answer (the closure holds this map, never the client).
    const { pending } = this;
    client.listen((id: number, ok: boolean, text: string) => {
      const call = pending.get(id);
      if (call === undefined) return;
      pending.delete(id);
      try {
        if (ok) call.resolve(JSON.parse(text));
        else call.reject(fromNative(new Error(text)));
      } catch (e) {
        call.reject(fromNative(e)); // never thrown out of the listener: that would be an uncaught exception
      }
    });
  }
}

const CALLS = new WeakMap<NativeClient, Calls>();

/** An operation of a client (`boundary::ops::CLIENT_OPS`): a Promise run by the core's runtime (src/event_loop.rs). */
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
      calls.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    } catch (e) {
      reject(fromNative(e));
    }
  });
}
