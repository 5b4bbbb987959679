//! Wire conventions shared by every endpoint: envelopes, keys, Lima times and money.

use std::str::FromStr;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::{Map, Number, Value};

use crate::clock::LIMA;

pub(crate) const OK_MESSAGE: &str = "Solicitud exitosa.";
pub(crate) const INVALID_REQUEST: &str = "Solicitud con datos inválidos.";
pub(crate) const NOT_SET: &str = "1900-01-01T00:00:00-05:00";

const JSON: HeaderValue = HeaderValue::from_static("application/json; charset=utf-8");

/// One entry of a 111 answer's `data` list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct FieldError {
    pub code: &'static str,
    pub message: &'static str,
    pub field: &'static str,
}

impl FieldError {
    pub(crate) fn required(field: &'static str) -> FieldError {
        FieldError { code: "112", message: "Requerido.", field }
    }

    pub(crate) fn invalid(field: &'static str) -> FieldError {
        FieldError { code: "113", message: "Valor invalido.", field }
    }
}

#[derive(Serialize)]
struct Success<'a, D: Serialize> {
    code: u32,
    message: &'a str,
    data: D,
}

// The real API writes `code` as a number on success and as a string on failure.
#[derive(Serialize)]
struct Failure<'a, D: Serialize> {
    code: &'a str,
    message: &'a str,
    data: D,
}

pub(crate) fn json(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, JSON);
    response
}

fn to_json<T: Serialize>(value: &T) -> String {
    // Our own derived types with string keys cannot fail to serialize; the
    // fallback keeps a logic slip from ever taking the server down.
    serde_json::to_string(value).unwrap_or_else(|e| {
        tracing::error!("serializing a response failed: {e}");
        r#"{"code":"166","message":"Error interno del servidor.","data":[]}"#.to_owned()
    })
}

pub(crate) fn ok<D: Serialize>(status: StatusCode, data: D) -> Response {
    let body = to_json(&Success { code: 100, message: OK_MESSAGE, data });
    json(status, body)
}

/// 200 with an empty object, as PATCH and DELETE answer.
pub(crate) fn ok_empty() -> Response {
    ok(StatusCode::OK, Map::new())
}

pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let empty: [(); 0] = [];
    let body = to_json(&Failure { code, message, data: empty });
    json(status, body)
}

pub(crate) fn invalid(errors: &[FieldError]) -> Response {
    let body = to_json(&Failure { code: "111", message: INVALID_REQUEST, data: errors });
    json(StatusCode::BAD_REQUEST, body)
}

pub(crate) fn internal_error(status: StatusCode) -> Response {
    error(status, "166", "Error interno del servidor.")
}

pub(crate) fn token_invalid() -> Response {
    error(StatusCode::UNAUTHORIZED, "107", "Token inválido o expirado.")
}

/// Parses a body that must be a JSON object; `None` for anything else.
pub(crate) fn object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// Picks `names` out of `obj` ignoring key case, as the real server does
/// (the official demo sends PascalCase). An explicit `null` counts as absent.
pub(crate) fn fields<'a, const N: usize>(
    obj: &'a Map<String, Value>,
    names: &[&str; N],
) -> [Option<&'a Value>; N] {
    let mut found = [None; N];
    for (key, value) in obj {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(key)) {
            found[i] = (!value.is_null()).then_some(value);
        }
    }
    found
}

/// An unsigned integer sent as a JSON number or as a string of digits.
pub(crate) fn unsigned(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    }
}

/// A time as .NET's `DateTimeOffset` binder reads it: `yyyy-MM-ddTHH:mm:ss`,
/// a space instead of the `T` (the spec's own example), optional fractional
/// seconds (`DateTimeOffset.Now`), and any offset written `Z`, `+00:00`,
/// `-05:00` or `-0500`. Every form is the same instant; an offset is required
/// (without one the instant is ambiguous).
pub(crate) fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let b = text.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let (stamp, mut rest) = b.split_at(19);
    let separators_ok = stamp[4] == b'-'
        && stamp[7] == b'-'
        && (stamp[10] == b'T' || stamp[10] == b' ')
        && stamp[13] == b':'
        && stamp[16] == b':';
    if !separators_ok {
        return None;
    }
    let num = |digits: &[u8]| -> Option<u32> {
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    // Fractional seconds: up to 9 digits (.NET writes 7); the wire has whole seconds, so they are dropped.
    let mut nanos = 0;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        nanos = num(&frac[..n])? * 10u32.pow(9 - n as u32);
        rest = &frac[n..];
    }
    let offset_seconds = match rest {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let hours = num(&[*h1, *h2])?;
            let minutes = num(&[*m1, *m2])?;
            if hours > 14 || minutes > 59 {
                return None;
            }
            let secs = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let offset = FixedOffset::east_opt(offset_seconds)?;
    let year = i32::try_from(num(&stamp[0..4])?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, num(&stamp[5..7])?, num(&stamp[8..10])?)?;
    let naive =
        date.and_hms_nano_opt(num(&stamp[11..13])?, num(&stamp[14..16])?, num(&stamp[17..19])?, nanos)?;
    let at = offset.from_local_datetime(&naive).single()?;
    Some(at.with_timezone(&LIMA))
}

/// .NET's `default(DateTimeOffset)`, `0001-01-01T00:00:00+00:00`: what the
/// official demo sends for an expiry it did not set. The real API reads it as "not sent".
pub(crate) fn is_dotnet_default(at: &DateTime<FixedOffset>) -> bool {
    // Any offset moves it by hours at most: nothing else is that close to year 1.
    at.naive_utc().year() <= 1
}

pub(crate) fn format_time(at: DateTime<FixedOffset>) -> String {
    at.with_timezone(&LIMA).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

pub(crate) fn format_opt_time(at: Option<DateTime<FixedOffset>>) -> String {
    at.map_or_else(|| NOT_SET.to_owned(), format_time)
}

/// Decimal from a JSON number's exact text (never through f64) or from a plain
/// numeric string such as `"25.50"`.
pub(crate) fn decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => {
            let text = n.as_str();
            if text.contains(['e', 'E']) {
                Decimal::from_scientific(text).ok()
            } else {
                Decimal::from_str_exact(text).ok()
            }
        }
        Value::String(s) => {
            let (int, frac) = s.split_once('.').unwrap_or((s, "1"));
            let plain = !int.is_empty()
                && !frac.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit());
            if plain { Decimal::from_str_exact(s).ok() } else { None }
        }
        _ => None,
    }
}

/// Trailing zeros dropped, as API responses write amounts (`1`, `25`, `201.01`).
pub(crate) fn amount_number(amount: Decimal) -> Number {
    number(amount.normalize())
}

/// Exactly two decimals, as notifications write amounts (`22.05`, `1500.00`).
pub(crate) fn amount_two_decimals(amount: Decimal) -> Number {
    let mut d = amount.round_dp(2);
    d.rescale(2);
    number(d)
}

fn number(d: Decimal) -> Number {
    // A Decimal always prints as a valid JSON number; zero is a fallback that can't happen.
    Number::from_str(&d.to_string()).unwrap_or_else(|_| Number::from(0u8))
}

/// `serialize_with` helper: a Decimal as a JSON number with trailing zeros dropped.
pub(crate) fn serialize_amount<S: Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    amount_number(*amount).serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_parse_in_all_accepted_shapes() {
        let t = parse_time("2020-11-15T15:45:00-05:00").expect("canonical");
        assert_eq!(format_time(t), "2020-11-15T15:45:00-05:00");
        for same in [
            "2020-11-15T15:45:00-0500",
            "2020-11-15 15:45:00-05:00",
            "2020-11-15 15:45:00-0500",
            "2020-11-15T20:45:00Z",
            "2020-11-15T20:45:00+00:00",
            "2020-11-15T20:45:00+0000",
            "2020-11-16T04:45:00+08:00",
            "2020-11-15T15:45:00.1234567-05:00",
            "2020-11-15T20:45:00.5Z",
        ] {
            let got = parse_time(same).unwrap_or_else(|| panic!("{same}"));
            assert_eq!(got.timestamp(), t.timestamp(), "{same}");
            assert_eq!(format_time(got), "2020-11-15T15:45:00-05:00", "{same}");
        }
        assert_eq!(t.timestamp(), 1_605_473_100);
    }

    #[test]
    fn times_reject_other_shapes() {
        for bad in [
            "2020-11-15T15:45:00",
            "2020-02-30T15:45:00-05:00",
            "2020-11-15T25:45:00-05:00",
            "2020/11/15T15:45:00-05:00",
            "2020-11-15T15:45:00.-05:00",
            "2020-11-15T15:45:00-05:00 ",
            "2020-11-15T15:45:00+15:00",
            "2020-11-15T15:45:00-05:60",
            "2020-11-15T15:45:00-5",
            "x",
            "",
            "２０２０-11-15T15:45:00-05:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn dotnet_default_is_recognised_in_any_offset() {
        for d in ["0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00-05:00"] {
            assert!(is_dotnet_default(&parse_time(d).expect(d)), "{d}");
        }
        assert!(!is_dotnet_default(&parse_time("2026-01-01T00:00:00-05:00").expect("time")));
    }

    #[test]
    fn keys_match_case_insensitively_and_null_is_absent() {
        let obj = object(br#"{"Amount": 1, "CURRENCY": "PEN", "userId": null}"#).expect("object");
        let [amount, currency, user] = fields(&obj, &["amount", "currency", "userId"]);
        assert_eq!(amount, Some(&json!(1)));
        assert_eq!(currency, Some(&json!("PEN")));
        assert_eq!(user, None);
    }

    #[test]
    fn decimals_keep_their_text() {
        let v: Value =
            serde_json::from_str("[201.010, 1, 1e2, \"25.50\", \"1_0\", \".5\", \"5.\"]").expect("json");
        let got: Vec<Option<String>> =
            v.as_array().expect("array").iter().map(|x| decimal(x).map(|d| d.to_string())).collect();
        assert_eq!(
            got,
            [Some("201.010"), Some("1"), Some("100"), Some("25.50"), None, None, None]
                .map(|s| s.map(str::to_owned))
        );
    }

    #[test]
    fn amounts_print_both_ways() {
        let d = |s: &str| Decimal::from_str_exact(s).expect("decimal");
        assert_eq!(amount_number(d("25.00")).to_string(), "25");
        assert_eq!(amount_number(d("201.010")).to_string(), "201.01");
        assert_eq!(amount_two_decimals(d("1500")).to_string(), "1500.00");
        assert_eq!(amount_two_decimals(d("22.05")).to_string(), "22.05");
    }

    #[test]
    fn envelopes_keep_field_order_and_code_types() {
        let e = serde_json::to_string(&Failure {
            code: "111",
            message: INVALID_REQUEST,
            data: [FieldError::required("accessKey")],
        })
        .expect("json");
        assert_eq!(
            e,
            r#"{"code":"111","message":"Solicitud con datos inválidos.","data":[{"code":"112","message":"Requerido.","field":"accessKey"}]}"#
        );
        let s = serde_json::to_string(&Success { code: 100, message: OK_MESSAGE, data: Map::new() })
            .expect("json");
        assert_eq!(s, r#"{"code":100,"message":"Solicitud exitosa.","data":{}}"#);
    }
}
