//! Node.js binding of the `pagoefectivo` core (napi-rs): type conversions and error mapping only.
//!
//! The public API is the TypeScript layer in `ts/`; this addon is its engine.
//! Every failure is thrown as a JS error whose message starts with
//! `PagoEfectivoError:` followed by the error as JSON (see `errors.rs`).

// `clippy --all-targets` builds a test cfg of this lib, where napi registers no
// exported function, so they all look unused there.
#![cfg_attr(test, allow(dead_code))]

mod client;
mod convert;
mod errors;
mod logging;
mod reconcile;
mod reconcile_sources;
mod refunds;
mod sandbox;
mod webhooks;

use napi_derive::napi;

use crate::errors::{IntoNapi, Result};

/// The runtime every Promise of this addon runs on (napi's hook for a custom
/// tokio runtime). `PAGOEFECTIVO_NODE_THREADS` sets its worker threads;
/// unset, tokio's default (one per core). See BENCHMARKS.md (Node, CIP
/// creation) for why the count matters on small machines.
#[napi_derive::module_init]
fn init() {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all().thread_name("pagoefectivo-node");
    let threads =
        std::env::var("PAGOEFECTIVO_NODE_THREADS").ok().and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(n) = threads.filter(|n| (1..=256).contains(n)) {
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

/// `hashString` of an authorization request (`sha256_hex(idService.accessKey.secretKey.dateRequest)`).
#[napi]
pub fn hash_string(id_service: u32, access_key: String, secret_key: String, date_request: String) -> String {
    pagoefectivo::hash_string(id_service, &access_key, &secret_key, &date_request)
}

/// Any time string (any offset, `T` or space, `Z`) in the Lima wire form `yyyy-MM-ddTHH:mm:ss-05:00`.
#[napi]
pub fn lima_time(text: String) -> Result<String> {
    pagoefectivo::time::parse(&text).napi().map(|t| pagoefectivo::time::format(&t))
}

/// Now, in the Lima wire form.
#[napi]
pub fn lima_now() -> String {
    pagoefectivo::time::format(&pagoefectivo::time::now_lima())
}

/// The status name (`generated`, `paid`, `expired`, `deleted`, `unknown`) of a numeric status code.
#[napi]
pub fn status_name(code: u32) -> String {
    pagoefectivo::CipStatus::from_code(code).as_str().to_owned()
}
