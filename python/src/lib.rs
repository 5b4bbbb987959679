//! `pagoefectivo._native`: the core's types and calls converted for Python; the pure-Python package re-exports them.

mod aio;
mod client;
mod config;
mod convert;
mod dedup;
mod errors;
mod logging;
mod models;
mod reconcile;
mod reconcile_client;
mod reconcile_models;
mod refund_models;
mod refunds;
mod sandbox;
mod webhooks;

use pyo3::prelude::*;

/// Stable name of a numeric CIP status code (`22` -> `generated`).
#[pyfunction]
fn cip_status_name(code: u32) -> &'static str {
    pagoefectivo::CipStatus::from_code(code).as_str()
}

/// `hashString` of the authorization request, as PagoEfectivo computes it.
#[pyfunction]
fn hash_string(id_service: u32, access_key: &str, secret_key: &str, date_request: &str) -> String {
    pagoefectivo::hash_string(id_service, access_key, secret_key, date_request)
}

/// A PagoEfectivo time string (any accepted form) as an aware datetime in Lima time.
#[pyfunction]
fn parse_time<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let t = pagoefectivo::time::parse(text).map_err(|e| errors::to_py(py, &e))?;
    convert::datetime(py, &t)
}

/// An aware datetime (or a time string) in the wire form `yyyy-MM-ddTHH:mm:ss-05:00`.
#[pyfunction]
fn format_time(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let t = convert::lima_time(py, value, "time")?;
    Ok(pagoefectivo::time::format(&t))
}

/// Checks CIP creation parameters exactly as `create` does, without sending anything.
#[pyfunction]
fn validate_cip_request(py: Python<'_>, params: &Bound<'_, pyo3::types::PyDict>) -> PyResult<()> {
    let request = convert::cip_request(py, params)?;
    request.validate(pagoefectivo::time::now_lima()).map_err(|e| errors::to_py(py, &e))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SIGNATURE_HEADER", pagoefectivo::webhook::SIGNATURE_HEADER)?;
    m.add_function(wrap_pyfunction!(cip_status_name, m)?)?;
    m.add_function(wrap_pyfunction!(hash_string, m)?)?;
    m.add_function(wrap_pyfunction!(parse_time, m)?)?;
    m.add_function(wrap_pyfunction!(format_time, m)?)?;
    m.add_function(wrap_pyfunction!(validate_cip_request, m)?)?;
    m.add_function(wrap_pyfunction!(aio::wait_idle, m)?)?;
    config::register(m)?;
    client::register(m)?;
    models::register(m)?;
    webhooks::register(m)?;
    dedup::register(m)?;
    refunds::register(m)?;
    refund_models::register(m)?;
    reconcile::register(m)?;
    reconcile_models::register(m)?;
    reconcile_client::register(m)?;
    sandbox::register(m)?;
    logging::register(m)?;
    Ok(())
}
