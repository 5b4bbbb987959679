//! `NativeClient`: the core `Client` for JavaScript; every network call returns a Promise run on tokio.

use std::collections::HashMap;
use std::time::Duration;

use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use pagoefectivo::{Client, Config, WaitOptions};
use serde::Serialize;
use serde_json::Value;

use crate::convert;
use crate::errors::{self, IntoNapi, Result};

/// One merchant configuration (store). The TypeScript class `PagoEfectivo` wraps it.
#[napi]
pub struct NativeClient {
    pub(crate) inner: Client,
}

/// Results cross as JSON text that the TypeScript layer parses: one string
/// through N-API instead of one call per property (measured faster).
pub(crate) fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| errors::other(pagoefectivo::ErrorCode::MalformedResponse, e.to_string()))
}

/// A request object arrives as `JSON.stringify` output (exact text, read
/// without the per-property N-API calls).
pub(crate) fn from_json(text: &str) -> Result<Value> {
    serde_json::from_str(text)
        .map_err(|e| errors::invalid_field("request", format!("is not a plain object: {e}")))
}

pub(crate) fn wait_options(v: &Value) -> Result<WaitOptions> {
    let mut o = WaitOptions::default();
    let ms = |key: &str| -> Result<Option<Duration>> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(n) => n
                .as_u64()
                .map(|n| Some(Duration::from_millis(n)))
                .ok_or_else(|| errors::invalid_field(key, "must be a non-negative integer of milliseconds")),
        }
    };
    if let Some(d) = ms("timeoutMs")? {
        o.timeout = d;
    }
    if let Some(d) = ms("initialIntervalMs")? {
        o.initial_interval = d;
    }
    if let Some(d) = ms("maxIntervalMs")? {
        o.max_interval = d;
    }
    Ok(o)
}

#[napi]
impl NativeClient {
    /// From an options object (see `convert::config`).
    #[napi(constructor)]
    pub fn new(options: Value) -> Result<NativeClient> {
        let inner = Client::new(convert::config(&options)?).napi()?;
        Ok(NativeClient { inner })
    }

    /// From `PAGOEFECTIVO_*` variables given as a map (the TypeScript layer passes `process.env`).
    #[napi(factory)]
    pub fn from_env(vars: HashMap<String, String>) -> Result<NativeClient> {
        let config = Config::from_lookup(|k| vars.get(k).cloned()).napi()?;
        Ok(NativeClient { inner: Client::new(config).napi()? })
    }

    /// The configuration in force, without the secret key.
    #[napi(getter)]
    pub fn config(&self) -> Value {
        convert::config_summary(self.inner.config())
    }

    #[napi]
    pub async fn authenticate(&self) -> Result<()> {
        self.inner.authenticate().await.napi()
    }

    /// `request_json`: the request object as JSON; resolves to the CIP as JSON.
    #[napi]
    pub async fn create_cip(&self, request_json: String) -> Result<String> {
        let request = convert::create_request(&from_json(&request_json)?)?;
        to_json(&self.inner.cips().create(&request).await.napi()?)
    }

    /// Throws the `validation_error` a creation would, without any request.
    #[napi]
    pub fn validate_cip_request(&self, request_json: String) -> Result<()> {
        convert::create_request(&from_json(&request_json)?)?.validate(pagoefectivo::time::now_lima()).napi()
    }

    #[napi]
    pub async fn search_cips(&self, cips: Value) -> Result<String> {
        let Value::Array(cips) = cips else {
            return Err(errors::invalid_field("cips", "must be an array of CIP numbers"));
        };
        let list = cips.iter().map(convert::cip).collect::<Result<Vec<u64>>>()?;
        to_json(&self.inner.cips().search(&list).await.napi()?)
    }

    #[napi]
    pub async fn get_cip(&self, cip: Value) -> Result<String> {
        let cip = convert::cip(&cip)?;
        to_json(&self.inner.cips().get(cip).await.napi()?)
    }

    #[napi]
    pub async fn extend_cip(&self, cip: Value, date_expiry: String) -> Result<()> {
        let cip = convert::cip(&cip)?;
        let at = convert::time("dateExpiry", &date_expiry)?;
        self.inner.cips().extend(cip, at).await.napi()
    }

    #[napi]
    pub async fn delete_cip(&self, cip: Value) -> Result<()> {
        let cip = convert::cip(&cip)?;
        self.inner.cips().delete(cip).await.napi()
    }

    /// Verifies a notification with this client's secret key; the event as JSON text (see `webhooks::verify_webhook`).
    #[napi(ts_args_type = "body: Buffer | Uint8Array | string, signature: string | null | undefined")]
    pub fn verify_webhook(&self, body: Unknown<'_>, signature: Option<String>) -> Result<String> {
        crate::webhooks::verify_with(body, signature.as_deref(), self.inner.config().secret_key.expose())
    }

    /// `options`: `{timeoutMs?, initialIntervalMs?, maxIntervalMs?}`.
    #[napi]
    pub async fn wait_for_final_status(&self, cip: Value, options: Value) -> Result<String> {
        let cip = convert::cip(&cip)?;
        let options = wait_options(&options)?;
        to_json(&self.inner.cips().wait_for_final_status(cip, options).await.napi()?)
    }
}
