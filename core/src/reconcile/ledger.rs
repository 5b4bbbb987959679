//! The two loaded sides: the merchant's `Orders` and PagoEfectivo's `Payments`, from records, CSV or JSON lines.

use std::fs::File;
use std::io::{BufRead, Read};
use std::path::Path;

use crate::error::{Error, ErrorCode, FieldError};

use super::columns::{self, OrderColumns, ReportColumns};
use super::record::{Order, PaymentRecord};
use super::table::{self, Table};

/// What the PagoEfectivo side can vouch for, which decides the checks that apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Every CIP of the orders was asked for (a `cips/search` sweep): an
    /// order's CIP missing from the answer is unknown to PagoEfectivo.
    pub every_order_cip: bool,
    /// Rows say whether (and when) the money was paid out to the merchant.
    pub settlement: bool,
    /// Rows carry PagoEfectivo's refunded amount.
    pub refunds: bool,
}

/// The merchant's side, held compactly (about 90 bytes a row plus the order ids).
#[derive(Clone, Debug, Default)]
pub struct Orders {
    pub(crate) table: Table,
}

/// PagoEfectivo's side, held compactly, with what its source covers.
#[derive(Clone, Debug, Default)]
pub struct Payments {
    pub(crate) table: Table,
    pub(crate) coverage: Coverage,
}

pub(crate) fn open(path: &Path, what: &str) -> Result<File, Error> {
    File::open(path).map_err(|e| {
        Error::new(ErrorCode::IoError, format!("cannot open the {what} {}: {e}", path.display()))
    })
}

fn json_line_error(what: &str, line: usize, e: Error) -> Error {
    let fields = e
        .field_errors()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.message = format!("line {line}: {}", f.message);
            f
        })
        .collect::<Vec<_>>();
    if fields.is_empty() {
        Error::new(e.code(), format!("{what} line {line}: {}", e.message()))
    } else {
        Error::validation(fields).with_reason("bad_value")
    }
}

/// Calls `each` with every non-blank line of a JSON-lines stream, parsed.
fn json_lines<R: BufRead>(
    input: R,
    what: &str,
    mut each: impl FnMut(&serde_json::Value, usize) -> Result<(), Error>,
) -> Result<(), Error> {
    for (i, line) in input.lines().enumerate() {
        let line =
            line.map_err(|e| Error::new(ErrorCode::IoError, format!("cannot read the {what}: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| {
            Error::validation(vec![FieldError::invalid("line", format!("line {}: not JSON: {e}", i + 1))])
                .with_reason("bad_value")
        })?;
        each(&value, i + 1).map_err(|e| json_line_error(what, i + 1, e))?;
    }
    Ok(())
}

impl Orders {
    pub fn len(&self) -> usize {
        self.table.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.entries.is_empty()
    }

    /// Orders passed from code.
    /// Records passed from code; `coverage` says what they vouch for.
    pub fn from_records<'a>(orders: impl IntoIterator<Item = &'a Order>) -> Result<Orders, Error> {
        let mut table = Table::default();
        for (i, o) in orders.into_iter().enumerate() {
            let e = table::order_entry(&mut table, o, u32::try_from(i + 1).unwrap_or(u32::MAX))?;
            table.push(e)?;
        }
        Ok(Orders { table })
    }

    /// A CSV stream with a header row, columns found by name.
    pub fn from_csv<R: Read>(input: R, columns: &OrderColumns) -> Result<Orders, Error> {
        let mut table = Table::default();
        columns::read_orders(input, columns, &mut table)?;
        Ok(Orders { table })
    }

    pub fn from_csv_path(path: impl AsRef<Path>, columns: &OrderColumns) -> Result<Orders, Error> {
        Orders::from_csv(open(path.as_ref(), "orders file")?, columns)
    }

    /// One JSON object per line, keys as [`Order::from_json`] reads them.
    pub fn from_json_lines<R: BufRead>(input: R) -> Result<Orders, Error> {
        let mut table = Table::default();
        json_lines(input, "orders JSON lines", |v, line| {
            let e = table::order_entry(
                &mut table,
                &Order::from_json(v)?,
                u32::try_from(line).unwrap_or(u32::MAX),
            )?;
            table.push(e)
        })?;
        Ok(Orders { table })
    }

    pub fn from_json_lines_path(path: impl AsRef<Path>) -> Result<Orders, Error> {
        Orders::from_json_lines(std::io::BufReader::new(open(path.as_ref(), "orders file")?))
    }

    /// The distinct CIPs of the orders, in first-seen order (for a search sweep).
    pub fn cips(&self) -> Vec<u64> {
        let mut seen = std::collections::HashSet::with_capacity(self.len());
        self.table.entries.iter().map(|e| e.cip).filter(|&c| c != 0 && seen.insert(c)).collect()
    }
}

impl Payments {
    pub fn len(&self) -> usize {
        self.table.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.entries.is_empty()
    }

    pub fn coverage(&self) -> Coverage {
        self.coverage
    }

    /// The rows as records, in source order (for a language binding or a dump; the
    /// reconciliation itself reads the compact table).
    pub fn records(&self) -> Vec<PaymentRecord> {
        self.table.entries.iter().map(|e| table::payment_record(&self.table, e)).collect()
    }

    /// Records passed from code; `coverage` says what they vouch for.
    pub fn from_records<'a>(
        records: impl IntoIterator<Item = &'a PaymentRecord>,
        coverage: Coverage,
    ) -> Result<Payments, Error> {
        let mut p = Payments { table: Table::default(), coverage };
        for r in records {
            p.push(r)?;
        }
        Ok(p)
    }

    /// Adds one record (used by the search sweep and the report endpoint).
    pub fn push(&mut self, record: &PaymentRecord) -> Result<(), Error> {
        let line = u32::try_from(self.len() + 1).unwrap_or(u32::MAX);
        let e = table::payment_entry(&mut self.table, record, line)?;
        self.table.push(e)
    }

    /// A report file the merchant downloaded: CSV with a header row, columns
    /// found by name. Settlement and refund checks apply when their columns are mapped.
    pub fn from_report_csv<R: Read>(input: R, columns: &ReportColumns) -> Result<Payments, Error> {
        let mut table = Table::default();
        let shape = columns::read_report(input, columns, &mut table)?;
        let coverage =
            Coverage { every_order_cip: false, settlement: shape.settlement, refunds: shape.refunds };
        Ok(Payments { table, coverage })
    }

    pub fn from_report_csv_path(path: impl AsRef<Path>, columns: &ReportColumns) -> Result<Payments, Error> {
        Payments::from_report_csv(open(path.as_ref(), "report file")?, columns)
    }

    /// One JSON object per line, keys as [`PaymentRecord::from_json`] reads them.
    pub fn from_json_lines<R: BufRead>(input: R, coverage: Coverage) -> Result<Payments, Error> {
        let mut p = Payments { table: Table::default(), coverage };
        json_lines(input, "payments JSON lines", |v, _| p.push(&PaymentRecord::from_json(v)?))?;
        Ok(p)
    }

    pub fn from_json_lines_path(path: impl AsRef<Path>, coverage: Coverage) -> Result<Payments, Error> {
        Payments::from_json_lines(std::io::BufReader::new(open(path.as_ref(), "report file")?), coverage)
    }
}

/// [`load_csv_pair`] from file paths.
pub fn load_csv_files(
    orders: impl AsRef<Path>,
    order_columns: &OrderColumns,
    report: impl AsRef<Path>,
    report_columns: &ReportColumns,
) -> Result<(Orders, Payments), Error> {
    let orders = open(orders.as_ref(), "orders file")?;
    let report = open(report.as_ref(), "report file")?;
    load_csv_pair(orders, order_columns, report, report_columns)
}

/// Loads both CSV files at once, one thread per side: parsing dominates a
/// large run, and the sides are independent.
pub fn load_csv_pair<A: Read + Send, B: Read + Send>(
    orders: A,
    order_columns: &OrderColumns,
    report: B,
    report_columns: &ReportColumns,
) -> Result<(Orders, Payments), Error> {
    std::thread::scope(|s| {
        let pe = s.spawn(|| Payments::from_report_csv(report, report_columns));
        let merchant = Orders::from_csv(orders, order_columns);
        let pe = pe.join().unwrap_or_else(|_| {
            Err(Error::new(ErrorCode::ValidationError, "the report reader thread panicked"))
        });
        Ok((merchant?, pe?))
    })
}
