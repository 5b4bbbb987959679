//! `pagoefectivo._native`: the core's operations with Python values converted to and from its JSON;
//! the pure-Python package wraps them. Every rule is the core's (`pagoefectivo::boundary`).

mod aio;
mod client;
mod config;
mod convert;
mod dedup;
mod errors;
mod logging;
mod reconcile;
mod reconcile_client;
mod reconcile_models;
mod records;
mod sandbox;
mod webhooks;

use pagoefectivo::boundary::ops;
use pyo3::prelude::*;

use crate::convert::Input;
use crate::errors::guard;

/// Runs a client-less operation of `pagoefectivo::boundary::ops::OPS` (`time.parse`, `cip.validate_create`,
/// `payee.cci`, `reconcile.business_days`...): the arguments as the core reads them, the answer as plain data.
#[pyfunction]
fn call(py: Python<'_>, op: &str, args: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let input = Input::of(py, args)?;
        // A validation op reports its own findings with the conversion problems.
        input.check(py, op.contains("validate").then_some(op))?;
        let out = ops::call(op, &input.json).map_err(|e| input.error(py, &e))?;
        Ok(convert::to_py(py, &out)?.unbind())
    })
}

/// The core's error taxonomy: `{families: [{name, code}], codes: [{code, family, root, retryable, http}]}`.
#[pyfunction]
fn error_table(py: Python<'_>) -> PyResult<Py<PyAny>> {
    guard(py, || Ok(convert::to_py(py, &pagoefectivo::error_table())?.unbind()))
}

/// Test hook (internal): panics inside the native code, which must surface as `InternalError`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    guard(py, || panic!("a panic raised on purpose by _panic_for_tests"))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(error_table, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(aio::wait_idle, m)?)?;
    config::register(m)?;
    client::register(m)?;
    records::register(m)?;
    webhooks::register(m)?;
    dedup::register(m)?;
    reconcile::register(m)?;
    reconcile_models::register(m)?;
    reconcile_client::register(m)?;
    sandbox::register(m)?;
    logging::register(m)?;
    Ok(())
}
