//! The sandbox's own clock: real time plus an offset that tests can advance.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

/// Lima has had no DST since 1994, so a fixed offset is exact.
pub(crate) const LIMA: FixedOffset = match FixedOffset::west_opt(5 * 3600) {
    Some(offset) => offset,
    None => panic!("-05:00 is a valid offset"),
};

/// Durations from the configuration are clamped to this so date arithmetic cannot overflow.
const MAX_SPAN: TimeDelta = TimeDelta::days(36_500);

pub(crate) struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub(crate) fn new() -> Clock {
        Clock { offset_ms: AtomicI64::new(0) }
    }

    /// Whole seconds: the wire format has no fractions, and comparing stored
    /// dates against a finer clock would make "now" and "the date we just wrote" disagree.
    pub(crate) fn now(&self) -> DateTime<FixedOffset> {
        let real_ms = Utc::now().timestamp_millis();
        let ms = real_ms.saturating_add(self.offset_ms.load(Ordering::Relaxed));
        let secs = ms.div_euclid(1000);
        DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC).with_timezone(&LIMA)
    }

    pub(crate) fn advance(&self, by: Duration) -> DateTime<FixedOffset> {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        // fetch_update never fails here because the closure always returns Some.
        let _ = self
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| Some(old.saturating_add(ms)));
        self.now()
    }
}

/// A configuration duration as a chrono span, clamped to a century.
pub(crate) fn span(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).map_or(MAX_SPAN, |t| t.min(MAX_SPAN))
}

/// `at + by`, saturating instead of failing at the end of chrono's range.
pub(crate) fn later(at: DateTime<FixedOffset>, by: TimeDelta) -> DateTime<FixedOffset> {
    at.checked_add_signed(by).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_lima_and_whole_seconds() {
        let c = Clock::new();
        let now = c.now();
        assert_eq!(now.offset().local_minus_utc(), -5 * 3600);
        assert_eq!(now.timestamp_subsec_nanos(), 0);
    }

    #[test]
    fn advance_moves_forward() {
        let c = Clock::new();
        let before = c.now();
        let after = c.advance(Duration::from_secs(3600));
        assert!(after - before >= TimeDelta::seconds(3599));
    }

    #[test]
    fn span_clamps() {
        assert_eq!(span(Duration::from_secs(60)), TimeDelta::seconds(60));
        assert_eq!(span(Duration::MAX), MAX_SPAN);
    }
}
