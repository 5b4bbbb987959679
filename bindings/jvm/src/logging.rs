//! The core's `tracing` events (already redacted) forwarded to SLF4J, logger `pagoefectivo`.
//!
//! The level is SLF4J's, sent by the Kotlin side with each client call (and at
//! load), so an event SLF4J would drop is never formatted nor crosses JNI, and
//! the core skips building debug bodies nobody reads.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};

use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// 0 trace, 1 debug, 2 info, 3 warn, 4 error, 5 off (SLF4J's order). Off until the JVM says.
static LEVEL: AtomicU8 = AtomicU8::new(5);

pub fn set_level(level: i32) {
    LEVEL.store(level.clamp(0, 5) as u8, Ordering::Relaxed);
}

fn rank(level: &Level) -> u8 {
    match *level {
        Level::TRACE => 0,
        Level::DEBUG => 1,
        Level::INFO => 2,
        Level::WARN => 3,
        Level::ERROR => 4,
    }
}

fn ours(meta: &Metadata<'_>) -> bool {
    meta.target().starts_with("pagoefectivo")
}

/// One line: the message, then `key=value` for each field.
#[derive(Default)]
struct Line(String);

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.insert_str(0, value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.insert_str(0, &format!("{value:?}"));
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

struct Slf4j;

impl<S: Subscriber> Layer<S> for Slf4j {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        // "sometimes": the answer follows the SLF4J level, which can change at run time.
        if ours(meta) { Interest::sometimes() } else { Interest::never() }
    }

    fn enabled(&self, meta: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        ours(meta) && rank(meta.level()) >= LEVEL.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut line = Line::default();
        event.record(&mut line);
        let sandbox = meta.target().starts_with("pagoefectivo_sandbox");
        crate::callbacks::log(rank(meta.level()).into(), sandbox, line.0.trim_start());
    }
}

/// Installs the forwarder once per process, unless the host already set a subscriber.
pub fn install() {
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Slf4j));
}
