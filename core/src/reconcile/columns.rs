//! CSV files mapped by column names: which header names carry which field, and the streaming byte-record readers.

use std::io::Read;

use csv::ByteRecord;

use crate::error::{Error, ErrorCode, FieldError};

use super::lines::Lines;
use super::record::{OrderStatus, parse_cip_status};
use super::table::{self, Entry, NO_TIME, Table};

/// Header names of a merchant's orders file. Matching ignores case and
/// surrounding spaces. `None` for an optional column means "not in the file".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderColumns {
    pub order_id: String,
    pub currency: String,
    pub amount: String,
    pub status: String,
    pub cip: Option<String>,
    pub expires_at: Option<String>,
    pub paid_at: Option<String>,
    pub refunded_amount: Option<String>,
    /// Optional fields mapped through `set`: a typo there is an error, while a
    /// default name that is absent just means the file lacks the column.
    explicit: Vec<&'static str>,
}

impl Default for OrderColumns {
    fn default() -> Self {
        OrderColumns {
            order_id: "order_id".into(),
            currency: "currency".into(),
            amount: "amount".into(),
            status: "status".into(),
            cip: Some("cip".into()),
            expires_at: Some("expires_at".into()),
            paid_at: Some("paid_at".into()),
            refunded_amount: Some("refunded_amount".into()),
            explicit: Vec::new(),
        }
    }
}

impl OrderColumns {
    /// Maps `field` (`order_id`, `currency`, `amount`, `status`, `cip`,
    /// `expires_at`, `paid_at`, `refunded_amount`) to a header name; an empty
    /// name drops an optional column.
    pub fn set(&mut self, field: &str, column: &str) -> Result<(), Error> {
        let opt = (!column.is_empty()).then(|| column.to_owned());
        match field {
            "order_id" => self.order_id = column.into(),
            "currency" => self.currency = column.into(),
            "amount" => self.amount = column.into(),
            "status" => self.status = column.into(),
            "cip" => self.cip = opt,
            "expires_at" => self.expires_at = opt,
            "paid_at" => self.paid_at = opt,
            "refunded_amount" => self.refunded_amount = opt,
            other => {
                return Err(unknown_field(
                    other,
                    "order_id, currency, amount, status, cip, expires_at, paid_at, refunded_amount",
                ));
            }
        }
        mark(&mut self.explicit, field);
        Ok(())
    }
}

/// Header names of a PagoEfectivo report file (the merchant's download).
/// Without a `status` column every row is a payment; without `settled_at`
/// or `refunded_amount` those checks are skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportColumns {
    pub cip: String,
    pub currency: String,
    pub amount: String,
    pub transaction_code: Option<String>,
    pub status: Option<String>,
    pub paid_at: Option<String>,
    pub settled_at: Option<String>,
    pub refunded_amount: Option<String>,
    explicit: Vec<&'static str>,
}

impl Default for ReportColumns {
    fn default() -> Self {
        ReportColumns {
            cip: "cip".into(),
            currency: "currency".into(),
            amount: "amount".into(),
            transaction_code: Some("transaction_code".into()),
            status: Some("status".into()),
            paid_at: Some("paid_at".into()),
            settled_at: Some("settled_at".into()),
            refunded_amount: Some("refunded_amount".into()),
            explicit: Vec::new(),
        }
    }
}

impl ReportColumns {
    /// Maps `field` (`cip`, `currency`, `amount`, `transaction_code`,
    /// `status`, `paid_at`, `settled_at`, `refunded_amount`) to a header name.
    pub fn set(&mut self, field: &str, column: &str) -> Result<(), Error> {
        let opt = (!column.is_empty()).then(|| column.to_owned());
        match field {
            "cip" => self.cip = column.into(),
            "currency" => self.currency = column.into(),
            "amount" => self.amount = column.into(),
            "transaction_code" => self.transaction_code = opt,
            "status" => self.status = opt,
            "paid_at" => self.paid_at = opt,
            "settled_at" => self.settled_at = opt,
            "refunded_amount" => self.refunded_amount = opt,
            other => {
                return Err(unknown_field(
                    other,
                    "cip, currency, amount, transaction_code, status, paid_at, settled_at, refunded_amount",
                ));
            }
        }
        mark(&mut self.explicit, field);
        Ok(())
    }
}

fn mark(explicit: &mut Vec<&'static str>, field: &str) {
    const FIELDS: [&str; 7] =
        ["cip", "expires_at", "paid_at", "refunded_amount", "transaction_code", "status", "settled_at"];
    if let Some(f) = FIELDS.iter().find(|f| **f == field) {
        explicit.push(f);
    }
}

fn unknown_field(field: &str, known: &str) -> Error {
    Error::validation(vec![FieldError::invalid("column", format!("unknown field {field:?}; known: {known}"))])
}

/// Column positions, found by name in the header row.
struct Layout {
    names: Vec<String>,
}

impl Layout {
    fn read<R: Read>(rdr: &mut csv::Reader<R>, what: &str) -> Result<Layout, Error> {
        let headers = rdr.byte_headers().map_err(|e| csv_error(e, what))?;
        let names = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                // Spreadsheet exports often start with a byte-order mark.
                let h = if i == 0 { h.trim_start_matches('\u{feff}') } else { &h };
                h.trim().to_owned()
            })
            .collect();
        Ok(Layout { names })
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name.trim()))
    }

    /// A required column's position, or `validation_error` naming it.
    fn required(&self, name: &str, what: &str) -> Result<usize, Error> {
        self.find(name).ok_or_else(|| {
            let message =
                format!("column {name:?} not found in the {what} header ({})", self.names.join(", "));
            let mut fe = FieldError::required(name);
            fe.message = message;
            Error::validation(vec![fe]).with_reason("missing_column")
        })
    }

    /// An optional column: an error only when the caller mapped it explicitly.
    fn optional(
        &self,
        name: &Option<String>,
        field: &str,
        explicit: &[&str],
        what: &str,
    ) -> Result<Option<usize>, Error> {
        match name.as_deref() {
            None => Ok(None),
            Some(n) if explicit.contains(&field) => self.required(n, what).map(Some),
            Some(n) => Ok(self.find(n)),
        }
    }
}

fn csv_error(e: csv::Error, what: &str) -> Error {
    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
        return Error::new(ErrorCode::IoError, format!("cannot read the {what}: {e}"));
    }
    Error::new(ErrorCode::ValidationError, format!("cannot read the {what}: {e}"))
        .with_reason("malformed_csv")
}

fn bad_value(column: &str, line: u64, why: &str, value: &[u8]) -> Error {
    let shown: String = String::from_utf8_lossy(value).chars().take(40).collect();
    Error::validation(vec![FieldError::invalid(column, format!("line {line}: {why}: {shown:?}"))])
        .with_reason("bad_value")
}

fn reader<R: Read>(input: R) -> csv::Reader<Lines<R>> {
    // Large buffer: the parser then runs in long uninterrupted stretches.
    csv::ReaderBuilder::new().has_headers(true).buffer_capacity(1 << 18).from_reader(Lines::new(input))
}

fn cell(rec: &ByteRecord, i: Option<usize>) -> &[u8] {
    i.and_then(|i| rec.get(i)).unwrap_or(b"")
}

/// The line an editor shows for `rec` (see `lines.rs`: the csv crate's own count is off for CRLF).
fn line_of<R: Read>(rdr: &mut csv::Reader<Lines<R>>, rec: &ByteRecord) -> u64 {
    rec.position().map_or(0, |p| rdr.get_mut().line_at(p.byte()))
}

fn time_cell(rec: &ByteRecord, i: Option<usize>, name: &Option<String>, line: u64) -> Result<i64, Error> {
    let b = cell(rec, i);
    table::parse_time_bytes(b).map_err(|_| bad_value(name.as_deref().unwrap_or(""), line, "not a time", b))
}

/// Streams an orders CSV into `table`, one reused byte record, no per-row allocation.
pub(crate) fn read_orders<R: Read>(input: R, cols: &OrderColumns, table: &mut Table) -> Result<(), Error> {
    let what = "orders CSV";
    let mut rdr = reader(input);
    let layout = Layout::read(&mut rdr, what)?;
    let id = layout.required(&cols.order_id, what)?;
    let cur = layout.required(&cols.currency, what)?;
    let amt = layout.required(&cols.amount, what)?;
    let st = layout.required(&cols.status, what)?;
    let cip = layout.optional(&cols.cip, "cip", &cols.explicit, what)?;
    let exp = layout.optional(&cols.expires_at, "expires_at", &cols.explicit, what)?;
    let paid = layout.optional(&cols.paid_at, "paid_at", &cols.explicit, what)?;
    let refd = layout.optional(&cols.refunded_amount, "refunded_amount", &cols.explicit, what)?;
    let mut rec = ByteRecord::new();
    while rdr.read_byte_record(&mut rec).map_err(|e| csv_error(e, what))? {
        let line = line_of(&mut rdr, &rec);
        let (text_start, text_len, text_hash) = table.push_text(cell(&rec, Some(id)))?;
        if text_len == 0 {
            return Err(bad_value(&cols.order_id, line, "empty order id", b""));
        }
        let b = cell(&rec, Some(cur));
        let currency = table::parse_currency_bytes(b)
            .ok_or_else(|| bad_value(&cols.currency, line, "currency must be PEN or USD", b))?;
        let b = cell(&rec, Some(amt));
        let amount = table::parse_amount_bytes(b)
            .ok_or_else(|| bad_value(&cols.amount, line, "not a decimal amount", b))?;
        let b = cell(&rec, Some(st));
        let status = std::str::from_utf8(b).ok().and_then(OrderStatus::parse).ok_or_else(|| {
            bad_value(&cols.status, line, "unknown order status (pending, paid, closed...)", b)
        })?;
        let b = cell(&rec, cip);
        let cip_n = table::parse_cip_bytes(b)
            .ok_or_else(|| bad_value(cols.cip.as_deref().unwrap_or(""), line, "not a CIP number", b))?;
        let b = cell(&rec, refd);
        let refunded = if b.trim_ascii().is_empty() {
            rust_decimal::Decimal::ZERO
        } else {
            table::parse_amount_bytes(b).ok_or_else(|| {
                bad_value(cols.refunded_amount.as_deref().unwrap_or(""), line, "not a decimal amount", b)
            })?
        };
        table.push(Entry {
            cip: cip_n,
            text_hash,
            amount,
            refunded,
            expires_at: time_cell(&rec, exp, &cols.expires_at, line)?,
            paid_at: time_cell(&rec, paid, &cols.paid_at, line)?,
            settled_at: NO_TIME,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            text_start,
            text_len,
            status: status.code(),
            currency,
        })?;
    }
    Ok(())
}

/// What a report file turned out to contain, for the checks that need it.
pub(crate) struct ReportShape {
    pub settlement: bool,
    pub refunds: bool,
}

/// Streams a PagoEfectivo report CSV into `table`.
pub(crate) fn read_report<R: Read>(
    input: R,
    cols: &ReportColumns,
    table: &mut Table,
) -> Result<ReportShape, Error> {
    let what = "report CSV";
    let mut rdr = reader(input);
    let layout = Layout::read(&mut rdr, what)?;
    let cip = layout.required(&cols.cip, what)?;
    let cur = layout.required(&cols.currency, what)?;
    let amt = layout.required(&cols.amount, what)?;
    let tc = layout.optional(&cols.transaction_code, "transaction_code", &cols.explicit, what)?;
    let st = layout.optional(&cols.status, "status", &cols.explicit, what)?;
    let paid = layout.optional(&cols.paid_at, "paid_at", &cols.explicit, what)?;
    let settled = layout.optional(&cols.settled_at, "settled_at", &cols.explicit, what)?;
    let refd = layout.optional(&cols.refunded_amount, "refunded_amount", &cols.explicit, what)?;
    let paid_code = crate::cip::CipStatus::Paid.code();
    let mut rec = ByteRecord::new();
    while rdr.read_byte_record(&mut rec).map_err(|e| csv_error(e, what))? {
        let line = line_of(&mut rdr, &rec);
        let b = cell(&rec, Some(cip));
        let cip_n =
            table::parse_cip_bytes(b).ok_or_else(|| bad_value(&cols.cip, line, "not a CIP number", b))?;
        let (text_start, text_len, text_hash) = table.push_text(cell(&rec, tc))?;
        if cip_n == 0 && text_len == 0 {
            return Err(bad_value(&cols.cip, line, "a row needs a CIP or a transaction code", b""));
        }
        let b = cell(&rec, Some(cur));
        let currency = table::parse_currency_bytes(b)
            .ok_or_else(|| bad_value(&cols.currency, line, "currency must be PEN or USD", b))?;
        let b = cell(&rec, Some(amt));
        let amount = table::parse_amount_bytes(b)
            .ok_or_else(|| bad_value(&cols.amount, line, "not a decimal amount", b))?;
        let status = match st {
            None => paid_code,
            Some(i) => {
                let b = cell(&rec, Some(i));
                if b.trim_ascii().is_empty() {
                    paid_code
                } else {
                    std::str::from_utf8(b).ok().and_then(parse_cip_status).map(|s| s.code()).ok_or_else(
                        || bad_value(cols.status.as_deref().unwrap_or(""), line, "unknown CIP status", b),
                    )?
                }
            }
        };
        let b = cell(&rec, refd);
        let refunded = if b.trim_ascii().is_empty() {
            rust_decimal::Decimal::ZERO
        } else {
            table::parse_amount_bytes(b).ok_or_else(|| {
                bad_value(cols.refunded_amount.as_deref().unwrap_or(""), line, "not a decimal amount", b)
            })?
        };
        table.push(Entry {
            cip: cip_n,
            text_hash,
            amount,
            refunded,
            expires_at: NO_TIME,
            paid_at: time_cell(&rec, paid, &cols.paid_at, line)?,
            settled_at: time_cell(&rec, settled, &cols.settled_at, line)?,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            text_start,
            text_len,
            status,
            currency,
        })?;
    }
    Ok(ReportShape { settlement: settled.is_some(), refunds: refd.is_some() })
}
