//! Machine-readable output: the exceptions as CSV and as JSON lines, the summary as JSON.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, ErrorCode};
use crate::time;

use super::engine::Reconciliation;
use super::exception::Exception;

/// Columns of the exceptions CSV, in order.
pub const EXCEPTION_COLUMNS: [&str; 18] = [
    "class",
    "side",
    "order_id",
    "cip",
    "currency",
    "order_amount",
    "pagoefectivo_amount",
    "difference",
    "order_status",
    "pagoefectivo_status",
    "order_refunded",
    "pagoefectivo_refunded",
    "expires_at",
    "paid_at",
    "expected_settlement",
    "order_line",
    "pagoefectivo_line",
    "detail",
];

fn write_error(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::IoError, format!("cannot write the reconciliation output: {e}"))
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn row(ex: &Exception) -> [String; 18] {
    [
        ex.class.as_str().to_owned(),
        opt(ex.side.map(|s| s.as_str())),
        ex.order_id.clone().unwrap_or_default(),
        opt(ex.cip),
        ex.currency.to_string(),
        opt(ex.order_amount),
        opt(ex.pagoefectivo_amount),
        opt(ex.difference),
        opt(ex.order_status.map(|s| s.as_str())),
        opt(ex.pagoefectivo_status.map(|s| s.as_str())),
        opt(ex.order_refunded),
        opt(ex.pagoefectivo_refunded),
        opt(ex.expires_at.map(|t| time::format(&t))),
        opt(ex.paid_at.map(|t| time::format(&t))),
        opt(ex.expected_settlement),
        opt(ex.order_line),
        opt(ex.pagoefectivo_line),
        ex.detail.clone(),
    ]
}

/// The files [`Reconciliation::write_all`] writes into its directory.
pub const OUTPUT_FILES: [&str; 4] = ["summary.json", "exceptions.csv", "exceptions.jsonl", "report.html"];

impl Reconciliation {
    /// Writes every output into `dir` (created if missing): [`OUTPUT_FILES`].
    pub fn write_all(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot create {}: {e}", dir.display())))?;
        let create = |name: &str| {
            let path = dir.join(name);
            File::create(&path)
                .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot create {}: {e}", path.display())))
        };
        let [summary, csv, jsonl, html] = OUTPUT_FILES;
        self.write_summary_json(create(summary)?)?;
        self.write_exceptions_csv(create(csv)?)?;
        self.write_exceptions_json_lines(create(jsonl)?)?;
        self.write_html(create(html)?)
    }

    /// The exceptions as CSV with a header row ([`EXCEPTION_COLUMNS`]).
    pub fn write_exceptions_csv<W: Write>(&self, out: W) -> Result<(), Error> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(EXCEPTION_COLUMNS).map_err(write_error)?;
        for ex in &self.exceptions {
            w.write_record(row(ex)).map_err(write_error)?;
        }
        w.flush().map_err(write_error)
    }

    /// The exceptions as JSON lines, one object per exception (camelCase
    /// keys, amounts as decimal strings, times with `-05:00`).
    pub fn write_exceptions_json_lines<W: Write>(&self, out: W) -> Result<(), Error> {
        let mut w = std::io::BufWriter::new(out);
        for ex in &self.exceptions {
            serde_json::to_writer(&mut w, ex).map_err(write_error)?;
            w.write_all(b"\n").map_err(write_error)?;
        }
        w.flush().map_err(write_error)
    }

    /// The summary as pretty JSON.
    pub fn write_summary_json<W: Write>(&self, out: W) -> Result<(), Error> {
        let mut w = std::io::BufWriter::new(out);
        serde_json::to_writer_pretty(&mut w, &self.summary).map_err(write_error)?;
        w.write_all(b"\n").map_err(write_error)?;
        w.flush().map_err(write_error)
    }
}
