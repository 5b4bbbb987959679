//! The sandbox emulator in-process for tests (`pagoefectivo.testing.Sandbox`): the shared test driver, named ops.

use std::sync::{Arc, Mutex};

use pagoefectivo_testing::TestSandbox;
use pyo3::prelude::*;

use crate::convert::{self, Input, q};
use crate::errors::{self, guard};

/// A running sandbox on 127.0.0.1 with one merchant service.
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct Sandbox {
    inner: Mutex<Option<Arc<TestSandbox>>>,
    base_url: String,
}

#[pymethods]
impl Sandbox {
    /// Starts one (options of `SandboxConfig::from_options`; an unknown option is refused).
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyAny>) -> PyResult<Sandbox> {
        guard(py, || {
            let input = Input::of(py, options)?;
            input.check(py, None)?;
            let started = py.detach(|| TestSandbox::start(&input.json)).map_err(|e| input.error(py, &e))?;
            Ok(Sandbox {
                base_url: started.base_url().to_owned(),
                inner: Mutex::new(Some(Arc::new(started))),
            })
        })
    }

    /// Runs a control operation of `pagoefectivo_testing::CONTROL_OPS` (`info`, `pay`, `fault`...).
    fn call(&self, py: Python<'_>, op: &str, args: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let input = Input::of(py, args)?;
            input.check(py, None)?;
            let running = self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let out = py.detach(|| match running {
                Some(sb) => sb.call(op, &input.json),
                None => Err(pagoefectivo::Error::new(
                    pagoefectivo::ErrorCode::ConnectionError,
                    "the sandbox is closed",
                )),
            });
            Ok(convert::to_py(py, &out.map_err(|e| errors::to_py(py, &e))?)?.unbind())
        })
    }

    /// Stops the server, letting in-flight requests finish. Idempotent.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let taken = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        guard(py, || {
            py.detach(move || drop(taken));
            Ok(())
        })
    }

    fn __repr__(&self) -> String {
        format!("Sandbox(base_url={})", q(&self.base_url))
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Stopping waits for the server's tasks, which may log (and so need the GIL): wait without it.
        let taken = self.inner.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        if taken.is_some() {
            Python::attach(|py| py.detach(move || drop(taken)));
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Sandbox>()
}
