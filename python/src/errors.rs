//! `pagoefectivo::Error` -> the exception classes of `pagoefectivo.errors`, and panics -> `InternalError`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pagoefectivo::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for a core error; `cls` forces a class (else chosen by code, then family).
fn build(py: Python<'_>, e: &Error, cls: Option<&str>) -> PyErr {
    let built = (|| -> PyResult<PyErr> {
        let factory = FACTORY
            .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
                Ok(py.import("pagoefectivo.errors")?.getattr("_from_native")?.unbind())
            })?
            .bind(py);
        let attrs = PyDict::new(py);
        let fields = PyList::empty(py);
        for f in e.field_errors() {
            fields.append((f.field.as_str(), f.code.as_str(), f.message.as_str()))?;
        }
        attrs.set_item("field_errors", fields)?;
        attrs.set_item("family", e.family().as_str())?;
        attrs.set_item("http_status", e.http_status())?;
        attrs.set_item("pe_code", e.pe_code())?;
        attrs.set_item("pe_message", e.pe_message())?;
        attrs.set_item("retryable", e.is_retryable())?;
        attrs.set_item("attempts", e.attempts())?;
        attrs.set_item("reason", e.reason())?;
        attrs.set_item("hint", e.hint())?;
        attrs.set_item("transaction_code", e.transaction_code())?;
        attrs.set_item("request_id", e.request_id())?;
        let exc = factory.call1((e.code().as_str(), e.to_string(), e.message(), attrs, cls))?;
        Ok(PyErr::from_value(exc))
    })();
    // If the package itself cannot be imported the import error says why; never panic.
    built.unwrap_or_else(|e| e)
}

/// The Python exception for a core error.
pub fn to_py(py: Python<'_>, e: &Error) -> PyErr {
    build(py, e, None)
}

/// A `validation_error` on one field, worded by the binding (a value of the wrong Python type).
pub fn invalid(py: Python<'_>, field: &str, message: &str) -> PyErr {
    to_py(py, &Error::invalid_field(field, message))
}

/// `construct_event` got something other than the raw bytes: a `RawBodyError` (a ValidationError and a TypeError).
pub fn raw_body(py: Python<'_>, message: &str) -> PyErr {
    build(py, &Error::invalid_field("body", message), Some("RawBodyError"))
}

/// Runs the body of an entry point: a panic in it (a bug of this SDK) becomes
/// `InternalError` (`internal_error`), which `except Exception` and
/// `except PagoEfectivoError` catch, instead of pyo3's `PanicException`.
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(to_py(py, &Error::from_panic(&*payload))))
}
