//! `Config`: the core's configuration built from keyword arguments or `PAGOEFECTIVO_*` variables.

use std::time::Duration;

use pagoefectivo::{Environment, Language, RetryPolicy};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};

use crate::{convert, errors};

/// Everything one merchant store needs. Secrets never appear in its repr.
#[pyclass(frozen, module = "pagoefectivo")]
pub struct Config {
    pub inner: pagoefectivo::Config,
}

fn opt_str(py: Python<'_>, value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.cast::<PyString>() {
            Ok(s) => Ok(Some(s.to_cow()?.into_owned())),
            Err(_) => Err(errors::config(py, &format!("{name} must be a string"))),
        },
    }
}

fn opt_int<T: for<'a, 'py> FromPyObject<'a, 'py>>(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Option<T>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) if v.is_instance_of::<PyInt>() && !v.is_instance_of::<PyBool>() => {
            v.extract::<T>().map(Some).map_err(|_| errors::config(py, &format!("{name} is out of range")))
        }
        Some(_) => Err(errors::config(py, &format!("{name} must be an int"))),
    }
}

fn opt_duration(py: Python<'_>, value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match convert::duration(py, v)? {
            Ok(d) => Ok(Some(d)),
            Err(why) => Err(errors::config(py, &format!("{name} {why}"))),
        },
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

#[pymethods]
impl Config {
    #[new]
    #[pyo3(signature = (*, access_key=None, secret_key=None, id_service=None, environment=None, base_url=None,
        connect_timeout=None, request_timeout=None, total_timeout=None, max_attempts=None, initial_backoff=None,
        max_backoff=None, language=None, user_agent=None, search_batch_size=None, token_refresh_margin=None,
        refunds_path=None, refund_window=None, reports_path=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        access_key: Option<&Bound<'_, PyAny>>,
        secret_key: Option<&Bound<'_, PyAny>>,
        id_service: Option<&Bound<'_, PyAny>>,
        environment: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        request_timeout: Option<&Bound<'_, PyAny>>,
        total_timeout: Option<&Bound<'_, PyAny>>,
        max_attempts: Option<&Bound<'_, PyAny>>,
        initial_backoff: Option<&Bound<'_, PyAny>>,
        max_backoff: Option<&Bound<'_, PyAny>>,
        language: Option<&Bound<'_, PyAny>>,
        user_agent: Option<&Bound<'_, PyAny>>,
        search_batch_size: Option<&Bound<'_, PyAny>>,
        token_refresh_margin: Option<&Bound<'_, PyAny>>,
        refunds_path: Option<&Bound<'_, PyAny>>,
        refund_window: Option<&Bound<'_, PyAny>>,
        reports_path: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Config> {
        let fail = |e: pagoefectivo::Error| errors::to_py(py, &e);
        let mut b = pagoefectivo::Config::builder();
        if let Some(v) = opt_str(py, access_key, "access_key")? {
            b = b.access_key(v);
        }
        if let Some(v) = opt_str(py, secret_key, "secret_key")? {
            b = b.secret_key(v);
        }
        if let Some(v) = opt_int::<u32>(py, id_service, "id_service")? {
            b = b.id_service(v);
        }
        if let Some(v) = opt_str(py, environment, "environment")? {
            b = b.environment(Environment::parse(&v).map_err(fail)?);
        }
        if let Some(v) = opt_str(py, base_url, "base_url")? {
            b = b.base_url(v);
        }
        if let Some(d) = opt_duration(py, connect_timeout, "connect_timeout")? {
            b = b.connect_timeout(d);
        }
        if let Some(d) = opt_duration(py, request_timeout, "request_timeout")? {
            b = b.request_timeout(d);
        }
        if let Some(d) = opt_duration(py, total_timeout, "total_timeout")? {
            b = b.total_timeout(d);
        }
        let mut retry = RetryPolicy::default();
        if let Some(n) = opt_int::<u32>(py, max_attempts, "max_attempts")? {
            retry.max_attempts = n;
        }
        if let Some(d) = opt_duration(py, initial_backoff, "initial_backoff")? {
            retry.initial_backoff = d;
        }
        if let Some(d) = opt_duration(py, max_backoff, "max_backoff")? {
            retry.max_backoff = d;
        }
        b = b.retry(retry);
        if let Some(v) = opt_str(py, language, "language")? {
            b = b.language(Language::parse(&v).map_err(fail)?);
        }
        if let Some(v) = opt_str(py, user_agent, "user_agent")? {
            b = b.user_agent(v);
        }
        if let Some(n) = opt_int::<usize>(py, search_batch_size, "search_batch_size")? {
            b = b.search_batch_size(n);
        }
        if let Some(d) = opt_duration(py, token_refresh_margin, "token_refresh_margin")? {
            b = b.token_refresh_margin(d);
        }
        if let Some(v) = opt_str(py, refunds_path, "refunds_path")? {
            b = b.refunds_path(v);
        }
        if let Some(d) = opt_duration(py, refund_window, "refund_window")? {
            b = b.refund_window(d);
        }
        if let Some(v) = opt_str(py, reports_path, "reports_path")? {
            b = b.reports_path(v);
        }
        Ok(Config { inner: b.build().map_err(fail)? })
    }

    /// From `PAGOEFECTIVO_*` variables: `os.environ`, or the mapping given.
    #[staticmethod]
    #[pyo3(signature = (environ=None))]
    fn from_env(py: Python<'_>, environ: Option<&Bound<'_, PyAny>>) -> PyResult<Config> {
        let environ = match environ {
            Some(e) if !e.is_none() => e.clone(),
            _ => py.import("os")?.getattr("environ")?,
        };
        let lookup_error = std::cell::RefCell::new(None);
        let result = pagoefectivo::Config::from_lookup(|name| match environ.call_method1("get", (name,)) {
            Ok(v) if v.is_none() => None,
            Ok(v) => v.str().ok().and_then(|s| s.to_cow().ok().map(|c| c.into_owned())),
            Err(e) => {
                lookup_error.borrow_mut().get_or_insert(e);
                None
            }
        });
        if let Some(e) = lookup_error.into_inner() {
            return Err(e);
        }
        result.map(|inner| Config { inner }).map_err(|e| errors::to_py(py, &e))
    }

    /// `sandbox`, `production` or `custom` (a URL of your own: the local sandbox, a proxy).
    #[getter]
    fn environment(&self) -> &'static str {
        match self.inner.environment {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
            Environment::Custom(_) => "custom",
        }
    }
    #[getter]
    fn base_url(&self) -> String {
        self.inner.base_url()
    }
    #[getter]
    fn access_key(&self) -> &str {
        &self.inner.access_key
    }
    #[getter]
    fn id_service(&self) -> u32 {
        self.inner.id_service
    }
    #[getter]
    fn connect_timeout(&self) -> f64 {
        secs(self.inner.connect_timeout)
    }
    #[getter]
    fn request_timeout(&self) -> f64 {
        secs(self.inner.request_timeout)
    }
    #[getter]
    fn total_timeout(&self) -> f64 {
        secs(self.inner.total_timeout)
    }
    #[getter]
    fn max_attempts(&self) -> u32 {
        self.inner.retry.max_attempts
    }
    #[getter]
    fn initial_backoff(&self) -> f64 {
        secs(self.inner.retry.initial_backoff)
    }
    #[getter]
    fn max_backoff(&self) -> f64 {
        secs(self.inner.retry.max_backoff)
    }
    #[getter]
    fn language(&self) -> &'static str {
        self.inner.language.as_str()
    }
    #[getter]
    fn user_agent(&self) -> Option<&str> {
        self.inner.user_agent.as_deref()
    }
    #[getter]
    fn search_batch_size(&self) -> usize {
        self.inner.search_batch_size
    }
    #[getter]
    fn token_refresh_margin(&self) -> f64 {
        secs(self.inner.token_refresh_margin)
    }

    /// Path of the refund extension under the base URL.
    #[getter]
    fn refunds_path(&self) -> &str {
        &self.inner.refunds_path
    }
    /// Refunds are allowed this long after payment (seconds; 90 days by default).
    #[getter]
    fn refund_window(&self) -> f64 {
        secs(self.inner.refund_window)
    }
    /// Path of the settlement-report extension under the base URL.
    #[getter]
    fn reports_path(&self) -> &str {
        &self.inner.reports_path
    }

    fn __repr__(&self) -> String {
        let c = &self.inner;
        format!(
            "Config(base_url={}, id_service={}, access_key={}, secret_key='[REDACTED]', \
             request_timeout={}, total_timeout={}, max_attempts={})",
            convert::q(&c.base_url()),
            c.id_service,
            convert::q(&c.access_key),
            secs(c.request_timeout),
            secs(c.total_timeout),
            c.retry.max_attempts
        )
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Config>()
}
