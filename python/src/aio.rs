//! Rust futures as asyncio awaitables, run on the core's shared (fork-aware) tokio runtime.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use pagoefectivo::runtime;
use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{ContextExt, Runtime};

use crate::errors;

/// pyo3-async-runtimes' own tokio runtime is a process-wide static that a
/// forked child inherits without its threads; this one spawns on
/// `pagoefectivo::runtime::shared()`, which a child rebuilds.
struct SharedRuntime;

tokio::task_local! {
    static LOCALS: TaskLocals;
}

/// Tasks spawned for awaitables and not finished yet: their last step attaches
/// to the interpreter (to resolve the asyncio future), which must not happen
/// while it finalizes, so `wait_idle` runs at exit.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

struct InFlight;

impl InFlight {
    fn start() -> InFlight {
        IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Waits (GIL released) until no awaitable task is running, or `timeout`;
/// registered with `atexit`, which runs before the interpreter starts finalizing.
#[pyfunction]
pub fn wait_idle(py: Python<'_>, timeout: f64) -> bool {
    crate::logging::stop_forwarding();
    let deadline = Instant::now() + Duration::from_secs_f64(timeout.clamp(0.0, 60.0));
    py.detach(|| {
        while IN_FLIGHT.load(Ordering::SeqCst) > 0 {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    })
}

impl Runtime for SharedRuntime {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // `future` below made sure the runtime exists for this process.
        let guard = InFlight::start();
        runtime::shared().expect("runtime checked before spawning").spawn(async move {
            let _guard = guard;
            fut.await
        })
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        let guard = InFlight::start();
        runtime::shared().expect("runtime checked before spawning").spawn_blocking(move || {
            let _guard = guard;
            f()
        })
    }
}

impl ContextExt for SharedRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(LOCALS.scope(locals, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        LOCALS.try_with(|l| l.clone()).ok()
    }
}

/// A future whose panic (a bug of this SDK) ends it with `internal_error` instead of unwinding into the runtime.
struct Guarded<F>(Pin<Box<F>>);

impl<T, F: Future<Output = Result<T, pagoefectivo::Error>>> Future for Guarded<F> {
    type Output = Result<T, pagoefectivo::Error>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.get_mut().0;
        catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx)))
            .unwrap_or_else(|payload| Poll::Ready(Err(pagoefectivo::Error::from_panic(&*payload))))
    }
}

/// An awaitable for `fut`; core errors become the package's exceptions, a panic `InternalError`.
/// Must be called with a running event loop (the Python side wraps it in a coroutine).
pub fn future<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Result<T, pagoefectivo::Error>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    runtime::shared().map_err(|e| errors::to_py(py, &e))?;
    let fut = Guarded(Box::pin(fut));
    pyo3_async_runtimes::generic::future_into_py::<SharedRuntime, _, T>(py, async move {
        fut.await.map_err(|e| Python::attach(|py| errors::to_py(py, &e)))
    })
}
