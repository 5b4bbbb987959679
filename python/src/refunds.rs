//! The refund calls of one client, blocking (GIL released) or as awaitables, and the audit sinks.

use std::path::PathBuf;
use std::sync::Arc;

use pagoefectivo::{
    CreateRefundRequest, Error, ErrorCode, JsonLinesAuditSink, RefundAuditRecord, RefundAuditSink,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::client::{blocking, wait_options};
use crate::refund_models::{Refund, RefundEligibility};
use crate::{aio, convert, errors, logging};

/// A Python callable receiving each audit record as a dict (the JSON-lines keys).
struct PyAuditSink {
    callable: Py<PyAny>,
}

impl RefundAuditSink for PyAuditSink {
    fn record(&self, record: &RefundAuditRecord) -> Result<(), Error> {
        let json = serde_json::to_value(record)
            .map_err(|e| Error::new(ErrorCode::ConfigurationError, format!("audit record: {e}")))?;
        Python::attach(|py| {
            let called = convert::json_to_py(py, &json).and_then(|d| self.callable.bind(py).call1((d,)));
            called.map(|_| ()).map_err(|e| {
                // The core only logs a failing sink; show the Python traceback too.
                let text = e.to_string();
                e.write_unraisable(py, Some(self.callable.bind(py)));
                Error::new(ErrorCode::ConfigurationError, format!("the refund audit callable raised: {text}"))
            })
        })
    }
}

/// `refund_audit=`: a path (JSON lines, appended) or a callable.
pub fn audit_sink(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Arc<dyn RefundAuditSink>> {
    if value.is_instance_of::<PyString>() || value.hasattr("__fspath__")? {
        let path: PathBuf = value.extract()?;
        let sink = py.detach(|| JsonLinesAuditSink::open(&path)).map_err(|e| errors::to_py(py, &e))?;
        return Ok(Arc::new(sink));
    }
    if value.is_callable() {
        return Ok(Arc::new(PyAuditSink { callable: value.clone().unbind() }));
    }
    Err(errors::config(py, "refund_audit must be a file path or a callable taking one dict"))
}

fn request(py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<CreateRefundRequest> {
    let req = convert::RequestJson::from_kwargs(py, params)?;
    CreateRefundRequest::from_json(&req.json).map_err(|e| req.error(py, &e))
}

fn window_days(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u32>> {
    match value {
        Some(v) if !v.is_none() => match convert::scalar(py, v, false)? {
            Ok(serde_json::Value::Number(n)) if !v.is_instance_of::<pyo3::types::PyBool>() => n
                .as_u64()
                .and_then(|d| u32::try_from(d).ok())
                .map(Some)
                .ok_or_else(|| errors::validation(py, "window_days", "must be a whole number of days")),
            _ => Err(errors::validation(py, "window_days", "must be a whole number of days")),
        },
        _ => Ok(None),
    }
}

/// Checks a refund request exactly as `create` does before any rule, sending nothing.
#[pyfunction]
pub fn validate_refund_request(py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<()> {
    request(py, params).map(|_| ())
}

/// `None` if the 20-digit CCI is valid, else a `ValidationError` on `cci`.
#[pyfunction]
pub fn validate_cci(py: Python<'_>, cci: &str) -> PyResult<()> {
    pagoefectivo::validate_cci(cci).map_err(|e| errors::to_py(py, &e))
}

/// The CCI for bank (3) + office (3) + account (12) digits, with its two check digits.
#[pyfunction]
pub fn cci_with_check_digits(py: Python<'_>, first_18: &str) -> PyResult<String> {
    pagoefectivo::cci_with_check_digits(first_18)
        .ok_or_else(|| errors::validation(py, "cci", "must be the first 18 digits of a CCI"))
}

/// Refund operations of one client (the SDK's extension).
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct Refunds {
    pub inner: pagoefectivo::Refunds,
}

#[pymethods]
impl Refunds {
    fn create(&self, py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<Refund> {
        let req = request(py, params)?;
        let r = self.inner.clone();
        blocking(py, async move { r.create(&req).await.map(Refund) })
    }

    fn get(&self, py: Python<'_>, refund_id: &str) -> PyResult<Refund> {
        let (r, id) = (self.inner.clone(), refund_id.to_owned());
        blocking(py, async move { r.get(&id).await.map(Refund) })
    }

    fn list(&self, py: Python<'_>, cip: &Bound<'_, PyAny>) -> PyResult<Vec<Refund>> {
        let (r, cip) = (self.inner.clone(), convert::cip_number(py, cip)?);
        blocking(py, async move { r.list(cip).await.map(|v| v.into_iter().map(Refund).collect()) })
    }

    #[pyo3(signature = (cip, window_days=None))]
    fn eligibility(
        &self,
        py: Python<'_>,
        cip: &Bound<'_, PyAny>,
        window_days: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RefundEligibility> {
        let (cip, days) = (convert::cip_number(py, cip)?, self::window_days(py, window_days)?);
        let r = self.inner.clone();
        blocking(py, async move { r.eligibility(cip, days).await.map(RefundEligibility) })
    }

    fn wait_for_final_status(
        &self,
        py: Python<'_>,
        refund_id: &str,
        timeout: &Bound<'_, PyAny>,
        initial_interval: &Bound<'_, PyAny>,
        max_interval: &Bound<'_, PyAny>,
    ) -> PyResult<Refund> {
        let options = wait_options(py, timeout, initial_interval, max_interval)?;
        let (r, id) = (self.inner.clone(), refund_id.to_owned());
        blocking(py, async move { r.wait_for_final_status(&id, options).await.map(Refund) })
    }

    fn create_async<'py>(&self, py: Python<'py>, params: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let req = request(py, params)?;
        let r = self.inner.clone();
        aio::future(py, async move { r.create(&req).await.map(Refund) })
    }

    fn get_async<'py>(&self, py: Python<'py>, refund_id: &str) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let (r, id) = (self.inner.clone(), refund_id.to_owned());
        aio::future(py, async move { r.get(&id).await.map(Refund) })
    }

    fn list_async<'py>(&self, py: Python<'py>, cip: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let (r, cip) = (self.inner.clone(), convert::cip_number(py, cip)?);
        aio::future(
            py,
            async move { r.list(cip).await.map(|v| v.into_iter().map(Refund).collect::<Vec<_>>()) },
        )
    }

    #[pyo3(signature = (cip, window_days=None))]
    fn eligibility_async<'py>(
        &self,
        py: Python<'py>,
        cip: &Bound<'py, PyAny>,
        window_days: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let (cip, days) = (convert::cip_number(py, cip)?, self::window_days(py, window_days)?);
        let r = self.inner.clone();
        aio::future(py, async move { r.eligibility(cip, days).await.map(RefundEligibility) })
    }

    fn wait_for_final_status_async<'py>(
        &self,
        py: Python<'py>,
        refund_id: &str,
        timeout: &Bound<'py, PyAny>,
        initial_interval: &Bound<'py, PyAny>,
        max_interval: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let options = wait_options(py, timeout, initial_interval, max_interval)?;
        let (r, id) = (self.inner.clone(), refund_id.to_owned());
        aio::future(py, async move { r.wait_for_final_status(&id, options).await.map(Refund) })
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(validate_refund_request, m)?)?;
    m.add_function(wrap_pyfunction!(validate_cci, m)?)?;
    m.add_function(wrap_pyfunction!(cci_with_check_digits, m)?)?;
    m.add_class::<Refunds>()
}
