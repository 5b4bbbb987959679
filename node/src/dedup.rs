//! The core's notification deduplicator behind a JS class: in memory, or a store several servers share by URL.
//!
//! The options cross as JSON and the core reads them (`boundary::dedup::deduplicator`). Each operation
//! takes the notification's raw, already verified body and lets the core parse it again, so the key
//! and the payload hash are the core's, never recomputed in JS; it runs as a Promise on the core's
//! runtime (a shared store is a network call: the event loop never waits for it).

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use pagoefectivo::boundary::dedup;
use pagoefectivo::{Deduplicator, webhook};

use crate::errors::{Result, guard, guarded, parse};

/// A deduplicator of the core. The TypeScript class `Deduplicator` wraps it.
#[napi]
pub struct NativeDeduplicator {
    inner: Deduplicator,
}

#[napi]
impl NativeDeduplicator {
    /// From the options as JSON (`null` or `{url?, ttlMs?, leaseMs?}`): the core validates them.
    /// A shared store connects on first use, not here.
    #[napi(constructor)]
    pub fn new(options: String) -> Result<NativeDeduplicator> {
        guard(|| Ok(NativeDeduplicator { inner: dedup::deduplicator(&parse(&options)?)? }))
    }

    /// Runs one of the core's operations (`begin`, `complete`, `fail`, `first_delivery`, `forget`)
    /// for the event of a verified raw body; the answer as JSON text.
    #[napi]
    pub async fn run(&self, op: String, body: Buffer) -> Result<String> {
        guarded(async {
            let event = webhook::parse_event(&body)?;
            Ok(dedup::run(&self.inner, &op, &event).await?.to_string())
        })
        .await
    }
}
