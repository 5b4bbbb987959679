//! Typed results (CIPs, search results, webhook events) as frozen Python classes with readable reprs.

use pagoefectivo::webhook::{CipPaid, OtherEvent as CoreOther, RefundEvent as CoreRefund};
use pagoefectivo::{Event, time};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert::{self, datetime, decimal, opt_datetime, q};

static CIP_STATUS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub(crate) fn status<'py>(py: Python<'py>, s: pagoefectivo::CipStatus) -> PyResult<Bound<'py, PyAny>> {
    let cls = CIP_STATUS
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("pagoefectivo.models")?.getattr("CipStatus")?.unbind())
        })?
        .bind(py);
    cls.call1((s.as_str(),))
}

fn wire(t: &chrono::DateTime<chrono::FixedOffset>) -> String {
    time::format(t)
}

fn opt_wire(t: &Option<chrono::DateTime<chrono::FixedOffset>>) -> String {
    t.as_ref().map(|t| format!("'{}'", wire(t))).unwrap_or_else(|| "None".into())
}

fn opt_str(s: &Option<String>) -> String {
    s.as_deref().map(q).unwrap_or_else(|| "None".into())
}

/// A newly created CIP: the code to show the shopper and its voucher page.
#[pyclass(frozen, eq, module = "pagoefectivo")]
#[derive(PartialEq)]
pub struct Cip(pub pagoefectivo::Cip);

#[pymethods]
impl Cip {
    #[getter]
    fn cip(&self) -> u64 {
        self.0.cip
    }
    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency.as_str()
    }
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.amount)
    }
    #[getter]
    fn transaction_code(&self) -> &str {
        &self.0.transaction_code
    }
    #[getter]
    fn date_expiry<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, &self.0.date_expiry)
    }
    #[getter]
    fn cip_url(&self) -> &str {
        &self.0.cip_url
    }
    /// Plain data (snake_case keys, Decimal and datetime values), e.g. to store in a JSON field.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("cip", self.0.cip)?;
        d.set_item("currency", self.currency())?;
        d.set_item("amount", self.amount(py)?)?;
        d.set_item("transaction_code", &self.0.transaction_code)?;
        d.set_item("date_expiry", self.date_expiry(py)?)?;
        d.set_item("cip_url", &self.0.cip_url)?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let c = &self.0;
        format!(
            "Cip(cip={}, currency='{}', amount=Decimal('{}'), transaction_code={}, date_expiry='{}', cip_url={})",
            c.cip,
            c.currency,
            c.amount,
            q(&c.transaction_code),
            wire(&c.date_expiry),
            q(&c.cip_url)
        )
    }
}

/// A CIP as a search reports it: status, amounts and dates.
#[pyclass(frozen, eq, module = "pagoefectivo")]
#[derive(PartialEq)]
pub struct CipInfo(pub pagoefectivo::CipInfo);

#[pymethods]
impl CipInfo {
    #[getter]
    fn cip(&self) -> u64 {
        self.0.cip
    }
    #[getter]
    fn transaction_code(&self) -> &str {
        &self.0.transaction_code
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
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        status(py, self.0.status)
    }
    /// The numeric code as received (22, 23, 593...).
    #[getter]
    fn status_code(&self) -> u32 {
        self.0.status_code
    }
    #[getter]
    fn status_name(&self) -> &str {
        &self.0.status_name
    }
    #[getter]
    fn is_final(&self) -> bool {
        self.0.status.is_final()
    }
    #[getter]
    fn date_creation<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.date_creation)
    }
    #[getter]
    fn date_expiry<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.date_expiry)
    }
    #[getter]
    fn date_payment<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.date_payment)
    }
    #[getter]
    fn date_removal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.date_removal)
    }
    /// The voucher page's GUID.
    #[getter]
    fn token(&self) -> Option<&str> {
        self.0.token.as_deref()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("cip", self.0.cip)?;
        d.set_item("transaction_code", &self.0.transaction_code)?;
        d.set_item("amount", self.amount(py)?)?;
        d.set_item("currency", self.currency())?;
        d.set_item("status", self.status(py)?)?;
        d.set_item("status_code", self.0.status_code)?;
        d.set_item("status_name", &self.0.status_name)?;
        d.set_item("date_creation", self.date_creation(py)?)?;
        d.set_item("date_expiry", self.date_expiry(py)?)?;
        d.set_item("date_payment", self.date_payment(py)?)?;
        d.set_item("date_removal", self.date_removal(py)?)?;
        d.set_item("token", self.token())?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let c = &self.0;
        format!(
            "CipInfo(cip={}, status='{}', amount=Decimal('{}'), currency='{}', transaction_code={}, \
             date_expiry={}, date_payment={})",
            c.cip,
            c.status.as_str(),
            c.amount,
            c.currency,
            q(&c.transaction_code),
            opt_wire(&c.date_expiry),
            opt_wire(&c.date_payment)
        )
    }
}

/// A verified `cip.paid` notification: the money is confirmed.
#[pyclass(frozen, eq, module = "pagoefectivo.webhooks")]
#[derive(PartialEq)]
pub struct CipPaidEvent(pub CipPaid);

#[pymethods]
impl CipPaidEvent {
    #[getter]
    fn event_type(&self) -> &'static str {
        "cip.paid"
    }
    #[getter]
    fn operation_number(&self) -> &str {
        &self.0.operation_number
    }
    #[getter]
    fn cip(&self) -> u64 {
        self.0.cip
    }
    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency.as_str()
    }
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.amount)
    }
    #[getter]
    fn payment_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.0.payment_date)
    }
    #[getter]
    fn transaction_code(&self) -> Option<&str> {
        self.0.transaction_code.as_deref()
    }
    /// `eventType:operationNumber:cip`: what identifies a delivery (the protocol has no event id).
    #[getter]
    fn dedup_key(&self) -> String {
        Event::CipPaid(self.0.clone()).dedup_key()
    }
    fn __repr__(&self) -> String {
        let p = &self.0;
        format!(
            "CipPaidEvent(cip={}, operation_number={}, currency='{}', amount=Decimal('{}'), payment_date={}, \
             transaction_code={})",
            p.cip,
            q(&p.operation_number),
            p.currency,
            p.amount,
            opt_wire(&p.payment_date),
            opt_str(&p.transaction_code)
        )
    }
}

/// Any other verified notification (`cip.expired`, future types), with its parsed body.
#[pyclass(frozen, eq, module = "pagoefectivo.webhooks")]
#[derive(PartialEq)]
pub struct OtherEvent(pub CoreOther);

#[pymethods]
impl OtherEvent {
    #[getter]
    fn event_type(&self) -> &str {
        &self.0.event_type
    }
    #[getter]
    fn operation_number(&self) -> Option<&str> {
        self.0.operation_number.as_deref()
    }
    #[getter]
    fn cip(&self) -> Option<u64> {
        self.0.cip
    }
    /// The whole notification as plain data (numbers as int or Decimal).
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::json_to_py(py, &self.0.body)
    }
    #[getter]
    fn dedup_key(&self) -> String {
        Event::Other(self.0.clone()).dedup_key()
    }
    fn __repr__(&self) -> String {
        let o = &self.0;
        format!(
            "OtherEvent(event_type={}, operation_number={}, cip={})",
            q(&o.event_type),
            opt_str(&o.operation_number),
            o.cip.map(|c| c.to_string()).unwrap_or_else(|| "None".into())
        )
    }
}

/// A verified refund notification (`refund.processing`, `refund.refunded`,
/// `refund.rejected`, `cip.refunded`).
#[pyclass(frozen, eq, module = "pagoefectivo.webhooks")]
#[derive(PartialEq)]
pub struct RefundEvent(pub CoreRefund);

#[pymethods]
impl RefundEvent {
    #[getter]
    fn event_type(&self) -> &str {
        &self.0.event_type
    }
    #[getter]
    fn operation_number(&self) -> &str {
        &self.0.operation_number
    }
    #[getter]
    fn refund_id(&self) -> Option<&str> {
        self.0.refund_id.as_deref()
    }
    #[getter]
    fn cip(&self) -> u64 {
        self.0.cip
    }
    #[getter]
    fn merchant_refund_id(&self) -> Option<&str> {
        self.0.merchant_refund_id.as_deref()
    }
    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency.as_str()
    }
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.amount)
    }
    /// A `RefundStatus` (`UNKNOWN` for a status this version does not know; see `status_name`).
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::refund_models::refund_status(py, &self.0.status)
    }
    /// The status as received.
    #[getter]
    fn status_name(&self) -> &str {
        self.0.status.as_str()
    }
    #[getter]
    fn reason_code(&self) -> Option<&str> {
        self.0.reason_code.as_deref()
    }
    #[getter]
    fn dedup_key(&self) -> String {
        Event::Refund(self.0.clone()).dedup_key()
    }
    fn __repr__(&self) -> String {
        let r = &self.0;
        format!(
            "RefundEvent(event_type={}, cip={}, refund_id={}, status='{}', currency='{}', amount=Decimal('{}'))",
            q(&r.event_type),
            r.cip,
            opt_str(&r.refund_id),
            r.status.as_str(),
            r.currency,
            r.amount
        )
    }
}

/// The Python object for a verified event.
pub fn event(py: Python<'_>, e: Event) -> PyResult<Py<PyAny>> {
    Ok(match e {
        Event::CipPaid(p) => Py::new(py, CipPaidEvent(p))?.into_any(),
        Event::Refund(r) => Py::new(py, RefundEvent(r))?.into_any(),
        Event::Other(o) => Py::new(py, OtherEvent(o))?.into_any(),
    })
}

/// The core event behind a Python event object.
pub fn core_event(value: &Bound<'_, PyAny>) -> Option<Event> {
    if let Ok(p) = value.cast::<CipPaidEvent>() {
        return Some(Event::CipPaid(p.get().0.clone()));
    }
    if let Ok(r) = value.cast::<RefundEvent>() {
        return Some(Event::Refund(r.get().0.clone()));
    }
    if let Ok(o) = value.cast::<OtherEvent>() {
        return Some(Event::Other(o.get().0.clone()));
    }
    None
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cip>()?;
    m.add_class::<CipInfo>()?;
    m.add_class::<CipPaidEvent>()?;
    m.add_class::<RefundEvent>()?;
    m.add_class::<OtherEvent>()
}
