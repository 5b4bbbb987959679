//! Reconciliation inputs (orders, PagoEfectivo's rows) from files or Python records, the run, and the calendar.

use std::path::PathBuf;
use std::sync::Arc;

use pagoefectivo::Error;
use pagoefectivo::boundary::{input, ops};
use pagoefectivo::reconcile::{self as core, Coverage, OrderColumns, ReportColumns};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;

use crate::convert::{self, Input};
use crate::errors::{self, guard};
use crate::reconcile_models::Reconciliation;

/// The merchant's side, held compactly in Rust (about 90 bytes a row).
#[pyclass(frozen, module = "pagoefectivo.reconcile")]
pub struct Orders(pub Arc<core::Orders>);

/// PagoEfectivo's side, held compactly in Rust, with what its source covers.
#[pyclass(frozen, module = "pagoefectivo.reconcile")]
pub struct Payments(pub Arc<core::Payments>);

fn fail(py: Python<'_>) -> impl Fn(Error) -> PyErr + '_ {
    move |e| errors::to_py(py, &e)
}

/// A core call with the GIL released; its error, or a panic in it, raised as the SDK's exception.
fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error> + Send) -> PyResult<T> {
    guard(py, || py.detach(f).map_err(fail(py)))
}

fn path_arg(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<PathBuf> {
    value.extract().map_err(|_| errors::invalid(py, field, "must be a file path (str or os.PathLike)"))
}

/// `{field: header name}` applied to the core's default column names (unknown fields refused by the core).
fn mapping(
    py: Python<'_>,
    columns: Option<&Bound<'_, PyDict>>,
    mut set: impl FnMut(&str, &str) -> Result<(), Error>,
) -> PyResult<()> {
    for (k, v) in columns.into_iter().flat_map(|c| c.iter()) {
        let field: String =
            k.extract().map_err(|_| errors::invalid(py, "columns", "keys must be field names"))?;
        let name: String = if v.is_none() {
            String::new()
        } else {
            v.cast::<PyString>()
                .map_err(|_| errors::invalid(py, &field, "must be a column name (str) or None"))?
                .to_cow()?
                .into_owned()
        };
        guard(py, || set(&field, &name).map_err(fail(py)))?;
    }
    Ok(())
}

pub fn order_columns(py: Python<'_>, columns: Option<&Bound<'_, PyDict>>) -> PyResult<OrderColumns> {
    let mut cols = OrderColumns::default();
    mapping(py, columns, |f, n| cols.set(f, n))?;
    Ok(cols)
}

pub fn report_columns(py: Python<'_>, columns: Option<&Bound<'_, PyDict>>) -> PyResult<ReportColumns> {
    let mut cols = ReportColumns::default();
    mapping(py, columns, |f, n| cols.set(f, n))?;
    Ok(cols)
}

fn coverage(py: Python<'_>, value: Option<&Bound<'_, PyDict>>) -> PyResult<Coverage> {
    match value {
        None => Ok(Coverage::default()),
        Some(d) => guard(py, || {
            let input = Input::of(py, d.as_any())?;
            input.check(py, None)?;
            Ok(Coverage::from_json(&input.json))
        }),
    }
}

/// Money fields of records and options, read by the core's money rule (a float refused).
/// Workaround until the core's reconciliation readers apply `boundary::input::money` themselves.
const MONEY_KEYS: [&str; 3] = ["amount", "refundedAmount", "amountTolerance"];

fn money_rule(json: &Value) -> Result<(), Error> {
    let Value::Object(map) = json else { return Ok(()) };
    for (k, v) in map {
        if let Some(field) = MONEY_KEYS.iter().find(|m| k.replace('_', "").eq_ignore_ascii_case(m))
            && matches!(v, Value::Number(n) if input::is_float_text(n))
        {
            input::money(v, field)?;
        }
    }
    Ok(())
}

/// Python records (dicts) as JSON lines for the core's reader, which reports
/// a bad record with its position.
fn records_json_lines(py: Python<'_>, records: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    let iter = records.try_iter().map_err(|_| errors::invalid(py, what, "must be a list of records"))?;
    let mut out = Vec::new();
    for (i, record) in iter.enumerate() {
        let record = record?;
        let dict = record
            .cast::<PyDict>()
            .map_err(|_| errors::invalid(py, what, &format!("record {}: must be a dict", i + 1)))?;
        let input = Input::of(py, dict.as_any())?;
        input.check(py, None)?;
        money_rule(&input.json).map_err(|e| {
            let f = &e.field_errors()[0];
            errors::invalid(py, &f.field, &format!("record {}: {}", i + 1, f.message))
        })?;
        serde_json::to_writer(&mut out, &input.json)
            .map_err(|e| errors::invalid(py, what, &format!("record {}: {e}", i + 1)))?;
        out.push(b'\n');
    }
    Ok(out)
}

#[pymethods]
impl Orders {
    /// A CSV file with a header row; `columns` maps fields to your header names.
    #[staticmethod]
    #[pyo3(signature = (path, columns=None))]
    fn from_csv(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        columns: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Orders> {
        let (path, cols) = (path_arg(py, path, "orders")?, order_columns(py, columns)?);
        let orders = detached(py, || core::Orders::from_csv_path(&path, &cols))?;
        Ok(Orders(Arc::new(orders)))
    }

    /// One JSON object per line (`orderId`/`order_id`, `cip`, `currency`, `amount`, `status`...).
    #[staticmethod]
    fn from_json_lines(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Orders> {
        let path = path_arg(py, path, "orders")?;
        let orders = detached(py, || core::Orders::from_json_lines_path(&path))?;
        Ok(Orders(Arc::new(orders)))
    }

    /// Dicts with the keys of `from_json_lines` (snake_case or camelCase); amounts as Decimal, int or str.
    #[staticmethod]
    fn from_records(py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Orders> {
        let lines = records_json_lines(py, records, "orders")?;
        let orders = detached(py, || core::Orders::from_json_lines(&lines[..]))?;
        Ok(Orders(Arc::new(orders)))
    }

    /// The distinct CIPs, in first-seen order.
    fn cips(&self) -> Vec<u64> {
        self.0.cips()
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        format!("Orders(len={})", self.0.len())
    }
}

#[pymethods]
impl Payments {
    /// A report file PagoEfectivo gave you (CSV with a header row); settlement
    /// and refund checks apply when their columns exist.
    #[staticmethod]
    #[pyo3(signature = (path, columns=None))]
    fn from_report_csv(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        columns: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Payments> {
        let (path, cols) = (path_arg(py, path, "report")?, report_columns(py, columns)?);
        let payments = detached(py, || core::Payments::from_report_csv_path(&path, &cols))?;
        Ok(Payments(Arc::new(payments)))
    }

    #[staticmethod]
    #[pyo3(signature = (path, coverage=None))]
    fn from_json_lines(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        coverage: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Payments> {
        let (path, coverage) = (path_arg(py, path, "payments")?, self::coverage(py, coverage)?);
        let payments = detached(py, || core::Payments::from_json_lines_path(&path, coverage))?;
        Ok(Payments(Arc::new(payments)))
    }

    /// Dicts with the keys of the report endpoint (`cip`, `transaction_code`,
    /// `currency`, `amount`, `status`, `date_payment`, `date_settlement`, `refunded_amount`).
    #[staticmethod]
    #[pyo3(signature = (records, coverage=None))]
    fn from_records(
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        coverage: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Payments> {
        let lines = records_json_lines(py, records, "payments")?;
        let coverage = self::coverage(py, coverage)?;
        let payments = detached(py, || core::Payments::from_json_lines(&lines[..], coverage))?;
        Ok(Payments(Arc::new(payments)))
    }

    /// What the rows vouch for: `{"every_order_cip", "settlement", "refunds"}`.
    fn coverage<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = self.0.coverage();
        let d = PyDict::new(py);
        d.set_item("every_order_cip", c.every_order_cip)?;
        d.set_item("settlement", c.settlement)?;
        d.set_item("refunds", c.refunds)?;
        Ok(d)
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        let c = self.0.coverage();
        format!(
            "Payments(len={}, settlement={}, refunds={}, every_order_cip={})",
            self.0.len(),
            py_bool(c.settlement),
            py_bool(c.refunds),
            py_bool(c.every_order_cip)
        )
    }
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// Both CSV files at once, one thread per side.
#[pyfunction]
#[pyo3(signature = (orders, report, order_columns=None, report_columns=None))]
fn load_csv_pair(
    py: Python<'_>,
    orders: &Bound<'_, PyAny>,
    report: &Bound<'_, PyAny>,
    order_columns: Option<&Bound<'_, PyDict>>,
    report_columns: Option<&Bound<'_, PyDict>>,
) -> PyResult<(Orders, Payments)> {
    let (opath, rpath) = (path_arg(py, orders, "orders")?, path_arg(py, report, "report")?);
    let (ocols, rcols) = (self::order_columns(py, order_columns)?, self::report_columns(py, report_columns)?);
    let (o, p) = detached(py, || core::load_csv_files(&opath, &ocols, &rpath, &rcols))?;
    Ok((Orders(Arc::new(o)), Payments(Arc::new(p))))
}

/// `{amount_tolerance, settlement_days, as_of, extra_holidays}` (all optional) as the core's options.
fn options(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<core::Options> {
    let Some(d) = options else { return Ok(core::Options::default()) };
    guard(py, || {
        let input = Input::of(py, d.as_any())?;
        input.check(py, None)?;
        money_rule(&input.json).map_err(|e| errors::to_py(py, &e))?;
        core::Options::from_json(&input.json).map_err(|e| input.error(py, &e))
    })
}

/// Matches the two sides and classifies every row (GIL released).
#[pyfunction]
#[pyo3(name = "reconcile", signature = (orders, payments, options=None, next_cursor=None))]
fn run(
    py: Python<'_>,
    orders: &Bound<'_, Orders>,
    payments: &Bound<'_, Payments>,
    options: Option<&Bound<'_, PyDict>>,
    next_cursor: Option<String>,
) -> PyResult<Reconciliation> {
    let options = self::options(py, options)?;
    let (o, p) = (orders.get().0.clone(), payments.get().0.clone());
    let result = guard(py, || Ok(py.detach(move || core::reconcile(&o, &p, &options))))?;
    Ok(Reconciliation { inner: result, next_cursor })
}

/// Peruvian business days (national holidays, Holy Thursday and Good Friday), plus extra closures:
/// every answer is the core's (`reconcile.business_days`, `reconcile.holidays`), bounds included.
#[pyclass(frozen, module = "pagoefectivo.reconcile")]
pub struct Calendar {
    extra_holidays: Value,
}

impl Calendar {
    fn call(&self, py: Python<'_>, op: &str, args: &Bound<'_, PyDict>) -> PyResult<Value> {
        let input = Input::of(py, args.as_any())?;
        input.check(py, None)?;
        let mut json = input.json.clone();
        json["extraHolidays"] = self.extra_holidays.clone();
        ops::call(op, &json).map_err(|e| input.error(py, &e))
    }

    fn day(&self, py: Python<'_>, day: &Bound<'_, PyAny>, days: &Bound<'_, PyAny>) -> PyResult<Value> {
        let args = PyDict::new(py);
        args.set_item("date", day)?;
        args.set_item("days", days)?;
        self.call(py, "reconcile.business_days", &args)
    }
}

#[pymethods]
impl Calendar {
    #[new]
    #[pyo3(signature = (extra_holidays=None))]
    fn new(py: Python<'_>, extra_holidays: Option<&Bound<'_, PyAny>>) -> PyResult<Calendar> {
        guard(py, || {
            let extra = match extra_holidays.filter(|l| !l.is_none()) {
                None => Value::Array(Vec::new()),
                Some(list) => {
                    let input = Input::of(py, list)?;
                    input.check(py, None)?;
                    input.json
                }
            };
            let calendar = Calendar { extra_holidays: extra };
            // The core reads the list now, so a bad date is refused here rather than at first use.
            let args = PyDict::new(py);
            args.set_item("year", 2000)?;
            calendar.call(py, "reconcile.holidays", &args)?;
            Ok(calendar)
        })
    }

    fn is_business_day(&self, py: Python<'_>, day: &Bound<'_, PyAny>) -> PyResult<bool> {
        let zero = 0i64.into_pyobject(py)?.into_any();
        guard(py, || Ok(self.day(py, day, &zero)?["isBusinessDay"].as_bool().unwrap_or_default()))
    }

    fn is_holiday(&self, py: Python<'_>, day: &Bound<'_, PyAny>) -> PyResult<bool> {
        let zero = 0i64.into_pyobject(py)?.into_any();
        guard(py, || Ok(self.day(py, day, &zero)?["isHoliday"].as_bool().unwrap_or_default()))
    }

    /// The `days`-th business day after `day` (T+n); bounded and checked by the core.
    fn add_business_days<'py>(
        &self,
        py: Python<'py>,
        day: &Bound<'py, PyAny>,
        days: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || convert::date(py, self.day(py, day, days)?["due"].as_str().unwrap_or_default()))
    }

    /// `(date, name)` for each holiday of `year`.
    fn holidays<'py>(
        &self,
        py: Python<'py>,
        year: &Bound<'py, PyAny>,
    ) -> PyResult<Vec<(Bound<'py, PyAny>, String)>> {
        guard(py, || {
            let args = PyDict::new(py);
            args.set_item("year", year)?;
            let list = self.call(py, "reconcile.holidays", &args)?;
            let items = list.as_array().cloned().unwrap_or_default();
            items
                .iter()
                .map(|h| {
                    let name = h["name"].as_str().unwrap_or_default().to_owned();
                    Ok((convert::date(py, h["date"].as_str().unwrap_or_default())?, name))
                })
                .collect()
        })
    }

    fn __repr__(&self) -> String {
        "Calendar(peru)".to_owned()
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Orders>()?;
    m.add_class::<Payments>()?;
    m.add_class::<Calendar>()?;
    m.add_function(wrap_pyfunction!(load_csv_pair, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)
}
