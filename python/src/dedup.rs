//! The core's notification deduplicator, in memory or over a Python store object.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pagoefectivo::{DedupStore, Deduplicator as CoreDedup, Error, ErrorCode, MemoryDedupStore};
use pyo3::prelude::*;

use crate::convert::{self, cached};
use crate::errors::{self, guard};
use crate::records;

static TIMEDELTA: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

/// Seconds (int or float) or a `timedelta` as a duration; anything else is refused, naming `ttl`.
fn ttl(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let secs = if value.is_instance(&cached(py, &TIMEDELTA, "datetime", &["timedelta"])?)? {
        value.call_method0("total_seconds")?
    } else {
        value.clone()
    };
    let why = "must be a non-negative number of seconds or a datetime.timedelta";
    match convert::Input::of(py, &secs)?.json {
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(s) if s.is_finite() && (0.0..=1e12).contains(&s) => Ok(Duration::from_secs_f64(s)),
            _ => Err(errors::invalid(py, "ttl", why)),
        },
        _ => Err(errors::invalid(py, "ttl", why)),
    }
}

/// A Python object with `claim(key: str, ttl: float) -> bool` and `release(key: str) -> None`.
struct PyStore {
    obj: Py<PyAny>,
    /// The Python exception a store method raised, re-raised unchanged after the core returns.
    failure: Mutex<Option<PyErr>>,
}

impl PyStore {
    fn call<T>(&self, f: impl FnOnce(Python<'_>, &Bound<'_, PyAny>) -> PyResult<T>) -> Result<T, Error> {
        Python::attach(|py| f(py, self.obj.bind(py))).map_err(|e| {
            *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
            Error::new(ErrorCode::ConfigurationError, "the dedup store raised an exception")
        })
    }
}

impl DedupStore for PyStore {
    fn claim(&self, key: &str, ttl: Duration) -> Result<bool, Error> {
        self.call(|_, o| o.call_method1("claim", (key, ttl.as_secs_f64()))?.is_truthy())
    }
    fn release(&self, key: &str) -> Result<(), Error> {
        self.call(|_, o| o.call_method1("release", (key,)).map(|_| ()))
    }
}

/// Answers "was this notification already processed?" (PagoEfectivo can deliver one twice).
#[pyclass(frozen, module = "pagoefectivo.webhooks")]
pub struct Deduplicator {
    inner: CoreDedup,
    store: Option<Arc<PyStore>>,
}

impl Deduplicator {
    fn event(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<pagoefectivo::Event> {
        records::core_event(event)
            .ok_or_else(|| errors::invalid(py, "event", "must be an event returned by construct_event"))
    }

    fn fail(&self, py: Python<'_>, e: Error) -> PyErr {
        let stashed =
            self.store.as_ref().and_then(|s| s.failure.lock().unwrap_or_else(|p| p.into_inner()).take());
        stashed.unwrap_or_else(|| errors::to_py(py, &e))
    }
}

#[pymethods]
impl Deduplicator {
    #[new]
    #[pyo3(signature = (store=None, ttl=None))]
    fn new(
        py: Python<'_>,
        store: Option<Py<PyAny>>,
        ttl: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Deduplicator> {
        let ttl = match ttl {
            Some(t) if !t.is_none() => self::ttl(py, t)?,
            _ => CoreDedup::DEFAULT_TTL,
        };
        let store =
            store.filter(|s| !s.is_none(py)).map(|obj| Arc::new(PyStore { obj, failure: Mutex::new(None) }));
        let inner = match &store {
            Some(s) => CoreDedup::new(s.clone(), ttl),
            None => CoreDedup::new(Arc::new(MemoryDedupStore::new()), ttl),
        };
        Ok(Deduplicator { inner, store })
    }

    /// True the first time an event is seen, False for a redelivery.
    fn first_delivery(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<bool> {
        guard(py, || {
            let e = self.event(py, event)?;
            self.inner.first_delivery(&e).map_err(|err| self.fail(py, err))
        })
    }

    /// Call when processing failed, so that the redelivery is processed.
    fn forget(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || {
            let e = self.event(py, event)?;
            self.inner.forget(&e).map_err(|err| self.fail(py, err))
        })
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Deduplicator>()
}
