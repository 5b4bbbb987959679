//! The sandbox emulator in-process for tests (`pagoefectivo.testing.Sandbox`), with its control API.

use std::sync::Mutex;
use std::time::Duration;

use pagoefectivo::{Decimal, runtime};
use pagoefectivo_sandbox::{Control, ControlError, Endpoint, Fault, RefundStatus, SandboxConfig, Service};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::{convert, errors};

create_exception!(
    _native,
    SandboxError,
    PyException,
    "A sandbox control call was refused (unknown CIP, wrong state)."
);

fn control_error(e: ControlError) -> PyErr {
    let kind = match e {
        ControlError::UnknownCip(_) => "unknown_cip",
        ControlError::InvalidState { .. } => "invalid_state",
        ControlError::UnknownRefund(_) => "unknown_refund",
        ControlError::InvalidRefundTransition { .. } => "invalid_transition",
    };
    SandboxError::new_err((e.to_string(), kind))
}

fn runtime_error(py: Python<'_>, e: pagoefectivo::Error) -> PyErr {
    errors::to_py(py, &e)
}

fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    convert::json_to_py(py, &json)
}

fn secs(py: Python<'_>, value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<Duration>> {
    match value {
        Some(v) if !v.is_none() => {
            convert::duration(py, v)?.map(Some).map_err(|why| PyValueError::new_err(format!("{name} {why}")))
        }
        _ => Ok(None),
    }
}

/// A running sandbox on 127.0.0.1 with one merchant service.
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct Sandbox {
    server: Mutex<Option<pagoefectivo_sandbox::Sandbox>>,
    control: Control,
    base_url: String,
    port: u16,
    service: Service,
}

#[pymethods]
impl Sandbox {
    #[new]
    #[pyo3(signature = (*, port=0, id_service=None, access_key=None, secret_key=None, token_lifetime=None,
        max_amount=None, default_expiry=None, notification_url=None, webhook_retry_delay=None, first_cip=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: u16,
        id_service: Option<u32>,
        access_key: Option<String>,
        secret_key: Option<String>,
        token_lifetime: Option<&Bound<'_, PyAny>>,
        max_amount: Option<&Bound<'_, PyAny>>,
        default_expiry: Option<&Bound<'_, PyAny>>,
        notification_url: Option<String>,
        webhook_retry_delay: Option<&Bound<'_, PyAny>>,
        first_cip: Option<u64>,
    ) -> PyResult<Sandbox> {
        let mut service = Service::demo();
        if let Some(id) = id_service {
            service.id_service = id;
        }
        if let Some(k) = access_key {
            service.access_key = k;
        }
        if let Some(k) = secret_key {
            service.secret_key = k;
        }
        let mut config = SandboxConfig {
            port,
            services: vec![service.clone()],
            notification_url,
            // Tests want the one retry of a failed notification quickly.
            webhook_retry_delay: Duration::from_millis(50),
            ..SandboxConfig::default()
        };
        if let Some(d) = secs(py, token_lifetime, "token_lifetime")? {
            config.token_lifetime = d;
        }
        if let Some(d) = secs(py, default_expiry, "default_expiry")? {
            config.default_expiry = d;
        }
        if let Some(d) = secs(py, webhook_retry_delay, "webhook_retry_delay")? {
            config.webhook_retry_delay = d;
        }
        if let Some(m) = max_amount.filter(|m| !m.is_none()) {
            config.max_amount = m
                .str()?
                .to_cow()?
                .parse::<Decimal>()
                .map_err(|_| PyValueError::new_err("max_amount must be a decimal amount"))?;
        }
        if let Some(c) = first_cip {
            config.first_cip = c;
        }
        let rt = runtime::shared().map_err(|e| runtime_error(py, e))?;
        let server = py
            .detach(|| rt.block_on(pagoefectivo_sandbox::Sandbox::start(config)))
            .map_err(|e| PyValueError::new_err(format!("the sandbox could not start: {e}")))?;
        Ok(Sandbox {
            control: server.control(),
            base_url: server.base_url(),
            port: server.addr().port(),
            server: Mutex::new(Some(server)),
            service,
        })
    }

    /// `http://127.0.0.1:PORT/v1/`: what a client's `base_url` should be.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }
    #[getter]
    fn port(&self) -> u16 {
        self.port
    }
    #[getter]
    fn id_service(&self) -> u32 {
        self.service.id_service
    }
    #[getter]
    fn access_key(&self) -> &str {
        &self.service.access_key
    }
    #[getter]
    fn secret_key(&self) -> &str {
        &self.service.secret_key
    }

    fn pay<'py>(&self, py: Python<'py>, cip: u64) -> PyResult<Bound<'py, PyDict>> {
        let p = self.control.pay(cip).map_err(control_error)?;
        let d = PyDict::new(py);
        d.set_item("cip", p.cip)?;
        d.set_item("operation_number", p.operation_number)?;
        d.set_item("date_payment", convert::datetime(py, &p.date_payment)?)?;
        Ok(d)
    }

    fn expire(&self, cip: u64) -> PyResult<()> {
        self.control.expire(cip).map_err(control_error)
    }

    fn advance_clock<'py>(&self, py: Python<'py>, by: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let d = secs(py, Some(by), "by")?.unwrap_or_default();
        convert::datetime(py, &self.control.advance_clock(d))
    }

    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::datetime(py, &self.control.now())
    }

    fn cip<'py>(&self, py: Python<'py>, cip: u64) -> PyResult<Bound<'py, PyAny>> {
        match self.control.cip(cip) {
            Some(record) => to_py(py, &record),
            None => Ok(py.None().into_bound(py)),
        }
    }

    fn cips<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.control.cips())
    }

    fn deliveries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.control.deliveries())
    }

    fn wait_for_deliveries<'py>(
        &self,
        py: Python<'py>,
        count: usize,
        timeout: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let timeout = secs(py, Some(timeout), "timeout")?.unwrap_or_default();
        let rt = runtime::shared().map_err(|e| runtime_error(py, e))?;
        let control = self.control.clone();
        let list = py.detach(|| rt.block_on(control.wait_for_deliveries(count, timeout)));
        to_py(py, &list)
    }

    /// Every refund the sandbox holds, oldest first.
    fn refunds<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.control.refunds())
    }

    fn refund<'py>(&self, py: Python<'py>, refund_id: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.control.refund(refund_id) {
            Some(record) => to_py(py, &record),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// Moves a refund to `processing`, `refunded` or `rejected` and sends the signed notification.
    #[pyo3(signature = (refund_id, to, reason_code=None))]
    fn advance_refund<'py>(
        &self,
        py: Python<'py>,
        refund_id: &str,
        to: &str,
        reason_code: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let to: RefundStatus = serde_json::from_value(Value::String(to.to_owned())).map_err(|_| {
            PyValueError::new_err(format!("unknown refund status {to:?}: processing, refunded or rejected"))
        })?;
        let record = self.control.advance_refund(refund_id, to, reason_code).map_err(control_error)?;
        to_py(py, &record)
    }

    #[getter]
    fn notification_url(&self) -> Option<String> {
        self.control.notification_url()
    }

    #[pyo3(signature = (url))]
    fn set_notification_url(&self, url: Option<String>) {
        self.control.set_notification_url(url);
    }

    /// Arms a fault: `{"endpoint": ..., "kind": ..., ...}` as in sandbox/README.md.
    fn add_fault(&self, py: Python<'_>, fault: &Bound<'_, PyDict>) -> PyResult<()> {
        let json = convert::py_to_json(py, fault.as_any())?;
        let fault: Fault =
            serde_json::from_value(json).map_err(|e| PyValueError::new_err(format!("bad fault: {e}")))?;
        self.control.add_fault(fault);
        Ok(())
    }

    fn clear_faults(&self) {
        self.control.clear_faults();
    }

    fn faults<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.control.faults())
    }

    fn request_count(&self, endpoint: &str) -> PyResult<u64> {
        let endpoint: Endpoint = serde_json::from_value(Value::String(endpoint.to_owned()))
            .map_err(|_| PyValueError::new_err(format!("unknown sandbox endpoint {endpoint:?}")))?;
        Ok(self.control.request_count(endpoint))
    }

    /// Stops the server, letting in-flight requests finish. Idempotent.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(server) = server {
            let rt = runtime::shared().map_err(|e| runtime_error(py, e))?;
            py.detach(|| rt.block_on(server.shutdown()));
        }
        Ok(())
    }

    fn __repr__(&self) -> String {
        format!("Sandbox(base_url={}, id_service={})", convert::q(&self.base_url), self.service.id_service)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SandboxError", m.py().get_type::<SandboxError>())?;
    m.add_class::<Sandbox>()
}
