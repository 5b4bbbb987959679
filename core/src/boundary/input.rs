//! Values from another language, read by one set of rules: CIP numbers, money, times, counts, text.
//!
//! A binding turns its native values into JSON (`serde_json::Value`) the
//! obvious way and lets these functions decide:
//!
//! * **Money** is a decimal string (`"25.50"`, `"1E+2"`: the text of Python's
//!   `Decimal`, Java's `BigDecimal`, any decimal type) or an exact integer
//!   (`25`, a JS `BigInt`). A JSON number with a fraction or an exponent is a
//!   binary float (a JS `number`, a Python or PHP `float`) and is refused: it
//!   cannot hold cents exactly. So a binding writes its decimal type as a
//!   string, its integers as integers, and its floats as floats (`25.5`,
//!   `2.5e1`), never the other way round.
//! * **CIP numbers** are integers or digit strings of 1 to 14 digits, not 0.
//! * **Times** are strings with a UTC offset (`Z`, `+00:00`, `-05:00`,
//!   `-0500`): an aware datetime's ISO text. Without an offset the instant is
//!   ambiguous and is refused (a naive datetime).
//! * **Counts** (days, attempts...) are non-negative integers within a bound.
//!
//! Every refusal is a `validation_error` naming the field.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::cip::{CIP_RULE, parse_cip};
use crate::error::Error;
use crate::time;

/// Said when money arrives as a binary float, in every language.
pub const FLOAT_MONEY: &str = "is a binary float; pass money as a decimal string such as \"25.50\" \
    (or your language's decimal type): a float cannot hold cents exactly";

/// A JSON number's text has a fraction or an exponent: it came from a binary float.
pub fn is_float_text(n: &serde_json::Number) -> bool {
    n.as_str().contains(['.', 'e', 'E'])
}

/// An amount of money (see the module's rule).
pub fn money(value: &Value, field: &str) -> Result<Decimal, Error> {
    let parsed = match value {
        Value::Number(n) if is_float_text(n) => return Err(Error::invalid_field(field, FLOAT_MONEY)),
        Value::Number(n) => Decimal::from_str(n.as_str()).ok(),
        Value::String(s) => decimal_text(s),
        _ => None,
    };
    parsed.ok_or_else(|| Error::invalid_field(field, "must be a decimal amount such as \"25.50\""))
}

/// A decimal in plain (`25.50`) or scientific (`1E+2`) text, exactly; nothing else
/// (no spaces inside, no thousands separators, no `NaN`).
pub fn decimal_text(s: &str) -> Option<Decimal> {
    let t = s.trim();
    let ok = !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && t.bytes().any(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    Decimal::from_str_exact(t).or_else(|_| Decimal::from_scientific(t)).ok()
}

/// A CIP number.
pub fn cip(value: &Value, field: &str) -> Result<u64, Error> {
    let parsed = match value {
        Value::Number(n) if !is_float_text(n) => parse_cip(n.as_str()),
        Value::String(s) => parse_cip(s),
        _ => None,
    };
    parsed.ok_or_else(|| Error::invalid_field(field, CIP_RULE))
}

/// A list of CIP numbers.
pub fn cips(value: &Value, field: &str) -> Result<Vec<u64>, Error> {
    let Value::Array(items) = value else {
        return Err(Error::invalid_field(field, "must be a list of CIP numbers"));
    };
    items.iter().map(|v| cip(v, field)).collect()
}

/// A time given by the caller: an aware datetime's ISO text, any offset.
pub fn time(value: &Value, field: &str) -> Result<DateTime<FixedOffset>, Error> {
    let Value::String(text) = value else {
        return Err(Error::invalid_field(field, time::CALLER_TIME_RULE));
    };
    time::parse_caller(text).map_err(|e| {
        // The same rule under the caller's field name (not the message, which names `time`).
        let said = e.field_errors().first().map(|f| f.message.clone()).unwrap_or_default();
        Error::invalid_field(field, said)
    })
}

/// A whole number in `0..=max`; negatives and fractions refused (not wrapped or truncated).
pub fn count(value: &Value, field: &str, max: u64) -> Result<u64, Error> {
    let n = match value {
        Value::Number(n) if !is_float_text(n) => n.as_str().parse::<u64>().ok(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    };
    match n {
        Some(n) if n <= max => Ok(n),
        Some(_) => Err(Error::invalid_field(field, format!("must be at most {max}"))),
        None => Err(Error::invalid_field(field, format!("must be a whole number from 0 to {max}"))),
    }
}

/// `obj[key]`, ignoring key case and `_` (`timeoutMs`, `timeout_ms`); `null` counts as absent.
pub fn get<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    obj.as_object()?
        .iter()
        .find(|(k, _)| crate::cip_request::same_key(k, key))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

/// Refuses keys of `obj` that are not in `known` (compared like [`get`]): a misspelt key in
/// caller input is a typo, and silently ignoring it would apply a default nobody chose.
pub fn known_keys(obj: &Value, known: &[&str]) -> Result<(), Error> {
    let Some(map) = obj.as_object() else { return Ok(()) };
    unknown_keys(map.keys().filter(|k| !known.iter().any(|n| crate::cip_request::same_key(k, n))), known)
}

fn unknown_keys<'k>(keys: impl Iterator<Item = &'k String>, known: &[&str]) -> Result<(), Error> {
    let unknown: Vec<crate::FieldError> = keys
        .map(|k| {
            let shown: String = k.chars().take(60).collect();
            crate::FieldError::invalid(&shown, format!("is not a known field (known: {})", known.join(", ")))
        })
        .collect();
    if unknown.is_empty() { Ok(()) } else { Err(Error::invalid_fields(unknown)) }
}

/// An object's members under their known names, each key matched once (like [`get`]: the first
/// key naming a field wins, `null` counts as absent), for inputs read field by field.
pub struct Fields<'a, const N: usize> {
    known: &'static [&'static str; N],
    values: [Option<&'a Value>; N],
}

impl<'a, const N: usize> Fields<'a, N> {
    /// The members of `obj`, and the refusal of its keys that name no field (as [`known_keys`]).
    pub fn of(obj: &'a Value, known: &'static [&'static str; N]) -> (Self, Result<(), Error>) {
        let mut values = [None; N];
        let mut unknown = Vec::new();
        for (k, v) in obj.as_object().into_iter().flatten() {
            match known.iter().position(|n| crate::cip_request::same_key(k, n)) {
                Some(i) => {
                    values[i] = values[i].or(Some(v));
                }
                None => unknown.push(k),
            }
        }
        (Fields { known, values }, unknown_keys(unknown.into_iter(), known))
    }

    /// The field `name` (one of the known names, spelt as there).
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        let i = self.known.iter().position(|n| *n == name);
        debug_assert!(i.is_some(), "{name} is not a known field");
        self.values[i?].filter(|v| !v.is_null())
    }
}

/// Milliseconds as a duration, bounded by a day of waiting... or by `max_ms`.
pub fn millis(value: &Value, field: &str, max_ms: u64) -> Result<Duration, Error> {
    count(value, field, max_ms).map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bad_time_is_named_by_its_field_once() {
        let e = time(&json!("tomorrow"), "dateExpiry").unwrap_err();
        assert_eq!(e.field_errors()[0].field, "dateExpiry");
        assert!(e.message().starts_with("invalid input: dateExpiry \"tomorrow\" "), "{}", e.message());
        assert_eq!(e.message().matches("invalid input").count(), 1, "{}", e.message());
    }

    fn num(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn money_is_a_decimal_string_or_an_exact_integer_never_a_float() {
        assert_eq!(money(&json!("25.50"), "amount").unwrap().to_string(), "25.50");
        assert_eq!(money(&json!("1E+2"), "amount").unwrap(), Decimal::from(100));
        assert_eq!(money(&num("25"), "amount").unwrap(), Decimal::from(25));
        for float in ["25.5", "25.0", "2.55e1", "1e2"] {
            let e = money(&num(float), "amount").unwrap_err();
            assert!(e.field_errors()[0].message.contains("binary float"), "{float}");
        }
        for bad in [json!("25,50"), json!("NaN"), json!(""), json!(" 1 2"), json!(true), json!(null)] {
            assert_eq!(money(&bad, "amount").unwrap_err().code().as_str(), "validation_error", "{bad}");
        }
        let huge = Value::Number(serde_json::Number::from_str(&"9".repeat(5000)).unwrap());
        assert!(money(&huge, "amount").is_err());
    }

    #[test]
    fn cip_numbers_have_one_rule() {
        assert_eq!(cip(&json!(2523136), "cip").unwrap(), 2523136);
        assert_eq!(cip(&json!("99999999999999"), "cip").unwrap(), 99_999_999_999_999);
        for bad in [
            json!(0),
            json!(-1),
            json!(1.5),
            json!("100000000000000"),
            json!(100000000000000u64),
            json!(true),
            json!("12a"),
        ] {
            let e = cip(&bad, "cip").unwrap_err();
            assert_eq!(e.field_errors()[0].message, CIP_RULE, "{bad}");
        }
    }

    #[test]
    fn times_need_an_offset_and_counts_refuse_negatives() {
        assert_eq!(
            time::format(&time(&json!("2026-11-25T23:00:00Z"), "t").unwrap()),
            "2026-11-25T18:00:00-05:00"
        );
        assert!(time(&json!("2026-11-25T18:00:00"), "t").is_err());
        assert!(time(&json!(1764111600), "t").is_err());
        assert_eq!(count(&json!(7), "days", 10).unwrap(), 7);
        for bad in [json!(-1), json!(11), json!(1.5), json!("x")] {
            assert!(count(&bad, "days", 10).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = known_keys(&json!({"date_expire": 1, "amount": 2}), &["amount", "dateExpiry"]).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "date_expire");
        assert!(known_keys(&json!({"date_expiry": 1, "AMOUNT": 2}), &["amount", "dateExpiry"]).is_ok());
    }
}
