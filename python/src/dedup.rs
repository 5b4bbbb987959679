//! The core's notification deduplicator: in memory, a store several servers share (by URL), or a
//! Python claim store object. Options, keys, payload hashes and answers are the core's
//! (`pagoefectivo::boundary::dedup`); this converts Python values and errors.

use std::sync::{Arc, Mutex};

use pagoefectivo::boundary::{dedup, input};
use pagoefectivo::{DedupStore, Deduplicator as CoreDedup, Error, ErrorCode, Event, runtime};
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::{self, Input};
use crate::errors::{self, guard};
use crate::{aio, records};

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

    fn take_failure(&self) -> Option<PyErr> {
        self.failure.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

impl DedupStore for PyStore {
    fn claim(&self, key: &str, ttl: std::time::Duration) -> Result<bool, Error> {
        self.call(|_, o| o.call_method1("claim", (key, ttl.as_secs_f64()))?.is_truthy())
    }
    fn release(&self, key: &str) -> Result<(), Error> {
        self.call(|_, o| o.call_method1("release", (key,)).map(|_| ()))
    }
}

/// The Python exception for a failed operation: the store's own, else the core's error.
fn failure(py: Python<'_>, store: Option<&PyStore>, e: &Error) -> PyErr {
    store.and_then(PyStore::take_failure).unwrap_or_else(|| errors::to_py(py, e))
}

/// An operation's answer (or error) made a Python value once the GIL is held (awaitables).
struct Answer {
    result: Result<Value, Error>,
    store: Option<Arc<PyStore>>,
}

impl<'py> IntoPyObject<'py> for Answer {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.result {
            Ok(v) => convert::to_py(py, &v),
            Err(e) => Err(failure(py, self.store.as_deref(), &e)),
        }
    }
}

/// Answers "was this notification already processed?" (PagoEfectivo can deliver one twice).
/// `pagoefectivo.webhooks.Deduplicator` wraps it.
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct Deduplicator {
    inner: CoreDedup,
    store: Option<Arc<PyStore>>,
}

impl Deduplicator {
    fn event(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<Event> {
        records::core_event(event)
            .ok_or_else(|| errors::invalid(py, "event", "must be an event returned by construct_event"))
    }
}

#[pymethods]
impl Deduplicator {
    /// `options` as the core reads them (`url`, `ttlMs`, `leaseMs`: `boundary::dedup::DEDUP_OPTIONS`);
    /// `store` a Python claim store, used instead of a URL's.
    #[new]
    #[pyo3(signature = (options, store=None))]
    fn new(py: Python<'_>, options: &Bound<'_, PyAny>, store: Option<Py<PyAny>>) -> PyResult<Deduplicator> {
        guard(py, || {
            let input = Input::of(py, options)?;
            input.check(py, None)?;
            let fail = |e: Error| input.error(py, &e);
            // The core reads and checks every option, whichever store is used.
            let built = dedup::deduplicator(&input.json).map_err(fail)?;
            let Some(obj) = store.filter(|s| !s.is_none(py)) else {
                return Ok(Deduplicator { inner: built, store: None });
            };
            if input::get(&input.json, "url").is_some() {
                let both = "pass a store object or a store URL, not both";
                return Err(fail(Error::new(ErrorCode::ConfigurationError, both)));
            }
            let millis = |key: &str| -> PyResult<Option<std::time::Duration>> {
                let value = input::get(&input.json, key);
                value.map(|v| input::millis(v, key, u64::MAX)).transpose().map_err(fail)
            };
            let store = Arc::new(PyStore { obj, failure: Mutex::new(None) });
            let mut inner = CoreDedup::new(store.clone(), millis("ttlMs")?.unwrap_or(CoreDedup::DEFAULT_TTL));
            if let Some(lease) = millis("leaseMs")? {
                inner = inner.with_lease(lease);
            }
            Ok(Deduplicator { inner, store: Some(store) })
        })
    }

    /// Runs `op` of `boundary::dedup::DEDUP_OPS` for `event`, the GIL released while the store answers.
    fn call(&self, py: Python<'_>, op: &str, event: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let e = self.event(py, event)?;
            let d = &self.inner;
            // A Python thread is never a runtime thread: block on the core's runtime.
            let out = py.detach(|| runtime::block_on(dedup::run(d, op, &e)));
            let value = out.map_err(|err| failure(py, self.store.as_deref(), &err))?;
            Ok(convert::to_py(py, &value)?.unbind())
        })
    }

    /// `call` as an awaitable, run on the core's runtime.
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        op: &str,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let e = self.event(py, event)?;
            let (d, op, store) = (self.inner.clone(), op.to_owned(), self.store.clone());
            aio::future(py, async move { Ok(Answer { result: dedup::run(&d, &op, &e).await, store }) })
        })
    }

    /// What the core shows of it: the ttl and the lease, never the store's URL.
    fn __repr__(&self) -> String {
        format!("<{:?}>", self.inner)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Deduplicator>()
}
