//! `NativeClient`: the core `Client` for JavaScript; every operation by name, each network call a Promise on tokio.

use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use pagoefectivo::boundary::ops;
use pagoefectivo::{Client, CreateCipRequest, Error};

use crate::errors::{Result, guard, guarded, parse};

/// One merchant configuration (store). The TypeScript class `PagoEfectivo` wraps it.
#[napi]
pub struct NativeClient {
    pub(crate) inner: Client,
}

#[napi]
impl NativeClient {
    /// From the options object as JSON: `Client::from_options` (the core's option map in any
    /// casing, `refundAuditFile`, or `{env: {PAGOEFECTIVO_...}}`).
    #[napi(constructor)]
    pub fn new(options: String) -> Result<NativeClient> {
        guard(|| Ok(NativeClient { inner: Client::from_options(&parse(&options)?)? }))
    }

    /// The core's settings summary as JSON (every setting but the secrets).
    #[napi(getter)]
    pub fn settings(&self) -> String {
        self.inner.config().settings().to_string()
    }

    /// Runs an operation of this client by name (`boundary::ops::CLIENT_OPS`): JSON text in, JSON text out.
    #[napi]
    pub async fn call(&self, op: String, args: String) -> Result<String> {
        guarded(async {
            let args = parse(&args)?;
            if op == "cips.create" {
                // The hot path (issue 16): the op's own two calls, the result written straight to text
                // (`client_call` would build a `serde_json::Value` of it first).
                let cip = self.inner.cips().create(&CreateCipRequest::from_json(&args)?).await?;
                return serde_json::to_string(&cip).map_err(|e| Error::internal(&format!("{e}")));
            }
            Ok(ops::client_call(&self.inner, &op, &args).await?.to_string())
        })
        .await
    }

    /// Verifies a notification with this client's secret key; the event as JSON text (see `webhooks::verify_webhook`).
    #[napi(
        ts_args_type = "body: Buffer | Uint8Array | string, signature: string | null | undefined, maxBodyBytes?: number | null"
    )]
    pub fn verify_webhook(
        &self,
        body: Unknown<'_>,
        signature: Option<String>,
        max_body_bytes: Option<f64>,
    ) -> Result<String> {
        let secret = self.inner.config().secret_key.expose();
        crate::webhooks::verify_with(body, signature.as_deref(), secret, max_body_bytes)
    }
}
