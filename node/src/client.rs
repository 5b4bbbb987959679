//! `NativeClient`: the core `Client` for JavaScript; every operation by name, each network call a task on tokio (`inflight.rs`).

use std::sync::Arc;

use napi::bindgen_prelude::Unknown;
use napi::{Env, JsString};
use napi_derive::napi;
use pagoefectivo::Client;

use crate::errors::{Result, guard, parse};
use crate::inflight::Inflight;

/// One merchant configuration (store). The TypeScript class `PagoEfectivo` wraps it.
#[napi]
pub struct NativeClient {
    pub(crate) inner: Client,
    /// Where this client's answers go (`inflight.rs`), from the first call on.
    pub(crate) inflight: Option<Arc<Inflight>>,
}

#[napi]
impl NativeClient {
    /// From the options object as JSON: `Client::from_options` (the core's option map in any
    /// casing, `refundAuditFile`, or `{env: {PAGOEFECTIVO_...}}`).
    #[napi(constructor)]
    pub fn new(options: String) -> Result<NativeClient> {
        guard(|| Ok(NativeClient { inner: Client::from_options(&parse(&options)?)?, inflight: None }))
    }

    /// The core's settings summary as JSON (every setting but the secrets).
    #[napi(getter)]
    pub fn settings(&self) -> String {
        self.inner.config().settings().to_string()
    }

    /// Verifies a notification with this client's secret key (see `webhooks::verify_with`).
    #[napi(
        ts_args_type = "body: Buffer | Uint8Array | string, signature: string | null | undefined, maxBodyBytes?: number | null",
        ts_return_type = "string"
    )]
    pub fn verify_webhook<'env>(
        &self,
        env: &'env Env,
        body: Unknown<'_>,
        signature: Option<String>,
        max_body_bytes: Option<f64>,
    ) -> Result<JsString<'env>> {
        let secret = self.inner.config().secret_key.expose();
        crate::webhooks::verify_with(env, body, signature.as_deref(), secret, max_body_bytes)
    }
}
