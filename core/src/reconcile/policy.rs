//! How a run judges the pairs: amount tolerance, settlement days, the moment judged against, the calendar.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use super::calendar::Calendar;

/// How a run judges the pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Amounts may differ by this much and still match (±0.05 by default).
    pub amount_tolerance: Decimal,
    /// Settlement is expected by T+n business days after payment (3 by default).
    pub settlement_days: u32,
    /// The moment expiry and settlement are judged against (now by default).
    pub as_of: Option<DateTime<FixedOffset>>,
    pub calendar: Calendar,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            amount_tolerance: Decimal::from_str("0.05").expect("constant"),
            settlement_days: 3,
            as_of: None,
            calendar: Calendar::peru(),
        }
    }
}
