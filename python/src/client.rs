//! The native client: every operation by name through the core's dispatch, blocking (GIL released) or awaitable.

use std::sync::Arc;

use pagoefectivo::boundary::{ClientOptions, ops};
use pagoefectivo::{Error, ErrorCode, RefundAuditRecord, RefundAuditSink, runtime};
use pyo3::prelude::*;
use serde_json::Value;

use crate::config::Config;
use crate::convert::{self, Input};
use crate::errors::{self, guard};
use crate::records::Shape;
use crate::{aio, logging, reconcile_client};

/// One client per merchant configuration; safe to share between threads and across a fork.
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct Client {
    pub(crate) inner: pagoefectivo::Client,
}

/// A Python callable receiving each refund audit record as a dict (the JSON-lines keys).
struct PyAuditSink {
    callable: Py<PyAny>,
}

impl RefundAuditSink for PyAuditSink {
    fn record(&self, record: &RefundAuditRecord) -> Result<(), Error> {
        let json =
            serde_json::to_value(record).map_err(|e| Error::internal(&format!("audit record: {e}")))?;
        Python::attach(|py| {
            let called = convert::to_py(py, &json).and_then(|d| self.callable.bind(py).call1((d,)));
            called.map(|_| ()).map_err(|e| {
                // The core only logs a failing sink; show the Python traceback too.
                let text = e.to_string();
                e.write_unraisable(py, Some(self.callable.bind(py)));
                Error::new(ErrorCode::ConfigurationError, format!("the refund audit callable raised: {text}"))
            })
        })
    }
}

/// The core's validation of a request, run with the conversion problems so all are reported at once.
fn validator(op: &str) -> Option<&'static str> {
    match op {
        "cips.create" => Some("cip.validate_create"),
        "refunds.create" => Some("refund.validate"),
        _ => None,
    }
}

/// An operation's JSON result, made a Python value (records for results) once the GIL is held.
pub struct Reply(pub Value, pub Shape);

impl<'py> IntoPyObject<'py> for Reply {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.1.to_py(py, self.0).map(|o| o.into_bound(py))
    }
}

impl Client {
    fn args(py: Python<'_>, op: &str, args: &Bound<'_, PyAny>) -> PyResult<Value> {
        logging::refresh_level(py);
        let input = Input::of(py, args)?;
        input.check(py, validator(op))?;
        Ok(input.json)
    }
}

#[pymethods]
impl Client {
    /// `refund_audit`: a callable taking each record as a dict, or a file path (the core's `refund_audit_file`).
    #[new]
    #[pyo3(signature = (config, refund_audit=None))]
    fn new(py: Python<'_>, config: &Config, refund_audit: Option<&Bound<'_, PyAny>>) -> PyResult<Client> {
        guard(py, || {
            let fail = |e: Error| errors::to_py(py, &e);
            let inner = match refund_audit.filter(|a| !a.is_none()) {
                Some(sink) if sink.is_callable() => pagoefectivo::Client::new(config.inner.clone())
                    .map_err(fail)?
                    .with_refund_audit_sink(Arc::new(PyAuditSink { callable: sink.clone().unbind() })),
                Some(file) => {
                    let mut options = config.options.clone();
                    if let Value::Object(map) = &mut options {
                        map.insert("refund_audit_file".into(), Input::of(py, file)?.json);
                    }
                    let built = py.detach(|| ClientOptions::from_value(&options)?.client());
                    built.map_err(fail)?
                }
                None => pagoefectivo::Client::new(config.inner.clone()).map_err(fail)?,
            };
            Ok(Client { inner })
        })
    }

    /// Runs operation `op` of `pagoefectivo::boundary::ops::CLIENT_OPS` with the GIL released.
    fn call(&self, py: Python<'_>, op: &str, args: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let json = Self::args(py, op, args)?;
            let c = self.inner.clone();
            let out = py.detach(|| runtime::block_on(async { ops::client_call(&c, op, &json).await }));
            Shape::of(op).to_py(py, out.map_err(|e| errors::to_py(py, &e))?)
        })
    }

    /// `call` as an awaitable, run on the core's runtime.
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        op: &str,
        args: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let json = Self::args(py, op, args)?;
            let (c, op) = (self.inner.clone(), op.to_owned());
            let shape = Shape::of(&op);
            aio::future(py, async move { ops::client_call(&c, &op, &json).await.map(|v| Reply(v, shape)) })
        })
    }

    fn reconciliation(&self) -> reconcile_client::ClientReconciliation {
        reconcile_client::ClientReconciliation { client: self.inner.clone() }
    }

    fn __repr__(&self) -> String {
        let c = self.inner.config();
        format!("Client(base_url={}, id_service={})", convert::q(&c.base_url()), c.id_service)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Client>()
}
