//! Reconciliation for JavaScript: the two sides (records, CSV, JSON lines), the run and its outputs.
//!
//! Everything that reads files or runs the engine is a Promise computed on a
//! blocking thread of the runtime, never on the event loop.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::sync::Arc;

use chrono::NaiveDate;
use napi::bindgen_prelude::{Env, Function, PromiseRaw};
use napi::threadsafe_function::ThreadsafeFunction;
use napi_derive::napi;
use pagoefectivo::reconcile::{
    self, Coverage, EXCEPTION_COLUMNS, Options, Order, OrderColumns, Orders, PaymentRecord, Payments,
    Reconciliation, ReportColumns,
};
use pagoefectivo::{Error, ErrorCode};
use serde_json::Value;

use crate::client::{from_json, to_json};
use crate::convert;
use crate::errors::{self, IntoNapi, Result};

/// Progress reports (`[done, total]`) to a JS function; weak, like every callback of this addon.
pub(crate) type Progress = ThreadsafeFunction<Vec<f64>, (), Vec<f64>, napi::Status, false, true>;

pub(crate) fn progress(callback: Option<Function<'_, Vec<f64>, ()>>) -> Result<Option<Progress>> {
    callback
        .map(|cb| {
            cb.build_threadsafe_function::<Vec<f64>>()
                .callee_handled::<false>()
                .weak::<true>()
                .build()
                .map_err(|e| errors::config(e.reason.clone()))
        })
        .transpose()
}

/// Runs `work` on a blocking thread of the runtime (file reading, CSV parsing, the engine).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::result::Result<T, Error> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| errors::other(ErrorCode::IoError, format!("the reconciliation task failed: {e}")))?
        .napi()
}

fn open(path: &str, what: &str) -> std::result::Result<File, Error> {
    File::open(path)
        .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot open the {what} {path}: {e}")))
}

fn create(path: &str) -> std::result::Result<BufWriter<File>, Error> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot create {path}: {e}")))
}

/// `orderId` -> `order_id`: column mappings may use the JS spelling of the core's field names.
fn snake(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 4);
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Applies `{field: headerName}` through the core's `set` (which knows the fields).
fn columns(v: &Value, mut set: impl FnMut(&str, &str) -> std::result::Result<(), Error>) -> Result<()> {
    match v {
        Value::Null => Ok(()),
        Value::Object(m) => m.iter().try_for_each(|(field, name)| match name {
            Value::String(name) => set(&snake(field), name).napi(),
            Value::Null => set(&snake(field), "").napi(),
            _ => Err(errors::invalid_field("columns", format!("{field} must name a header (a string)"))),
        }),
        _ => Err(errors::invalid_field("columns", "must be an object of field: header name")),
    }
}

fn order_columns(v: &Value) -> Result<OrderColumns> {
    let mut c = OrderColumns::default();
    columns(v, |f, n| c.set(f, n))?;
    Ok(c)
}

fn report_columns(v: &Value) -> Result<ReportColumns> {
    let mut c = ReportColumns::default();
    columns(v, |f, n| c.set(f, n))?;
    Ok(c)
}

fn list(text: &str, what: &str) -> Result<Vec<Value>> {
    match from_json(text)? {
        Value::Array(items) => {
            convert::refuse_number_money(&items, what)?;
            Ok(items)
        }
        _ => Err(errors::invalid_field(what, "must be an array of records")),
    }
}

pub(crate) fn date(field: &str, text: &str) -> Result<NaiveDate> {
    text.parse()
        .map_err(|_| errors::invalid_field(field, format!("must be a date like 2026-11-24, got {text:?}")))
}

/// The merchant's orders, held compactly by the core.
#[napi]
pub struct NativeOrders {
    pub(crate) inner: Arc<Orders>,
}

#[napi]
impl NativeOrders {
    /// From an array of order records (JSON text).
    #[napi(ts_return_type = "Promise<NativeOrders>")]
    pub async fn from_records(records_json: String) -> Result<NativeOrders> {
        let items = list(&records_json, "orders")?;
        let orders = blocking(move || {
            let records = items.iter().map(Order::from_json).collect::<std::result::Result<Vec<_>, _>>()?;
            Orders::from_records(&records)
        })
        .await?;
        Ok(NativeOrders { inner: Arc::new(orders) })
    }

    /// A CSV file with a header row; `columns` maps fields to header names.
    #[napi(ts_return_type = "Promise<NativeOrders>")]
    pub async fn from_csv(path: String, columns: Value) -> Result<NativeOrders> {
        let columns = order_columns(&columns)?;
        let orders = blocking(move || Orders::from_csv(open(&path, "orders file")?, &columns)).await?;
        Ok(NativeOrders { inner: Arc::new(orders) })
    }

    /// One JSON object per line.
    #[napi(ts_return_type = "Promise<NativeOrders>")]
    pub async fn from_json_lines(path: String) -> Result<NativeOrders> {
        let orders =
            blocking(move || Orders::from_json_lines(BufReader::new(open(&path, "orders file")?))).await?;
        Ok(NativeOrders { inner: Arc::new(orders) })
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
    /// From an array of payment records (JSON text); `coverage` `{everyOrderCip, settlement, refunds}`.
    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub async fn from_records(records_json: String, coverage: Value) -> Result<NativePayments> {
        let items = list(&records_json, "payments")?;
        let coverage = Coverage::from_json(&coverage);
        let payments = blocking(move || {
            let records =
                items.iter().map(PaymentRecord::from_json).collect::<std::result::Result<Vec<_>, _>>()?;
            Payments::from_records(&records, coverage)
        })
        .await?;
        Ok(NativePayments::new(payments))
    }

    /// A report file downloaded from PagoEfectivo (CSV with a header row).
    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub async fn from_report_csv(path: String, columns: Value) -> Result<NativePayments> {
        let columns = report_columns(&columns)?;
        let payments =
            blocking(move || Payments::from_report_csv(open(&path, "report file")?, &columns)).await?;
        Ok(NativePayments::new(payments))
    }

    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub async fn from_json_lines(path: String, coverage: Value) -> Result<NativePayments> {
        let coverage = Coverage::from_json(&coverage);
        let payments = blocking(move || {
            Payments::from_json_lines(BufReader::new(open(&path, "payments file")?), coverage)
        })
        .await?;
        Ok(NativePayments::new(payments))
    }

    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.inner.len() as u32
    }

    #[napi(getter, ts_return_type = "{ everyOrderCip: boolean; settlement: boolean; refunds: boolean }")]
    pub fn coverage(&self) -> Value {
        let c = self.inner.coverage();
        serde_json::json!({ "everyOrderCip": c.every_order_cip, "settlement": c.settlement, "refunds": c.refunds })
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
    order_columns: Value,
    report_path: String,
    report_columns: Value,
) -> Result<NativeCsvPair> {
    let oc = self::order_columns(&order_columns)?;
    let rc = self::report_columns(&report_columns)?;
    let (orders, payments) = blocking(move || {
        reconcile::load_csv_pair(
            open(&orders_path, "orders file")?,
            &oc,
            open(&report_path, "report file")?,
            &rc,
        )
    })
    .await?;
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
        to_json(&self.inner.summary)
    }

    /// The exceptions as JSON text, in source order (orders first).
    #[napi]
    pub fn exceptions_json(&self) -> Result<String> {
        to_json(&self.inner.exceptions)
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

/// Runs the engine on a blocking thread; `options` `{amountTolerance, settlementDays, asOf, extraHolidays}`.
#[napi(ts_return_type = "Promise<NativeReconciliation>")]
pub fn reconcile<'env>(
    env: &'env Env,
    orders: &NativeOrders,
    payments: &NativePayments,
    options: Value,
) -> Result<PromiseRaw<'env, NativeReconciliation>> {
    let options = Options::from_json(&options).napi()?;
    let (o, p) = (orders.inner.clone(), payments.inner.clone());
    env.spawn_future(async move {
        let result = blocking(move || Ok(reconcile::reconcile(&o, &p, &options))).await?;
        Ok(NativeReconciliation { inner: Arc::new(result) })
    })
}

/// A whole run from plain data `{orders, payments, coverage?, options?}`; resolves to `{summary, exceptions}` as JSON text.
#[napi]
pub async fn reconcile_json(input_json: String) -> Result<String> {
    let input = from_json(&input_json)?;
    for side in ["orders", "payments"] {
        if let Some(Value::Array(items)) = input.get(side) {
            convert::refuse_number_money(items, side)?;
        }
    }
    let result = blocking(move || reconcile::reconcile_json(&input)).await?;
    to_json(&result)
}

/// Columns of the exceptions CSV, in order.
#[napi]
pub fn exception_columns() -> Vec<String> {
    EXCEPTION_COLUMNS.iter().map(|c| (*c).to_owned()).collect()
}
