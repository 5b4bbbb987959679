//! Forwards the core's `tracing` events (already redacted) to one JavaScript callback, without blocking.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, Once};

use napi::bindgen_prelude::Function;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, Registry};

use pagoefectivo::{Error, ErrorCode};

use crate::audit::weak_callback;
use crate::errors::{Result, raise};

/// Called on the JS thread with one JSON record per event; weak so that a
/// logger never keeps the process alive.
type Sink = ThreadsafeFunction<String, (), String, napi::Status, false, true>;

static SINK: Mutex<Option<Sink>> = Mutex::new(None);
/// 0 = off, 1 = error ... 5 = trace.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(0);
static INSTALL: Once = Once::new();

fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

struct Fields(Map<String, Value>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        self.0.insert(field.name().into(), text.into());
    }
}

/// Only the SDK's own events (target `pagoefectivo...`), at the chosen level.
struct JsLayer;

impl<S: Subscriber> Layer<S> for JsLayer {
    // "sometimes": the level can change at run time, so it is checked per event.
    fn register_callsite(&self, meta: &'static tracing::Metadata<'static>) -> Interest {
        if meta.target().starts_with("pagoefectivo") { Interest::sometimes() } else { Interest::never() }
    }

    fn enabled(&self, meta: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        meta.target().starts_with("pagoefectivo") && rank(meta.level()) <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields(Map::new());
        event.record(&mut fields);
        let mut fields = fields.0;
        let message = fields.remove("message").unwrap_or(Value::String(String::new()));
        let record = serde_json::json!({
            "level": event.metadata().level().as_str().to_ascii_lowercase(),
            "target": event.metadata().target(),
            "message": message,
            "fields": fields,
        });
        if let Some(sink) = SINK.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ = sink.call(record.to_string(), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}

fn parse_level(level: &str) -> Result<u8> {
    Ok(match level.to_ascii_lowercase().as_str() {
        "off" | "none" | "silent" => 0,
        "error" => 1,
        "warn" | "warning" => 2,
        "info" => 3,
        "debug" => 4,
        "trace" => 5,
        _ => {
            let message = format!("log level must be off, error, warn, info, debug or trace, got {level:?}");
            return Err(raise(&Error::new(ErrorCode::ConfigurationError, message)));
        }
    })
}

/// Sends the SDK's events at `level` or more severe to `callback` (one JSON
/// string per event); `callback` null turns logging off.
#[napi(ts_args_type = "level: string, callback: ((record: string) => void) | null")]
pub fn set_log_sink(level: String, callback: Option<Function<'_, String, ()>>) -> Result<()> {
    let max = parse_level(&level)?;
    let sink = callback.map(weak_callback).transpose()?;
    INSTALL.call_once(|| {
        // Another global subscriber (set by the embedding process) wins; ours then stays silent.
        let _ = tracing::subscriber::set_global_default(Registry::default().with(JsLayer));
    });
    let on = sink.is_some();
    *SINK.lock().unwrap_or_else(|p| p.into_inner()) = sink;
    MAX_LEVEL.store(if on { max } else { 0 }, Ordering::Relaxed);
    tracing::callsite::rebuild_interest_cache();
    Ok(())
}
