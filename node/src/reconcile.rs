//! Reconciliation for JavaScript: the two sides held natively (records, CSV, JSON lines), the run and its outputs.
//!
//! Everything that reads files or runs the engine is a Promise computed on a
//! blocking thread of the runtime, never on the event loop.

use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;

use napi::bindgen_prelude::{Env, PromiseRaw};
use napi_derive::napi;
use pagoefectivo::boundary::input;
use pagoefectivo::boundary::ops;
use pagoefectivo::reconcile::{
    self, Coverage, EXCEPTION_COLUMNS, Options, Order, OrderColumns, Orders, PaymentRecord, Payments,
    Reconciliation, ReportColumns,
};
use pagoefectivo::{Error, ErrorCode, FieldError};
use serde_json::Value;

use crate::errors::{IntoNapi, Result, blocking, parse};

fn create(path: &str) -> std::result::Result<BufWriter<File>, Error> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot create {path}: {e}")))
}

/// `orderId` -> `order_id`: column mappings may use the JS spelling of the core's field names.
fn snake(field: &str) -> String {
    field.chars().fold(String::with_capacity(field.len() + 4), |mut out, c| {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        out
    })
}

/// Applies `{field: headerName}` (`null`: drop an optional column) through the core's `set`.
fn columns(v: &Value, mut set: impl FnMut(&str, &str) -> std::result::Result<(), Error>) -> Result<()> {
    match v {
        Value::Null => Ok(()),
        Value::Object(m) => m
            .iter()
            .try_for_each(|(field, name)| match name {
                Value::String(name) => set(&snake(field), name),
                Value::Null => set(&snake(field), ""),
                _ => Err(Error::invalid_field("columns", format!("{field} must name a header (a string)"))),
            })
            .napi(),
        _ => Err(Error::invalid_field("columns", "must be an object of field: header name")).napi(),
    }
}

fn order_columns(text: &str) -> Result<OrderColumns> {
    let mut c = OrderColumns::default();
    columns(&parse(text).napi()?, |f, n| c.set(f, n))?;
    Ok(c)
}

fn report_columns(text: &str) -> Result<ReportColumns> {
    let mut c = ReportColumns::default();
    columns(&parse(text).napi()?, |f, n| c.set(f, n))?;
    Ok(c)
}

/// Money in records written from code follows the boundary's money rule (a binary float is
/// refused, by name: `orders[3].amount`); the core's record readers also take files, whose
/// numbers are exact text. Every record is checked, so every problem comes at once.
fn caller_money(records: &[Value], side: &str) -> std::result::Result<(), Error> {
    let mut problems: Vec<FieldError> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        for key in ["amount", "refundedAmount"] {
            if let Some(v) = input::get(r, key).filter(|v| v.is_number())
                && let Err(e) = input::money(v, &format!("{side}[{i}].{key}"))
            {
                problems.extend(e.field_errors().iter().cloned());
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(Error::invalid_fields(problems)) }
}

/// An array of records from code, its money checked.
fn records(text: &str, side: &str) -> std::result::Result<Vec<Value>, Error> {
    match parse(text)? {
        Value::Array(items) => caller_money(&items, side).map(|_| items),
        _ => Err(Error::invalid_field(side, "must be an array of records")),
    }
}

/// The merchant's orders, held compactly by the core.
#[napi]
pub struct NativeOrders {
    pub(crate) inner: Arc<Orders>,
}

impl NativeOrders {
    fn new(orders: Orders) -> NativeOrders {
        NativeOrders { inner: Arc::new(orders) }
    }
}

#[napi]
impl NativeOrders {
    /// From an array of order records (JSON text).
    #[napi(ts_return_type = "Promise<NativeOrders>")]
    pub async fn from_records(records_json: String) -> Result<NativeOrders> {
        blocking(move || {
            let items = records(&records_json, "orders")?;
            let list = items.iter().map(Order::from_json).collect::<std::result::Result<Vec<_>, _>>()?;
            Orders::from_records(&list)
        })
        .await
        .map(NativeOrders::new)
    }

    /// A CSV file with a header row; `columns` (JSON) maps fields to header names.
    #[napi(ts_return_type = "Promise<NativeOrders>")]
    pub async fn from_csv(path: String, columns: String) -> Result<NativeOrders> {
        let columns = order_columns(&columns)?;
        blocking(move || Orders::from_csv_path(&path, &columns)).await.map(NativeOrders::new)
    }

    /// One JSON object per line.
    #[napi(ts_return_type = "Promise<NativeOrders>")]
    pub async fn from_json_lines(path: String) -> Result<NativeOrders> {
        blocking(move || Orders::from_json_lines_path(&path)).await.map(NativeOrders::new)
    }

    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.inner.len() as u32
    }

    /// The distinct CIPs of the orders, in first-seen order.
    #[napi]
    pub fn cips(&self) -> Vec<f64> {
        self.inner.cips().into_iter().map(|c| c as f64).collect()
    }
}

/// What a PagoEfectivo source vouches for.
#[napi(object)]
pub struct CoverageFlags {
    pub every_order_cip: bool,
    pub settlement: bool,
    pub refunds: bool,
}

/// PagoEfectivo's side, with what its source covers (and, from the report endpoint, the next cursor).
#[napi]
pub struct NativePayments {
    pub(crate) inner: Arc<Payments>,
    pub(crate) next_cursor: Option<String>,
}

impl NativePayments {
    pub(crate) fn new(payments: Payments) -> NativePayments {
        NativePayments { inner: Arc::new(payments), next_cursor: None }
    }
}

#[napi]
impl NativePayments {
    /// From an array of payment records (JSON text); `coverage` (JSON) `{everyOrderCip, settlement, refunds}`.
    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub async fn from_records(records_json: String, coverage: String) -> Result<NativePayments> {
        let coverage = Coverage::from_json(&parse(&coverage).napi()?);
        blocking(move || {
            let items = records(&records_json, "payments")?;
            let list =
                items.iter().map(PaymentRecord::from_json).collect::<std::result::Result<Vec<_>, _>>()?;
            Payments::from_records(&list, coverage)
        })
        .await
        .map(NativePayments::new)
    }

    /// A report file downloaded from PagoEfectivo (CSV with a header row).
    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub async fn from_report_csv(path: String, columns: String) -> Result<NativePayments> {
        let columns = report_columns(&columns)?;
        blocking(move || Payments::from_report_csv_path(&path, &columns)).await.map(NativePayments::new)
    }

    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub async fn from_json_lines(path: String, coverage: String) -> Result<NativePayments> {
        let coverage = Coverage::from_json(&parse(&coverage).napi()?);
        blocking(move || Payments::from_json_lines_path(&path, coverage)).await.map(NativePayments::new)
    }

    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.inner.len() as u32
    }

    #[napi(getter)]
    pub fn coverage(&self) -> CoverageFlags {
        let c = self.inner.coverage();
        CoverageFlags { every_order_cip: c.every_order_cip, settlement: c.settlement, refunds: c.refunds }
    }

    /// From the settlement report: where the next incremental run starts.
    #[napi(getter)]
    pub fn next_cursor(&self) -> Option<String> {
        self.next_cursor.clone()
    }
}

/// Both CSV files, read at once (one thread per side).
#[napi]
pub struct NativeCsvPair {
    orders: Arc<Orders>,
    payments: Arc<Payments>,
}

#[napi]
impl NativeCsvPair {
    #[napi]
    pub fn orders(&self) -> NativeOrders {
        NativeOrders { inner: self.orders.clone() }
    }

    #[napi]
    pub fn payments(&self) -> NativePayments {
        NativePayments { inner: self.payments.clone(), next_cursor: None }
    }
}

#[napi(ts_return_type = "Promise<NativeCsvPair>")]
pub async fn load_csv_pair(
    orders_path: String,
    order_columns: String,
    report_path: String,
    report_columns: String,
) -> Result<NativeCsvPair> {
    let (oc, rc) = (self::order_columns(&order_columns)?, self::report_columns(&report_columns)?);
    let (orders, payments) =
        blocking(move || reconcile::load_csv_files(&orders_path, &oc, &report_path, &rc)).await?;
    Ok(NativeCsvPair { orders: Arc::new(orders), payments: Arc::new(payments) })
}

/// A finished run: summary, exceptions and the report writers.
#[napi]
pub struct NativeReconciliation {
    inner: Arc<Reconciliation>,
}

#[napi]
impl NativeReconciliation {
    /// The summary as JSON text (money as decimal strings).
    #[napi]
    pub fn summary_json(&self) -> Result<String> {
        ops::data(&self.inner.summary).map(|v| v.to_string()).napi()
    }

    /// The exceptions as JSON text, in source order (orders first).
    #[napi]
    pub fn exceptions_json(&self) -> Result<String> {
        ops::data(&self.inner.exceptions).map(|v| v.to_string()).napi()
    }

    /// The self-contained HTML report.
    #[napi]
    pub fn to_html(&self) -> String {
        self.inner.to_html()
    }

    #[napi]
    pub async fn write_exceptions_csv(&self, path: String) -> Result<()> {
        let r = self.inner.clone();
        blocking(move || r.write_exceptions_csv(create(&path)?)).await
    }

    #[napi]
    pub async fn write_exceptions_json_lines(&self, path: String) -> Result<()> {
        let r = self.inner.clone();
        blocking(move || r.write_exceptions_json_lines(create(&path)?)).await
    }

    #[napi]
    pub async fn write_summary_json(&self, path: String) -> Result<()> {
        let r = self.inner.clone();
        blocking(move || r.write_summary_json(create(&path)?)).await
    }

    #[napi]
    pub async fn write_html(&self, path: String) -> Result<()> {
        let r = self.inner.clone();
        blocking(move || r.write_html(create(&path)?)).await
    }
}

/// Runs the engine on a blocking thread; `options` (JSON) `{amountTolerance, settlementDays, asOf, extraHolidays}`.
#[napi(ts_return_type = "Promise<NativeReconciliation>")]
pub fn reconcile<'env>(
    env: &'env Env,
    orders: &NativeOrders,
    payments: &NativePayments,
    options: String,
) -> Result<PromiseRaw<'env, NativeReconciliation>> {
    let options = Options::from_json(&parse(&options).napi()?).napi()?;
    let (o, p) = (orders.inner.clone(), payments.inner.clone());
    env.spawn_future(async move {
        let result = blocking(move || Ok(reconcile::reconcile(&o, &p, &options))).await?;
        Ok(NativeReconciliation { inner: Arc::new(result) })
    })
}

/// A whole run from plain data `{orders, payments, coverage?, options?}` (the core's `reconcile.run`,
/// records' money checked as in `fromRecords`); resolves to `{summary, exceptions}` as JSON text.
#[napi]
pub async fn reconcile_json(input_json: String) -> Result<String> {
    blocking(move || {
        let input = parse(&input_json)?;
        for side in ["orders", "payments"] {
            if let Some(Value::Array(items)) = input.get(side) {
                caller_money(items, side)?;
            }
        }
        Ok(ops::call("reconcile.run", &input)?.to_string())
    })
    .await
}

/// Columns of the exceptions CSV, in order.
#[napi]
pub fn exception_columns() -> Vec<String> {
    EXCEPTION_COLUMNS.iter().map(|c| (*c).to_owned()).collect()
}
