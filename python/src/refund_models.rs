//! Refund results as frozen Python classes: a refund and a CIP's refund eligibility.

use pagoefectivo::time;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert::{decimal, opt_datetime, q};

static REFUND_STATUS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `RefundStatus` of `pagoefectivo.models`; a status this version does not know is `UNKNOWN`.
pub fn refund_status<'py>(py: Python<'py>, s: &pagoefectivo::RefundStatus) -> PyResult<Bound<'py, PyAny>> {
    let cls = REFUND_STATUS
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("pagoefectivo.models")?.getattr("RefundStatus")?.unbind())
        })?
        .bind(py);
    let name = match s {
        pagoefectivo::RefundStatus::Unknown(_) => "unknown",
        known => known.as_str(),
    };
    cls.call1((name,))
}

fn opt_wire(t: &Option<chrono::DateTime<chrono::FixedOffset>>) -> String {
    t.as_ref().map(|t| format!("'{}'", time::format(t))).unwrap_or_else(|| "None".into())
}

/// A refund: requested, then processing, then refunded or rejected.
#[pyclass(frozen, eq, module = "pagoefectivo")]
#[derive(PartialEq)]
pub struct Refund(pub pagoefectivo::Refund);

#[pymethods]
impl Refund {
    #[getter]
    fn refund_id(&self) -> &str {
        &self.0.refund_id
    }
    #[getter]
    fn cip(&self) -> u64 {
        self.0.cip
    }
    #[getter]
    fn merchant_refund_id(&self) -> &str {
        &self.0.merchant_refund_id
    }
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.amount)
    }
    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency.as_str()
    }
    #[getter]
    fn reason(&self) -> &str {
        &self.0.reason
    }
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        refund_status(py, &self.0.status)
    }
    /// The status as received (differs from `status` only for a status this version does not know).
    #[getter]
    fn status_name(&self) -> &str {
        self.0.status.as_str()
    }
    #[getter]
    fn is_final(&self) -> bool {
        self.0.status.is_final()
    }
    /// Why it was rejected (the bank's or PagoEfectivo's code).
    #[getter]
    fn reason_code(&self) -> Option<&str> {
        self.0.reason_code.as_deref()
    }
    #[getter]
    fn date_creation<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.date_creation)
    }
    #[getter]
    fn date_update<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.date_update)
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("refund_id", &self.0.refund_id)?;
        d.set_item("cip", self.0.cip)?;
        d.set_item("merchant_refund_id", &self.0.merchant_refund_id)?;
        d.set_item("amount", self.amount(py)?)?;
        d.set_item("currency", self.currency())?;
        d.set_item("reason", &self.0.reason)?;
        d.set_item("status", self.status(py)?)?;
        d.set_item("reason_code", self.reason_code())?;
        d.set_item("date_creation", self.date_creation(py)?)?;
        d.set_item("date_update", self.date_update(py)?)?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let r = &self.0;
        format!(
            "Refund(refund_id={}, cip={}, merchant_refund_id={}, status='{}', currency='{}', amount=Decimal('{}'), \
             reason_code={})",
            q(&r.refund_id),
            r.cip,
            q(&r.merchant_refund_id),
            r.status.as_str(),
            r.currency,
            r.amount,
            r.reason_code.as_deref().map(q).unwrap_or_else(|| "None".into())
        )
    }
}

/// What can still be refunded on a CIP, and until when.
#[pyclass(frozen, eq, module = "pagoefectivo")]
#[derive(PartialEq)]
pub struct RefundEligibility(pub pagoefectivo::RefundEligibility);

#[pymethods]
impl RefundEligibility {
    #[getter]
    fn cip(&self) -> u64 {
        self.0.cip
    }
    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency.as_str()
    }
    #[getter]
    fn paid_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.paid_amount)
    }
    /// Sum of the refunds not rejected.
    #[getter]
    fn refunded_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.refunded_amount)
    }
    #[getter]
    fn refundable_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.refundable_amount)
    }
    #[getter]
    fn payment_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.payment_date)
    }
    #[getter]
    fn deadline<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.deadline)
    }
    /// Seconds until the deadline (0 when past).
    #[getter]
    fn seconds_left(&self) -> i64 {
        self.0.seconds_left
    }
    /// `None` when a refund is possible; else `cip_not_paid`, `window_expired` or `nothing_left`.
    #[getter]
    fn blocked_by(&self) -> Option<&str> {
        self.0.blocked_by.as_deref()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("cip", self.0.cip)?;
        d.set_item("currency", self.currency())?;
        d.set_item("paid_amount", self.paid_amount(py)?)?;
        d.set_item("refunded_amount", self.refunded_amount(py)?)?;
        d.set_item("refundable_amount", self.refundable_amount(py)?)?;
        d.set_item("payment_date", self.payment_date(py)?)?;
        d.set_item("deadline", self.deadline(py)?)?;
        d.set_item("seconds_left", self.0.seconds_left)?;
        d.set_item("blocked_by", self.blocked_by())?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let e = &self.0;
        format!(
            "RefundEligibility(cip={}, currency='{}', paid_amount=Decimal('{}'), refunded_amount=Decimal('{}'), \
             refundable_amount=Decimal('{}'), deadline={}, blocked_by={})",
            e.cip,
            e.currency,
            e.paid_amount,
            e.refunded_amount,
            e.refundable_amount,
            opt_wire(&e.deadline),
            e.blocked_by.as_deref().map(q).unwrap_or_else(|| "None".into())
        )
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Refund>()?;
    m.add_class::<RefundEligibility>()
}
