//! `Config`: the core's configuration from an options object (or `PAGOEFECTIVO_*` variables), read by the core.

use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::{self, Input, q};
use crate::errors::guard;

/// One merchant store's configuration. The secret key never leaves it (no getter, no repr).
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct Config {
    pub inner: pagoefectivo::Config,
    /// What it was built from (`Config::from_options`), so that a client can add its own options.
    pub options: Value,
}

#[pymethods]
impl Config {
    /// The options of `Config::from_options` (any casing, durations as `*_ms`), or `{"env": {...}}`.
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyAny>) -> PyResult<Config> {
        guard(py, || {
            let input = Input::of(py, options)?;
            input.check(py, None)?;
            let inner = pagoefectivo::Config::from_options(&input.json).map_err(|e| input.error(py, &e))?;
            Ok(Config { inner, options: input.json })
        })
    }

    /// What may be shown of it: the core's `Settings` (camelCase keys; no secret, no proxy password).
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || convert::to_py(py, &self.inner.settings()))
    }

    fn __repr__(&self) -> String {
        format!(
            "Config(base_url={}, id_service={}, secret_key='[REDACTED]')",
            q(&self.inner.base_url()),
            self.inner.id_service
        )
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Config>()
}
