//! Money: `rust_decimal` amounts with two decimals and the two currencies.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The currencies PagoEfectivo accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Currency {
    PEN,
    USD,
}

impl Currency {
    pub fn as_str(&self) -> &'static str {
        match self {
            Currency::PEN => "PEN",
            Currency::USD => "USD",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "PEN" => Ok(Currency::PEN),
            "USD" => Ok(Currency::USD),
            other => Err(format!("currency must be PEN or USD, got {other:?}")),
        }
    }
}

/// Why an amount is not acceptable to PagoEfectivo, or `None` when it is:
/// greater than zero, at most 16 integer digits, at most 2 decimals.
pub fn amount_problem(amount: &Decimal) -> Option<&'static str> {
    if amount.is_sign_negative() || amount.is_zero() {
        return Some("must be greater than 0");
    }
    if amount.normalize().scale() > 2 {
        return Some("must have at most 2 decimals");
    }
    if amount.trunc() >= Decimal::from_str("10000000000000000").expect("constant") {
        return Some("must have at most 16 integer digits");
    }
    None
}

/// The amount with exactly two decimals (`25` -> `25.00`).
pub fn two_decimals(amount: Decimal) -> Decimal {
    let mut a = amount.round_dp(2);
    a.rescale(2);
    a
}

/// At least two decimals, never rounded (`25` -> `25.00`, `22.055` stays):
/// for amounts PagoEfectivo reports, which are recorded exactly as sent.
pub fn at_least_two_decimals(amount: Decimal) -> Decimal {
    let mut a = amount.normalize();
    if a.scale() < 2 {
        a.rescale(2);
    }
    a
}

/// The amount as a JSON number with two decimals, exactly (no f64 on the way).
pub fn to_json_number(amount: Decimal) -> serde_json::Value {
    let text = two_decimals(amount).to_string();
    serde_json::Value::Number(serde_json::Number::from_str(&text).expect("decimal text is a JSON number"))
}

/// Reads a JSON number (exact text, thanks to `arbitrary_precision`) or a numeric string.
pub fn from_json(value: &serde_json::Value) -> Option<Decimal> {
    match value {
        serde_json::Value::Number(n) => from_text(n.as_str()),
        serde_json::Value::String(s) => from_text(s.trim()),
        _ => None,
    }
}

/// A decimal from a JSON number's exact digits (plain or scientific notation).
pub(crate) fn from_text(text: &str) -> Option<Decimal> {
    Decimal::from_str(text).or_else(|_| Decimal::from_scientific(text)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn limits_follow_the_spec() {
        assert_eq!(amount_problem(&d("0.01")), None);
        assert_eq!(amount_problem(&d("9999999999999999.99")), None);
        assert_eq!(amount_problem(&d("25.50")), None);
        assert!(amount_problem(&d("0")).is_some());
        assert!(amount_problem(&d("-1")).is_some());
        assert!(amount_problem(&d("1.001")).is_some());
        assert!(amount_problem(&d("10000000000000000")).is_some());
    }

    #[test]
    fn json_numbers_round_trip_exactly() {
        let v: serde_json::Value = serde_json::from_str("9999999999999999.99").unwrap();
        assert_eq!(from_json(&v), Some(d("9999999999999999.99")));
        assert_eq!(to_json_number(d("1")).to_string(), "1.00");
        assert_eq!(to_json_number(d("201.01")).to_string(), "201.01");
        assert_eq!(from_json(&serde_json::json!("22.05")), Some(d("22.05")));
    }
}
