//! Node.js binding of the `pagoefectivo` core (napi-rs): JS values to the core's boundary and back.
//!
//! The public API is the TypeScript layer in `ts/`; this addon is its engine.
//! Arguments cross as JSON text written by `ts/json.ts` and are read by the
//! core's `boundary` (which decides every rule); results cross back as JSON
//! text (one string through N-API is faster than one call per property).
//! Every failure is thrown as a JS error whose message starts with
//! `PagoEfectivoError:` followed by the core's error as JSON (see `errors.rs`).

// `clippy --all-targets` builds a test cfg of this lib, where napi registers no
// exported function, so they all look unused there.
#![cfg_attr(test, allow(dead_code))]

mod audit;
mod client;
mod dedup;
mod errors;
mod event_loop;
mod inflight;
mod logging;
mod reconcile;
mod reconcile_sources;
mod sandbox;
mod webhooks;

use napi_derive::napi;
use pagoefectivo::boundary::ops;

use crate::errors::{Result, blocking, guard, parse};

/// The runtime every Promise of this addon runs on (napi's hook for a custom
/// tokio runtime), but a client's calls, which run on their JS thread's own
/// (`event_loop.rs`) unless `PAGOEFECTIVO_NODE_THREADS` is a thread count. That sets its worker threads;
/// unset, tokio's default (one per core). See BENCHMARKS.md (Node, CIP
/// creation) for why the count matters on small machines.
#[napi_derive::module_init]
fn init() {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all().thread_name("pagoefectivo-node");
    if let Some(n) = event_loop::configured_threads() {
        builder.worker_threads(n);
    }
    // On failure napi builds its default runtime at first use.
    if let Ok(rt) = builder.build() {
        napi::bindgen_prelude::create_custom_tokio_runtime(rt);
    }
}

/// The addon's version (the Cargo package's).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Runs a client-less operation of the core by name (`boundary::ops::OPS`): JSON text in, JSON text out.
#[napi]
pub fn call(op: String, args: String) -> Result<String> {
    guard(|| Ok(ops::call(&op, &parse(&args)?)?.to_string()))
}

/// [`call`] on a worker thread, for operations whose cost grows with their input (`reconcile.run`, `reconcile.files`).
#[napi]
pub async fn call_async(op: String, args: String) -> Result<String> {
    blocking(move || Ok(ops::call(&op, &parse(&args)?)?.to_string())).await
}

/// Now, in the Lima wire form.
#[napi]
pub fn lima_now() -> String {
    pagoefectivo::time::format(&pagoefectivo::time::now_lima())
}

/// Panics (debug builds only): proves a panic reaches JS as `internal_error`.
#[cfg(debug_assertions)]
#[napi]
pub fn debug_panic() -> Result<()> {
    guard(|| panic!("debug_panic"))
}

/// Panics inside a Promise (debug builds only).
#[cfg(debug_assertions)]
#[napi]
pub async fn debug_panic_async() -> Result<()> {
    errors::guarded(async { panic!("debug_panic_async") }).await
}

/// The addon's own allocations (requests, answers, the HTTP stack's buffers) made on one thread and
/// freed on another: glibc's malloc spent 17 % of the runtime threads' time there at 32 calls in
/// flight; mimalloc cuts CPU per CIP creation by about 15 % (BENCHMARKS.md, Node, CIP creation).
/// Node's own heap and every buffer handed to JavaScript are untouched.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
