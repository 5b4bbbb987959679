//! The core's `tracing` events forwarded to Python's `logging` (logger `pagoefectivo`).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// The `pagoefectivo` logger's effective level, refreshed at each client call
/// (with the GIL already held), so that disabled events cost no GIL and the
/// core skips building debug bodies nobody reads. WARNING until first read.
static LEVEL: AtomicU8 = AtomicU8::new(30);
/// Set at interpreter exit: no more events are forwarded (no thread attaches while it finalizes).
static STOPPED: AtomicBool = AtomicBool::new(false);
static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SANDBOX_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn logger<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let obj = cell.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("logging")?.call_method1("getLogger", (name,))?.unbind())
    })?;
    Ok(obj.bind(py).clone())
}

/// Reads the logger's effective level now (after `logging.basicConfig`, `setLevel`...).
pub fn refresh_level(py: Python<'_>) {
    if let Ok(level) = logger(py, &LOGGER, "pagoefectivo")
        .and_then(|l| l.call_method0("getEffectiveLevel"))
        .and_then(|l| l.extract::<i64>())
    {
        LEVEL.store(level.clamp(0, 255) as u8, Ordering::Relaxed);
    }
}

pub fn stop_forwarding() {
    STOPPED.store(true, Ordering::SeqCst);
}

fn python_level(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

fn ours(meta: &Metadata<'_>) -> bool {
    meta.target().starts_with("pagoefectivo")
}

/// Collects an event's message and fields.
#[derive(Default)]
struct Fields {
    message: String,
    pairs: Vec<(&'static str, String)>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_owned();
        } else {
            self.pairs.push((field.name(), value.to_owned()));
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            self.pairs.push((field.name(), format!("{value:?}")));
        }
    }
}

struct PythonLogging;

impl<S: Subscriber> Layer<S> for PythonLogging {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        // "sometimes": the answer depends on the Python level, which can change.
        if ours(meta) { Interest::sometimes() } else { Interest::never() }
    }

    fn enabled(&self, meta: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        ours(meta)
            && python_level(meta.level()) >= LEVEL.load(Ordering::Relaxed)
            && !STOPPED.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut text = fields.message;
        for (k, v) in &fields.pairs {
            let _ = write!(text, " {k}={v}");
        }
        let sandbox = meta.target().starts_with("pagoefectivo_sandbox");
        // try_attach: never block or panic while the interpreter is shutting down.
        Python::try_attach(|py| {
            let result = (|| -> PyResult<()> {
                let logger = if sandbox {
                    logger(py, &SANDBOX_LOGGER, "pagoefectivo.sandbox")?
                } else {
                    logger(py, &LOGGER, "pagoefectivo")?
                };
                let extra = PyDict::new(py);
                let data = PyDict::new(py);
                for (k, v) in &fields.pairs {
                    data.set_item(*k, v)?;
                }
                extra.set_item("pagoefectivo", data)?;
                let kwargs = PyDict::new(py);
                kwargs.set_item("extra", extra)?;
                logger.call_method("log", (python_level(meta.level()), text.trim_start()), Some(&kwargs))?;
                Ok(())
            })();
            if let Err(e) = result {
                // A failing handler must not break the payment call that logged.
                e.write_unraisable(py, None);
            }
        });
    }
}

/// Installs the forwarding subscriber once per process (if the host has none yet).
fn install() {
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(PythonLogging));
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    install();
    // The level is read again at each client call; at import only when `logging` is loaded already:
    // importing it here (with `re`, `traceback`...) was most of `import pagoefectivo` (issue 16).
    let py = m.py();
    if py.import("sys")?.getattr("modules")?.contains("logging")? {
        refresh_level(py);
    }
    Ok(())
}
