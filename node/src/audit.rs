//! The refund audit trail to a JS function (a file is the core's own `refundAuditFile` option).

use std::sync::Arc;

use napi::bindgen_prelude::Function;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use pagoefectivo::{Error, ErrorCode, RefundAuditRecord, RefundAuditSink};

use crate::client::NativeClient;
use crate::errors::{Result, raise};

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

/// A JS function as a weak threadsafe function (it never keeps the process alive).
pub(crate) fn weak_callback<T: 'static + napi::bindgen_prelude::JsValuesTupleIntoVec>(
    callback: Function<'_, T, ()>,
) -> Result<ThreadsafeFunction<T, (), T, napi::Status, false, true>> {
    callback
        .build_threadsafe_function::<T>()
        .callee_handled::<false>()
        .weak::<true>()
        .build()
        .map_err(|e| raise(&Error::new(ErrorCode::ConfigurationError, e.reason.clone())))
}

#[napi]
impl NativeClient {
    /// Hands every refund audit record (JSON text) to `callback`, asynchronously on the JS thread.
    #[napi(ts_args_type = "callback: (record: string) => void")]
    pub fn use_refund_audit_callback(&mut self, callback: Function<'_, String, ()>) -> Result<()> {
        let sink = CallbackAuditSink { callback: weak_callback(callback)? };
        self.inner = self.inner.clone().with_refund_audit_sink(Arc::new(sink));
        Ok(())
    }
}
