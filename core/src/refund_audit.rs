//! The refund audit trail: one record per refund operation, to a pluggable sink (JSON lines provided).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode};

/// What was asked, what was answered, when, with which key, and how it ended.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundAuditRecord {
    pub at: DateTime<FixedOffset>,
    /// `refund.create`, `refund.get`, `refund.list`.
    pub operation: String,
    /// Who asked (`CreateRefundRequest::requested_by`), when known.
    pub actor: Option<String>,
    pub idempotency_key: Option<String>,
    pub merchant_refund_id: Option<String>,
    pub cip: Option<u64>,
    pub refund_id: Option<String>,
    /// The request as sent (no secrets are part of it).
    pub request: Option<Value>,
    /// The refund answered, or the error (code, PagoEfectivo code, message).
    pub response: Option<Value>,
    /// `ok`, or the error code (`refund_not_allowed`, `idempotency_conflict`...).
    pub outcome: String,
}

/// Where audit records go. Must be quick or hand off; a failing sink fails
/// the operation's audit, not the refund (the error is logged).
pub trait RefundAuditSink: Send + Sync {
    fn record(&self, record: &RefundAuditRecord) -> Result<(), Error>;
}

/// Appends one JSON object per line to a file (opened in append mode).
pub struct JsonLinesAuditSink {
    file: Mutex<File>,
}

impl JsonLinesAuditSink {
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let file = OpenOptions::new().create(true).append(true).open(path).map_err(|e| {
            Error::new(
                ErrorCode::ConfigurationError,
                format!("cannot open audit file {}: {e}", path.display()),
            )
        })?;
        Ok(JsonLinesAuditSink { file: Mutex::new(file) })
    }
}

impl RefundAuditSink for JsonLinesAuditSink {
    fn record(&self, record: &RefundAuditRecord) -> Result<(), Error> {
        let mut line = serde_json::to_vec(record).expect("audit records serialize");
        line.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        // One write per record keeps lines whole even with concurrent writers.
        file.write_all(&line).and_then(|_| file.flush()).map_err(|e| {
            Error::new(ErrorCode::ConfigurationError, format!("cannot write the audit record: {e}"))
        })
    }
}
