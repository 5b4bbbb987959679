//! Refunds on `NativeClient` (create, get, list, eligibility, wait) and the refund audit sinks (a file or a JS callback).

use std::sync::Arc;

use napi::bindgen_prelude::Function;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use pagoefectivo::{Error, ErrorCode, JsonLinesAuditSink, RefundAuditRecord, RefundAuditSink};
use serde_json::Value;

use crate::client::{NativeClient, from_json, to_json, wait_options};
use crate::convert;
use crate::errors::{self, IntoNapi, Result};

/// Hands each audit record, as JSON text, to a JS function on the JS
/// thread. Weak: an audit callback never keeps the process alive.
type AuditCallback = ThreadsafeFunction<String, (), String, napi::Status, false, true>;

struct CallbackAuditSink {
    callback: AuditCallback,
}

impl RefundAuditSink for CallbackAuditSink {
    fn record(&self, record: &RefundAuditRecord) -> std::result::Result<(), Error> {
        let text = serde_json::to_string(record)
            .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot encode the audit record: {e}")))?;
        match self.callback.call(text, ThreadsafeFunctionCallMode::NonBlocking) {
            napi::Status::Ok => Ok(()),
            status => {
                Err(Error::new(ErrorCode::IoError, format!("the audit callback was not called: {status}")))
            }
        }
    }
}

fn refund_id(id: &Value) -> Result<String> {
    match id {
        Value::String(s) => Ok(s.clone()),
        _ => Err(errors::invalid_field("refundId", "must be a refund id string")),
    }
}

fn window_days(v: &Value) -> Result<Option<u32>> {
    match v {
        Value::Null => Ok(None),
        n => n
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .map(Some)
            .ok_or_else(|| errors::invalid_field("refundWindowDays", "must be a whole number of days")),
    }
}

#[napi]
impl NativeClient {
    /// Records every refund operation as one JSON line appended to `path`.
    #[napi]
    pub fn use_refund_audit_file(&mut self, path: String) -> Result<()> {
        let sink = JsonLinesAuditSink::open(&path).napi()?;
        self.inner = self.inner.clone().with_refund_audit_sink(Arc::new(sink));
        Ok(())
    }

    /// Hands every refund audit record (JSON text) to `callback`, asynchronously on the JS thread.
    #[napi(ts_args_type = "callback: (record: string) => void")]
    pub fn use_refund_audit_callback(&mut self, callback: Function<'_, String, ()>) -> Result<()> {
        let callback = callback
            .build_threadsafe_function::<String>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()
            .map_err(|e| errors::config(e.reason.clone()))?;
        self.inner = self.inner.clone().with_refund_audit_sink(Arc::new(CallbackAuditSink { callback }));
        Ok(())
    }

    /// `request_json`: the request object as JSON; resolves to the refund as JSON.
    #[napi]
    pub async fn create_refund(&self, request_json: String) -> Result<String> {
        let request = convert::refund_request(&from_json(&request_json)?)?;
        to_json(&self.inner.refunds().create(&request).await.napi()?)
    }

    /// Throws the `validation_error` a refund creation would, without any request.
    #[napi]
    pub fn validate_refund_request(&self, request_json: String) -> Result<()> {
        convert::refund_request(&from_json(&request_json)?).map(|_| ())
    }

    #[napi]
    pub async fn get_refund(&self, refund_id: Value) -> Result<String> {
        let id = self::refund_id(&refund_id)?;
        to_json(&self.inner.refunds().get(&id).await.napi()?)
    }

    /// The refunds of a CIP, oldest first.
    #[napi]
    pub async fn list_refunds(&self, cip: Value) -> Result<String> {
        let cip = convert::cip(&cip)?;
        to_json(&self.inner.refunds().list(cip).await.napi()?)
    }

    /// `window_days` null: the configured refund window.
    #[napi]
    pub async fn refund_eligibility(&self, cip: Value, window_days: Value) -> Result<String> {
        let cip = convert::cip(&cip)?;
        let days = self::window_days(&window_days)?;
        to_json(&self.inner.refunds().eligibility(cip, days).await.napi()?)
    }

    /// `options`: `{timeoutMs?, initialIntervalMs?, maxIntervalMs?}`.
    #[napi]
    pub async fn wait_for_refund(&self, refund_id: Value, options: Value) -> Result<String> {
        let id = self::refund_id(&refund_id)?;
        let options = wait_options(&options)?;
        to_json(&self.inner.refunds().wait_for_final_status(&id, options).await.napi()?)
    }
}

/// Throws `validation_error` unless `cci` is a 20-digit CCI with valid check digits.
#[napi]
pub fn validate_cci(cci: String) -> Result<()> {
    pagoefectivo::validate_cci(&cci).napi()
}

/// The 20-digit CCI for the first 18 digits (bank, branch, account), with its check digits.
#[napi]
pub fn cci_with_check_digits(first18: String) -> Result<String> {
    pagoefectivo::cci_with_check_digits(&first18)
        .ok_or_else(|| errors::invalid_field("cci", "the first 18 digits of a CCI are needed"))
}
