//! Lima time on the wire: `yyyy-MM-ddTHH:mm:ss-05:00`, whatever the machine's zone.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

use crate::error::Error;

/// Peru's offset. Peru has observed no daylight saving time since 1994 and
/// PagoEfectivo writes every time with `-05:00`, so a fixed offset is exact.
pub const LIMA_OFFSET_SECONDS: i32 = -5 * 3600;

/// The `1900-01-01T00:00:00-05:00` sentinel PagoEfectivo uses for "not set".
const SENTINEL_YEAR: &str = "1900-01-01";

pub fn lima() -> FixedOffset {
    FixedOffset::east_opt(LIMA_OFFSET_SECONDS).expect("-05:00 is a valid offset")
}

/// Now, in Lima time.
pub fn now_lima() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&lima())
}

/// Any aware time converted to Lima time (same instant).
pub fn to_lima<Tz: TimeZone>(t: &DateTime<Tz>) -> DateTime<FixedOffset> {
    t.with_timezone(&lima())
}

/// The wire form: Lima time, second precision, `-05:00`.
pub fn format(t: &DateTime<FixedOffset>) -> String {
    to_lima(t).format("%Y-%m-%dT%H:%M:%S-05:00").to_string()
}

/// What a caller's time must look like, said the same way in every language.
pub const CALLER_TIME_RULE: &str =
    "must be a time with its UTC offset, like 2026-11-25T18:00:00-05:00 (an aware datetime, not a naive one)";

/// Parses a time given by a caller (a binding's argument, a CLI flag): any
/// offset (`Z`, `+00:00`, `-05:00`, `-0500`), `T` or a space, fractional
/// seconds. An offset is required: without one the instant is ambiguous.
/// The result is in Lima time; a bad time is a `validation_error`.
pub fn parse(text: &str) -> Result<DateTime<FixedOffset>, Error> {
    parse_caller(text)
}

/// [`parse`], by its full name.
pub fn parse_caller(text: &str) -> Result<DateTime<FixedOffset>, Error> {
    parse_aware(text.trim()).ok_or_else(|| {
        let shown: String = text.chars().take(40).collect();
        Error::invalid_field("time", format!("{shown:?} {CALLER_TIME_RULE}"))
    })
}

fn parse_aware(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(to_lima(&t));
    }
    let normalized = s.replacen(' ', "T", 1);
    ["%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%z"]
        .iter()
        .find_map(|fmt| DateTime::parse_from_str(&normalized, fmt).ok())
        .map(|t| to_lima(&t))
}

/// Parses a time in an answer from PagoEfectivo: as [`parse`], and a time
/// without an offset is taken as Lima time (the API's own zone). A bad one is
/// `malformed_response`.
pub(crate) fn parse_wire(text: &str) -> Result<DateTime<FixedOffset>, Error> {
    let s = text.trim();
    if let Some(t) = parse_aware(s) {
        return Ok(t);
    }
    let normalized = s.replacen(' ', "T", 1);
    if let Ok(naive) = NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%dT%H:%M:%S%.f")
        && let Some(t) = lima().from_local_datetime(&naive).single()
    {
        return Ok(t);
    }
    Err(Error::malformed_time(text))
}

/// Like [`parse_wire`], but the 1900 sentinel and empty strings mean `None`.
pub fn parse_optional(text: &str) -> Result<Option<DateTime<FixedOffset>>, Error> {
    let s = text.trim();
    if s.is_empty() || s.starts_with(SENTINEL_YEAR) {
        return Ok(None);
    }
    parse_wire(s).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_variants_seen_in_the_wild() {
        let want = "2020-11-15T15:45:00-05:00";
        for input in [
            "2020-11-15T15:45:00-05:00",
            "2020-11-15T15:45:00-0500",
            "2020-11-15 15:45:00-05:00",
            "2020-11-15 15:45:00-0500",
            "2020-11-15T20:45:00Z",
            "2020-11-15T20:45:00+00:00",
            "2020-11-15T15:45:00.000-05:00",
        ] {
            assert_eq!(format(&parse(input).unwrap()), want, "{input}");
        }
        // An answer without an offset is in the API's zone; a caller's is ambiguous.
        assert_eq!(format(&parse_wire("2020-11-15T15:45:00").unwrap()), want);
        assert_eq!(parse("2020-11-15T15:45:00").unwrap_err().code().as_str(), "validation_error");
    }

    #[test]
    fn converts_other_zones_to_lima_across_the_day_boundary() {
        // 01:30 in Shanghai (UTC+8) is still the previous day in Lima.
        let t = parse("2026-11-21T01:30:00+08:00").unwrap();
        assert_eq!(format(&t), "2026-11-20T12:30:00-05:00");
    }

    #[test]
    fn sentinel_is_none() {
        assert_eq!(parse_optional("1900-01-01T00:00:00-05:00").unwrap(), None);
        assert!(parse_optional("2018-08-13T17:18:58-05:00").unwrap().is_some());
    }

    #[test]
    fn garbage_is_a_typed_error() {
        assert_eq!(parse("next tuesday").unwrap_err().code().as_str(), "validation_error");
        assert_eq!(parse_wire("next tuesday").unwrap_err().code().as_str(), "malformed_response");
    }
}
