//! A reconciliation's result for Python: the summary, the exceptions, and writers to paths or file objects.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use pagoefectivo::reconcile::{self as core, Class};
use pagoefectivo::{Error, ErrorCode};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::convert::{self, decimal, q};
use crate::{errors, models};

static CLASS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn class<'py>(py: Python<'py>, c: Class) -> PyResult<Bound<'py, PyAny>> {
    let cls = CLASS
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("pagoefectivo.reconcile")?.getattr("Class")?.unbind())
        })?
        .bind(py);
    cls.call1((c.as_str(),))
}

/// The core's class named `name` (`Class.MATCHED` or `"matched"`).
fn class_named(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<Class> {
    let text: String = name.str()?.extract()?;
    Class::parse(&text).ok_or_else(|| errors::validation(py, "class", "must be a reconcile.Class"))
}

/// `Class.label` and `Class.is_exception`, from the core.
#[pyfunction]
fn class_info(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<(&'static str, bool)> {
    let c = class_named(py, name)?;
    Ok((c.label(), c.is_exception()))
}

fn opt_decimal<'py>(py: Python<'py>, d: Option<pagoefectivo::Decimal>) -> PyResult<Bound<'py, PyAny>> {
    match d {
        Some(d) => decimal(py, &d),
        None => Ok(py.None().into_bound(py)),
    }
}

fn opt_date<'py>(py: Python<'py>, d: Option<chrono::NaiveDate>) -> PyResult<Bound<'py, PyAny>> {
    match d {
        Some(d) => convert::date(py, &d),
        None => Ok(py.None().into_bound(py)),
    }
}

/// Count and sum of one class in one currency.
#[pyclass(frozen, eq, module = "pagoefectivo.reconcile")]
#[derive(PartialEq)]
pub struct ClassTotal(core::ClassTotal);

#[pymethods]
impl ClassTotal {
    #[getter]
    fn class_<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        class(py, self.0.class)
    }
    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency.as_str()
    }
    #[getter]
    fn count(&self) -> u64 {
        self.0.count
    }
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.amount)
    }
    fn __repr__(&self) -> String {
        let t = &self.0;
        format!(
            "ClassTotal(class_='{}', currency='{}', count={}, amount=Decimal('{}'))",
            t.class.as_str(),
            t.currency,
            t.count,
            t.amount
        )
    }
}

/// Rows per side, exceptions, and counts and sums per class and currency.
#[pyclass(frozen, module = "pagoefectivo.reconcile")]
pub struct Summary(core::Summary);

#[pymethods]
impl Summary {
    #[getter]
    fn orders(&self) -> u64 {
        self.0.orders
    }
    #[getter]
    fn payments(&self) -> u64 {
        self.0.payments
    }
    /// Rows in every class but matched and unpaid.
    #[getter]
    fn exceptions(&self) -> u64 {
        self.0.exceptions
    }
    /// `{Class: rows}`, all currencies together (classes with none are absent).
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (c, n) in &self.0.counts {
            d.set_item(class(py, *c)?, n)?;
        }
        Ok(d)
    }
    /// Per class and currency, in class then currency order.
    #[getter]
    fn totals(&self) -> Vec<ClassTotal> {
        self.0.totals.iter().cloned().map(ClassTotal).collect()
    }
    /// The Lima date expiry and settlement were judged against.
    #[getter]
    fn as_of<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_date(py, self.0.as_of)
    }
    /// Rows in `class_` (0 when none).
    fn count(&self, py: Python<'_>, class_: &Bound<'_, PyAny>) -> PyResult<u64> {
        Ok(self.0.count(class_named(py, class_)?))
    }
    fn __repr__(&self) -> String {
        let s = &self.0;
        let counts: Vec<String> = s.counts.iter().map(|(c, n)| format!("'{}': {n}", c.as_str())).collect();
        format!(
            "Summary(orders={}, payments={}, exceptions={}, counts={{{}}})",
            s.orders,
            s.payments,
            s.exceptions,
            counts.join(", ")
        )
    }
}

/// One exception of a reconciliation: a row (or pair) to follow up, with what each side says.
#[pyclass(frozen, eq, module = "pagoefectivo.reconcile")]
#[derive(PartialEq)]
pub struct Discrepancy(core::Exception);

#[pymethods]
impl Discrepancy {
    #[getter]
    fn class_<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        class(py, self.0.class)
    }
    /// `merchant` or `pagoefectivo` for one-sided findings (duplicate, unknown reference), else None.
    #[getter]
    fn side(&self) -> Option<&'static str> {
        self.0.side.map(|s| s.as_str())
    }
    #[getter]
    fn order_id(&self) -> Option<&str> {
        self.0.order_id.as_deref()
    }
    #[getter]
    fn cip(&self) -> Option<u64> {
        self.0.cip
    }
    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency.as_str()
    }
    /// The amount it is counted with (PagoEfectivo's when it has the row).
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.amount())
    }
    #[getter]
    fn order_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_decimal(py, self.0.order_amount)
    }
    #[getter]
    fn pagoefectivo_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_decimal(py, self.0.pagoefectivo_amount)
    }
    /// PagoEfectivo's amount minus the order's, when both exist.
    #[getter]
    fn difference<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_decimal(py, self.0.difference)
    }
    /// `pending`, `paid` or `closed`.
    #[getter]
    fn order_status(&self) -> Option<&'static str> {
        self.0.order_status.map(|s| s.as_str())
    }
    #[getter]
    fn pagoefectivo_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.0.pagoefectivo_status {
            Some(s) => models::status(py, s),
            None => Ok(py.None().into_bound(py)),
        }
    }
    #[getter]
    fn order_refunded<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_decimal(py, self.0.order_refunded)
    }
    #[getter]
    fn pagoefectivo_refunded<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_decimal(py, self.0.pagoefectivo_refunded)
    }
    #[getter]
    fn expires_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::opt_datetime(py, &self.0.expires_at)
    }
    #[getter]
    fn paid_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::opt_datetime(py, &self.0.paid_at)
    }
    #[getter]
    fn expected_settlement<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_date(py, self.0.expected_settlement)
    }
    /// Line (CSV) or position (records) in the orders source.
    #[getter]
    fn order_line(&self) -> Option<u32> {
        self.0.order_line
    }
    #[getter]
    fn pagoefectivo_line(&self) -> Option<u32> {
        self.0.pagoefectivo_line
    }
    /// One sentence for the person following it up.
    #[getter]
    fn detail(&self) -> &str {
        &self.0.detail
    }
    fn __repr__(&self) -> String {
        let e = &self.0;
        format!(
            "Discrepancy(class_='{}', order_id={}, cip={}, currency='{}', amount=Decimal('{}'), order_line={}, \
             pagoefectivo_line={})",
            e.class.as_str(),
            e.order_id.as_deref().map(q).unwrap_or_else(|| "None".into()),
            e.cip.map(|c| c.to_string()).unwrap_or_else(|| "None".into()),
            e.currency,
            e.amount(),
            e.order_line.map(|c| c.to_string()).unwrap_or_else(|| "None".into()),
            e.pagoefectivo_line.map(|c| c.to_string()).unwrap_or_else(|| "None".into())
        )
    }
}

/// Renders with the GIL released into a file at `target`, or into bytes written to a file object.
fn write_target(
    py: Python<'_>,
    target: &Bound<'_, PyAny>,
    render: impl FnOnce(&mut dyn Write) -> Result<(), Error> + Send,
) -> PyResult<()> {
    let is_path = target.is_instance_of::<PyString>() || target.hasattr("__fspath__")?;
    if !is_path && target.hasattr("write")? {
        let mut bytes = Vec::new();
        py.detach(|| render(&mut bytes)).map_err(|e| errors::to_py(py, &e))?;
        return match target.call_method1("write", (PyBytes::new(py, &bytes),)) {
            // A text-mode file: the outputs are UTF-8 text.
            Err(e) if e.is_instance_of::<PyTypeError>(py) => {
                target.call_method1("write", (String::from_utf8_lossy(&bytes),)).map(|_| ())
            }
            other => other.map(|_| ()),
        };
    }
    let path: PathBuf = target
        .extract()
        .map_err(|_| errors::validation(py, "target", "must be a file path or a writable file object"))?;
    py.detach(|| {
        let file = File::create(&path)
            .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot create {}: {e}", path.display())))?;
        let mut out = BufWriter::new(file);
        render(&mut out)?;
        out.flush()
            .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot write {}: {e}", path.display())))
    })
    .map_err(|e| errors::to_py(py, &e))
}

/// The result of a reconciliation.
#[pyclass(frozen, module = "pagoefectivo.reconcile")]
pub struct Reconciliation {
    pub inner: core::Reconciliation,
    /// For the settlement report: where tomorrow's incremental run starts.
    pub next_cursor: Option<String>,
}

#[pymethods]
impl Reconciliation {
    #[getter]
    fn summary(&self) -> Summary {
        Summary(self.inner.summary.clone())
    }
    /// Every exception, in source order (orders first, then PagoEfectivo's rows).
    #[getter]
    fn exceptions(&self) -> Vec<Discrepancy> {
        self.inner.exceptions.iter().cloned().map(Discrepancy).collect()
    }
    #[getter]
    fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }
    /// The exceptions as CSV (header row; the columns of `EXCEPTION_COLUMNS`).
    fn write_exceptions_csv(&self, py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<()> {
        write_target(py, target, |w| self.inner.write_exceptions_csv(w))
    }
    /// The exceptions as JSON lines (camelCase keys, amounts as decimal strings, -05:00 times).
    fn write_exceptions_jsonl(&self, py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<()> {
        write_target(py, target, |w| self.inner.write_exceptions_json_lines(w))
    }
    fn write_summary_json(&self, py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<()> {
        write_target(py, target, |w| self.inner.write_summary_json(w))
    }
    /// Every output into `out_dir` (created if missing): summary.json, exceptions.csv,
    /// exceptions.jsonl and report.html, as the CLI writes them.
    fn write_all(&self, py: Python<'_>, out_dir: std::path::PathBuf) -> PyResult<()> {
        py.detach(|| self.inner.write_all(&out_dir)).map_err(|e| crate::errors::to_py(py, &e))
    }
    /// One self-contained HTML page: summary cards, a chart, totals, the first exceptions.
    fn write_html(&self, py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<()> {
        write_target(py, target, |w| self.inner.write_html(w))
    }
    fn to_html(&self, py: Python<'_>) -> String {
        py.detach(|| self.inner.to_html())
    }
    fn __repr__(&self) -> String {
        let s = &self.inner.summary;
        format!(
            "Reconciliation(orders={}, payments={}, exceptions={}, as_of={})",
            s.orders,
            s.payments,
            s.exceptions,
            s.as_of.map(|d| format!("'{d}'")).unwrap_or_else(|| "None".into())
        )
    }
}

/// The columns of the exceptions CSV, in order.
fn exception_columns() -> Vec<&'static str> {
    core::EXCEPTION_COLUMNS.to_vec()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("EXCEPTION_COLUMNS", exception_columns())?;
    m.add_function(wrap_pyfunction!(class_info, m)?)?;
    m.add_class::<ClassTotal>()?;
    m.add_class::<Summary>()?;
    m.add_class::<Discrepancy>()?;
    m.add_class::<Reconciliation>()
}
