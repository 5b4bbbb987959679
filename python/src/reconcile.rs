//! Reconciliation inputs (orders, PagoEfectivo's rows) from files or Python records, the run, and the calendar.

use std::path::PathBuf;
use std::sync::Arc;

use pagoefectivo::Error;
use pagoefectivo::reconcile::{
    self as core, Calendar as CoreCalendar, Coverage, OrderColumns, ReportColumns,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::reconcile_models::Reconciliation;
use crate::{convert, errors};

/// The merchant's side, held compactly in Rust (about 90 bytes a row).
#[pyclass(frozen, module = "pagoefectivo.reconcile")]
pub struct Orders(pub Arc<core::Orders>);

/// PagoEfectivo's side, held compactly in Rust, with what its source covers.
#[pyclass(frozen, module = "pagoefectivo.reconcile")]
pub struct Payments(pub Arc<core::Payments>);

fn fail(py: Python<'_>) -> impl Fn(Error) -> PyErr + '_ {
    move |e| errors::to_py(py, &e)
}

fn path_arg(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<PathBuf> {
    value.extract().map_err(|_| errors::validation(py, field, "must be a file path (str or os.PathLike)"))
}

/// `{field: header name}` applied to the core's default column names (unknown fields refused by the core).
fn mapping(
    py: Python<'_>,
    columns: Option<&Bound<'_, PyDict>>,
    mut set: impl FnMut(&str, &str) -> Result<(), Error>,
) -> PyResult<()> {
    for (k, v) in columns.into_iter().flat_map(|c| c.iter()) {
        let field: String =
            k.extract().map_err(|_| errors::validation(py, "columns", "keys must be field names"))?;
        let name: String = if v.is_none() {
            String::new()
        } else {
            v.cast::<PyString>()
                .map_err(|_| errors::validation(py, &field, "must be a column name (str) or None"))?
                .to_cow()?
                .into_owned()
        };
        set(&field, &name).map_err(fail(py))?;
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
        Some(d) => Ok(Coverage::from_json(&convert::RequestJson::from_kwargs(py, d)?.json)),
    }
}

/// Python records (dicts) as JSON lines for the core's reader, which reports
/// a bad record with its position. A float amount is refused here, by name.
fn records_json_lines(py: Python<'_>, records: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    let iter = records.try_iter().map_err(|_| errors::validation(py, what, "must be a list of records"))?;
    let mut out = Vec::new();
    for (i, record) in iter.enumerate() {
        let record = record?;
        let dict = record
            .cast::<PyDict>()
            .map_err(|_| errors::validation(py, what, &format!("record {}: must be a dict", i + 1)))?;
        let req = convert::RequestJson::from_kwargs(py, dict)?;
        if let Some((field, why)) = req.first_override() {
            return Err(errors::validation(py, field, &format!("record {}: {why}", i + 1)));
        }
        serde_json::to_writer(&mut out, &req.json)
            .map_err(|e| errors::validation(py, what, &format!("record {}: {e}", i + 1)))?;
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
        let orders = py.detach(|| core::Orders::from_csv_path(&path, &cols)).map_err(fail(py))?;
        Ok(Orders(Arc::new(orders)))
    }

    /// One JSON object per line (`orderId`/`order_id`, `cip`, `currency`, `amount`, `status`...).
    #[staticmethod]
    fn from_json_lines(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Orders> {
        let path = path_arg(py, path, "orders")?;
        let orders = py.detach(|| core::Orders::from_json_lines_path(&path)).map_err(fail(py))?;
        Ok(Orders(Arc::new(orders)))
    }

    /// Dicts with the keys of `from_json_lines` (snake_case or camelCase); amounts as Decimal, int or str.
    #[staticmethod]
    fn from_records(py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Orders> {
        let lines = records_json_lines(py, records, "orders")?;
        let orders = py.detach(|| core::Orders::from_json_lines(&lines[..])).map_err(fail(py))?;
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
        let payments = py.detach(|| core::Payments::from_report_csv_path(&path, &cols)).map_err(fail(py))?;
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
        let payments =
            py.detach(|| core::Payments::from_json_lines_path(&path, coverage)).map_err(fail(py))?;
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
        let payments =
            py.detach(|| core::Payments::from_json_lines(&lines[..], coverage)).map_err(fail(py))?;
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
    let (o, p) = py.detach(|| core::load_csv_files(&opath, &ocols, &rpath, &rcols)).map_err(fail(py))?;
    Ok((Orders(Arc::new(o)), Payments(Arc::new(p))))
}

/// `{amount_tolerance, settlement_days, as_of, extra_holidays}` (all optional) as the core's options.
fn options(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<core::Options> {
    match options {
        None => Ok(core::Options::default()),
        Some(d) => {
            let req = convert::RequestJson::from_kwargs(py, d)?;
            core::Options::from_json(&req.json).map_err(|e| req.error(py, &e))
        }
    }
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
    let result = py.detach(move || core::reconcile(&o, &p, &options));
    Ok(Reconciliation { inner: result, next_cursor })
}

/// Peruvian business days (national holidays, Holy Thursday and Good Friday), plus extra closures.
#[pyclass(frozen, module = "pagoefectivo.reconcile")]
pub struct Calendar(CoreCalendar);

#[pymethods]
impl Calendar {
    #[new]
    #[pyo3(signature = (extra_holidays=None))]
    fn new(py: Python<'_>, extra_holidays: Option<&Bound<'_, PyAny>>) -> PyResult<Calendar> {
        let mut extra = Vec::new();
        if let Some(list) = extra_holidays.filter(|l| !l.is_none()) {
            for d in list.try_iter()? {
                extra.push(convert::naive_date(py, &d?, "extra_holidays")?);
            }
        }
        Ok(Calendar(CoreCalendar::peru().with_extra_holidays(extra)))
    }

    fn is_business_day(&self, py: Python<'_>, day: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.0.is_business_day(convert::naive_date(py, day, "day")?))
    }

    fn is_holiday(&self, py: Python<'_>, day: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.0.is_holiday(convert::naive_date(py, day, "day")?))
    }

    /// The `days`-th business day after `day` (T+n).
    fn add_business_days<'py>(
        &self,
        py: Python<'py>,
        day: &Bound<'py, PyAny>,
        days: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        convert::date(py, &self.0.add_business_days(convert::naive_date(py, day, "day")?, days))
    }

    /// `(date, name)` for each holiday of `year`.
    fn holidays<'py>(&self, py: Python<'py>, year: i32) -> PyResult<Vec<(Bound<'py, PyAny>, &'static str)>> {
        self.0.holidays(year).into_iter().map(|(d, name)| Ok((convert::date(py, &d)?, name))).collect()
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
