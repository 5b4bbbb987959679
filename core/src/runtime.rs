//! The shared tokio runtime behind the blocking facade and the bindings, rebuilt after a fork.

use std::sync::Arc;

use tokio::runtime::Runtime;

use crate::error::Error;
use crate::fork::PerProcess;

/// One runtime per process. After `fork()` (gunicorn, Celery, PHP-FPM
/// pre-fork) the parent's worker threads do not exist in the child, so a
/// child builds its own on first use; the parent's is leaked there on purpose,
/// as dropping it would wait for threads that are not there.
static RUNTIME: PerProcess<Result<Arc<Runtime>, String>> = PerProcess::new(build);

fn build() -> Result<Arc<Runtime>, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("pagoefectivo")
        .enable_all()
        .build()
        .map(Arc::new)
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// This process's runtime for synchronous callers and bindings.
pub fn shared() -> Result<Arc<Runtime>, Error> {
    RUNTIME.get().clone().map_err(Error::config)
}

/// Runs `future` for a synchronous caller that may itself be inside async code:
/// a future that is ready at once (an in-process store) just returns; one that
/// must wait runs on the shared runtime, which needs a caller outside a runtime.
pub fn block_on_anywhere<T>(future: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
    let in_async = tokio::runtime::Handle::try_current().is_ok();
    let runtime = shared()?;
    let mut future = std::pin::pin!(future);
    {
        // The first poll runs in the shared runtime's context: a network store's first step
        // (a connect) needs its reactor, whoever the caller is.
        let _context = runtime.enter();
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        if let std::task::Poll::Ready(r) = future.as_mut().poll(&mut cx) {
            return r;
        }
    }
    if in_async {
        return Err(Error::config(
            "a blocking call on a network store was made from async code; use the async form (begin/complete)",
        ));
    }
    runtime.block_on(future)
}

/// Runs `future` to completion for a synchronous caller. Refuses (instead of
/// panicking) when called from inside an async runtime.
pub fn block_on<T>(future: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::config(
            "the blocking client was called from async code; use pagoefectivo::Client there",
        ));
    }
    shared()?.block_on(future)
}
