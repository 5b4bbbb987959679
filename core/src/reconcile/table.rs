//! Compact, allocation-free storage of millions of rows per side: fixed-size entries plus one text arena.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use crate::cip::CipStatus;
use crate::error::{Error, ErrorCode};
use crate::money::Currency;
use crate::time;

use super::record::{Order, OrderStatus, PaymentRecord};

/// "No time" in the entries' unix-seconds fields.
pub(crate) const NO_TIME: i64 = i64::MIN;
const LIMA_SECONDS: i64 = 5 * 3600;

/// One row of either side in 88 bytes: no per-row heap allocation. The
/// transaction code lives in the side's arena; its hash is the join key
/// when the CIP is unknown.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    /// 0 when unknown (CIPs are positive).
    pub cip: u64,
    pub text_hash: u64,
    pub amount: Decimal,
    pub refunded: Decimal,
    pub expires_at: i64,
    pub paid_at: i64,
    pub settled_at: i64,
    /// 1-based line of the source (CSV: the file line; records: the position).
    pub line: u32,
    pub text_start: u32,
    pub text_len: u16,
    /// `OrderStatus::code` for orders, the CIP status code for payments.
    pub status: u32,
    pub currency: Currency,
}

/// Rows of one side and the bytes of their transaction codes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Table {
    pub entries: Vec<Entry>,
    pub arena: Vec<u8>,
}

impl Table {
    pub fn text(&self, e: &Entry) -> &str {
        let s = e.text_start as usize;
        // Only valid UTF-8 is ever pushed (see `push_text`).
        std::str::from_utf8(&self.arena[s..s + e.text_len as usize]).unwrap_or("")
    }

    /// Appends a transaction code; returns (start, len, hash).
    pub fn push_text(&mut self, bytes: &[u8]) -> Result<(u32, u16, u64), Error> {
        let text = std::str::from_utf8(bytes).map_err(|_| too_big("a transaction code is not UTF-8"))?;
        let text = text.trim();
        let len =
            u16::try_from(text.len()).map_err(|_| too_big("a transaction code is longer than 64 KiB"))?;
        let start = u32::try_from(self.arena.len()).map_err(|_| too_big("transaction codes exceed 4 GiB"))?;
        self.arena.extend_from_slice(text.as_bytes());
        Ok((start, len, hash_text(text.as_bytes())))
    }

    pub fn push(&mut self, e: Entry) -> Result<(), Error> {
        if self.entries.len() >= u32::MAX as usize - 2 {
            return Err(too_big("more than 4 billion rows on one side"));
        }
        self.entries.push(e);
        Ok(())
    }
}

fn too_big(what: &str) -> Error {
    Error::new(ErrorCode::ValidationError, format!("reconciliation input refused: {what}"))
}

/// FNV-1a: deterministic across runs and languages, quick on short codes.
pub(crate) fn hash_text(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

pub(crate) fn seconds(t: Option<DateTime<FixedOffset>>) -> i64 {
    t.map_or(NO_TIME, |t| t.timestamp())
}

pub(crate) fn to_time(secs: i64) -> Option<DateTime<FixedOffset>> {
    if secs == NO_TIME {
        return None;
    }
    DateTime::from_timestamp(secs, 0).map(|t| time::to_lima(&t))
}

/// Days since 1970-01-01 of the Lima calendar day of an instant: day
/// boundaries are Lima's, whatever the machine's zone.
pub(crate) fn lima_day(secs: i64) -> i64 {
    (secs - LIMA_SECONDS).div_euclid(86_400)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`,
/// https://howardhinnant.github.io/date_algorithms.html#days_from_civil).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses a time cell into unix seconds. The common shapes
/// (`yyyy-MM-ddTHH:mm:ss-05:00`, `-0500`, `Z`, a space for `T`, no offset =
/// Lima) take a fast byte path; anything else goes through the lenient parser (no offset = Lima: merchant exports).
/// Empty cells and the 1900 sentinel are [`NO_TIME`].
pub(crate) fn parse_time_bytes(b: &[u8]) -> Result<i64, ()> {
    let b = b.trim_ascii();
    if b.is_empty() || b.starts_with(b"1900-01-01") {
        return Ok(NO_TIME);
    }
    if let Some(t) = fast_time(b) {
        return Ok(t);
    }
    let s = std::str::from_utf8(b).map_err(|_| ())?;
    time::parse_wire(s).map(|t| t.timestamp()).map_err(|_| ())
}

fn fast_time(b: &[u8]) -> Option<i64> {
    if b.len() < 19 {
        return None;
    }
    let (stamp, zone) = b.split_at(19);
    let offset: i64 = match zone {
        b"" | b"-05:00" | b"-0500" => -LIMA_SECONDS,
        b"Z" | b"+00:00" => 0,
        _ => return None,
    };
    let ok = stamp[4] == b'-'
        && stamp[7] == b'-'
        && (stamp[10] == b'T' || stamp[10] == b' ')
        && stamp[13] == b':'
        && stamp[16] == b':';
    if !ok {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        stamp[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let days_in_month = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > days_in_month || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(y), mo, d);
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + s) - offset)
}

/// Parses an amount cell: plain `123.45` takes a fast path, anything else
/// (`1e2`, many decimals) goes through rust_decimal. Never a float.
pub(crate) fn parse_amount_bytes(b: &[u8]) -> Option<Decimal> {
    let b = b.trim_ascii();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let mut mantissa: i64 = 0;
    let mut scale: u32 = 0;
    let mut seen_dot = false;
    let mut any = false;
    for &c in digits {
        match c {
            b'0'..=b'9' if mantissa < 100_000_000_000_000_000 => {
                mantissa = mantissa * 10 + i64::from(c - b'0');
                any = true;
                if seen_dot {
                    scale += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return slow_amount(b),
        }
    }
    if !any || scale > 8 {
        return slow_amount(b);
    }
    Some(Decimal::new(if neg { -mantissa } else { mantissa }, scale))
}

fn slow_amount(b: &[u8]) -> Option<Decimal> {
    let s = std::str::from_utf8(b).ok()?;
    s.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(s).ok())
}

pub(crate) fn parse_currency_bytes(b: &[u8]) -> Option<Currency> {
    match b.trim_ascii() {
        b"PEN" | b"pen" => Some(Currency::PEN),
        b"USD" | b"usd" => Some(Currency::USD),
        _ => None,
    }
}

/// A CIP cell: empty means unknown (0); digits only otherwise.
pub(crate) fn parse_cip_bytes(b: &[u8]) -> Option<u64> {
    let b = b.trim_ascii();
    if b.is_empty() {
        return Some(0);
    }
    if b.len() > 19 {
        return None;
    }
    b.iter().try_fold(0u64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u64::from(c - b'0')))
}

pub(crate) fn order_entry(table: &mut Table, o: &Order, line: u32) -> Result<Entry, Error> {
    let (text_start, text_len, text_hash) = table.push_text(o.order_id.as_bytes())?;
    Ok(Entry {
        cip: o.cip.unwrap_or(0),
        text_hash,
        amount: o.amount,
        refunded: o.refunded_amount,
        expires_at: seconds(o.expires_at),
        paid_at: seconds(o.paid_at),
        settled_at: NO_TIME,
        line,
        text_start,
        text_len,
        status: o.status.code(),
        currency: o.currency,
    })
}

pub(crate) fn payment_entry(table: &mut Table, p: &PaymentRecord, line: u32) -> Result<Entry, Error> {
    let (text_start, text_len, text_hash) = table.push_text(p.transaction_code.as_bytes())?;
    Ok(Entry {
        cip: p.cip.unwrap_or(0),
        text_hash,
        amount: p.amount,
        refunded: p.refunded_amount.unwrap_or(Decimal::ZERO),
        expires_at: NO_TIME,
        paid_at: seconds(p.paid_at),
        settled_at: seconds(p.settled_at),
        line,
        text_start,
        text_len,
        status: p.status.code(),
        currency: p.currency,
    })
}

/// The record an entry was made from (a refunded amount of zero reads back as "not said").
pub(crate) fn payment_record(table: &Table, e: &Entry) -> PaymentRecord {
    PaymentRecord {
        cip: (e.cip != 0).then_some(e.cip),
        transaction_code: table.text(e).to_owned(),
        currency: e.currency,
        amount: e.amount,
        status: cip_status(e),
        paid_at: to_time(e.paid_at),
        settled_at: to_time(e.settled_at),
        refunded_amount: (!e.refunded.is_zero()).then_some(e.refunded),
    }
}

pub(crate) fn order_status(e: &Entry) -> OrderStatus {
    OrderStatus::from_code(e.status)
}

pub(crate) fn cip_status(e: &Entry) -> CipStatus {
    CipStatus::from_code(e.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_times_agree_with_the_core_parser() {
        for s in [
            "2026-11-20T18:04:11-05:00",
            "2026-11-20 18:04:11-0500",
            "2026-11-20T23:04:11Z",
            "2026-11-20T18:04:11",
            "2024-02-29T00:00:00-05:00",
            "2026-11-20T18:04:11.250-05:00",
            "2026-11-21T01:30:00+08:00",
        ] {
            let want = time::parse_wire(s).unwrap().timestamp();
            assert_eq!(parse_time_bytes(s.as_bytes()), Ok(want), "{s}");
        }
        assert_eq!(parse_time_bytes(b""), Ok(NO_TIME));
        assert_eq!(parse_time_bytes(b"1900-01-01T00:00:00-05:00"), Ok(NO_TIME));
        assert!(parse_time_bytes(b"2026-02-30T00:00:00-05:00").is_err());
        assert!(parse_time_bytes(b"yesterday").is_err());
    }

    #[test]
    fn lima_days_turn_at_lima_midnight() {
        let before = time::parse("2026-11-20T23:59:59-05:00").unwrap().timestamp();
        let after = time::parse("2026-11-21T00:00:00-05:00").unwrap().timestamp();
        assert_eq!(lima_day(after) - lima_day(before), 1);
        assert_eq!(lima_day(before), days_from_civil(2026, 11, 20));
    }

    #[test]
    fn amounts_parse_exactly() {
        let d = |s: &str| parse_amount_bytes(s.as_bytes()).map(|d| d.to_string());
        assert_eq!(d("149.90").as_deref(), Some("149.90"));
        assert_eq!(d(" 25 ").as_deref(), Some("25"));
        assert_eq!(d("-0.05").as_deref(), Some("-0.05"));
        assert_eq!(d("1e2").as_deref(), Some("100"));
        assert_eq!(d("9999999999999999.99").as_deref(), Some("9999999999999999.99"));
        assert_eq!(d("12,50"), None);
        assert_eq!(d(""), None);
    }

    #[test]
    fn cips_and_currencies() {
        assert_eq!(parse_cip_bytes(b"2523136"), Some(2523136));
        assert_eq!(parse_cip_bytes(b""), Some(0));
        assert_eq!(parse_cip_bytes(b"25x"), None);
        assert_eq!(parse_currency_bytes(b"USD"), Some(Currency::USD));
        assert_eq!(parse_currency_bytes(b"EUR"), None);
    }
}
