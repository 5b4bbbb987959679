//! A reconciliation's result for Python: the summary, the exceptions, and writers to paths or file objects.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use pagoefectivo::reconcile::{self as core, Class};
use pagoefectivo::{Error, ErrorCode};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use serde_json::Value;

use crate::convert;
use crate::errors::{self, guard};
use crate::records::{Record, class};

/// The core's class named `name` (`Class.MATCHED` or `"matched"`).
fn class_named(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<Class> {
    let text: String = name.str()?.extract()?;
    Class::parse(&text).ok_or_else(|| errors::invalid(py, "class", "must be a reconcile.Class"))
}

/// `Class.label` and `Class.is_exception`, from the core.
#[pyfunction]
fn class_info(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<(&'static str, bool)> {
    let c = class_named(py, name)?;
    Ok((c.label(), c.is_exception()))
}

fn opt_date<'py>(py: Python<'py>, d: Option<chrono::NaiveDate>) -> PyResult<Bound<'py, PyAny>> {
    match d {
        Some(d) => convert::date(py, &d.to_string()),
        None => Ok(py.None().into_bound(py)),
    }
}

crate::record! {
    /// Count and sum of one class in one currency.
    ClassTotal in "pagoefectivo.reconcile" {
        class_: Class = "class", true;
        currency: Plain = "currency", true;
        count: Plain = "count", true;
        amount: Money = "amount", true;
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
            d.set_item(class(py, c.as_str())?, n)?;
        }
        Ok(d)
    }
    /// Per class and currency, in class then currency order.
    #[getter]
    fn totals(&self) -> Vec<ClassTotal> {
        self.0.totals.iter().map(|t| ClassTotal(Record::of(t, &[]))).collect()
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

crate::record! {
    /// One exception of a reconciliation: a row (or pair) to follow up, with what each side says.
    /// `amount` is the one it is counted with (PagoEfectivo's when it has the row), as the core says.
    Discrepancy in "pagoefectivo.reconcile" {
        class_: Class = "class", true;
        order_id: Plain = "orderId", true;
        cip: Plain = "cip", true;
        currency: Plain = "currency", true;
        amount: Money = "amount", true;
        order_line: Plain = "orderLine", true;
        pagoefectivo_line: Plain = "pagoefectivoLine", true;
        side: Plain = "side", false;
        order_amount: Money = "orderAmount", false;
        pagoefectivo_amount: Money = "pagoefectivoAmount", false;
        difference: Money = "difference", false;
        order_status: Plain = "orderStatus", false;
        pagoefectivo_status: CipStatus = "pagoefectivoStatus", false;
        order_refunded: Money = "orderRefunded", false;
        pagoefectivo_refunded: Money = "pagoefectivoRefunded", false;
        expires_at: Time = "expiresAt", false;
        paid_at: Time = "paidAt", false;
        expected_settlement: Date = "expectedSettlement", false;
        detail: Plain = "detail", false;
    }
}

fn discrepancy(e: &core::Exception) -> Discrepancy {
    Discrepancy(Record::of(e, &[("amount", Value::String(e.amount().to_string()))]))
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
        .map_err(|_| errors::invalid(py, "target", "must be a file path or a writable file object"))?;
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
        self.inner.exceptions.iter().map(discrepancy).collect()
    }
    #[getter]
    fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }
    /// The exceptions as CSV (header row; the columns of `EXCEPTION_COLUMNS`).
    fn write_exceptions_csv(&self, py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || write_target(py, target, |w| self.inner.write_exceptions_csv(w)))
    }
    /// The exceptions as JSON lines (camelCase keys, amounts as decimal strings, -05:00 times).
    fn write_exceptions_jsonl(&self, py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || write_target(py, target, |w| self.inner.write_exceptions_json_lines(w)))
    }
    fn write_summary_json(&self, py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || write_target(py, target, |w| self.inner.write_summary_json(w)))
    }
    /// Every output into `out_dir` (created if missing): summary.json, exceptions.csv,
    /// exceptions.jsonl and report.html, as the CLI writes them.
    fn write_all(&self, py: Python<'_>, out_dir: std::path::PathBuf) -> PyResult<()> {
        guard(py, || py.detach(|| self.inner.write_all(&out_dir)).map_err(|e| errors::to_py(py, &e)))
    }
    /// One self-contained HTML page: summary cards, a chart, totals, the first exceptions.
    fn write_html(&self, py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || write_target(py, target, |w| self.inner.write_html(w)))
    }
    fn to_html(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || Ok(py.detach(|| self.inner.to_html())))
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
