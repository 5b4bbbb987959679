//! Reading PagoEfectivo's JSON answers without building a tree: named members of an object, each as raw JSON.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

/// How member names are matched.
#[derive(Clone, Copy)]
pub(crate) enum Names {
    /// Exactly as written (a `data` object's members: `cip`, `cipUrl`).
    Exact,
    /// Whatever their case (the envelope's: the API is ASP.NET, `Code` is as likely as `code`).
    AnyCase,
}

/// The members `names` of the JSON object `json`, each as its raw JSON text; absent members are
/// `None`. Other members are skipped unread; of a member given twice the last wins. Anything but one
/// object is an error.
pub(crate) fn members<'j, const N: usize>(
    json: &'j [u8],
    names: &[&str; N],
    matched: Names,
) -> Result<[Option<&'j RawValue>; N], serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let found = Pick(names, matched).deserialize(&mut de)?;
    de.end()?;
    Ok(found)
}

struct Pick<'n, const N: usize>(&'n [&'n str; N], Names);

impl<'de, const N: usize> DeserializeSeed<'de> for Pick<'_, N> {
    type Value = [Option<&'de RawValue>; N];

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for Pick<'_, N> {
    type Value = [Option<&'de RawValue>; N];

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = [None; N];
        while let Some(slot) = map.next_key_seed(Key(self.0, self.1))? {
            match slot {
                Some(i) => found[i] = Some(map.next_value::<&'de RawValue>()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// A member's name, read without copying: which of the wanted names it is, if any.
struct Key<'n, const N: usize>(&'n [&'n str; N], Names);

impl<'de, const N: usize> DeserializeSeed<'de> for Key<'_, N> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<const N: usize> Visitor<'_> for Key<'_, N> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(match self.1 {
            Names::Exact => self.0.iter().position(|name| *name == key),
            Names::AnyCase => self.0.iter().position(|name| name.eq_ignore_ascii_case(key)),
        })
    }
}

/// A member's value as the wire gives scalars: text, a number's exact digits, or something else.
pub(crate) enum Scalar<'j> {
    Text(Cow<'j, str>),
    Number(&'j str),
    Other,
}

/// What a raw member holds; `None` (absent) reads as `Other`.
pub(crate) fn scalar(raw: Option<&RawValue>) -> Scalar<'_> {
    let Some(raw) = raw else { return Scalar::Other };
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<&str>(text)
            .map(Cow::Borrowed)
            .or_else(|_| serde_json::from_str::<String>(text).map(Cow::Owned))
            .map_or(Scalar::Other, Scalar::Text),
        Some(b'-' | b'0'..=b'9') => Scalar::Number(text),
        _ => Scalar::Other,
    }
}

/// A member that must be text (a number or anything else is not).
pub(crate) fn text(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    match scalar(raw) {
        Scalar::Text(t) => Some(t),
        _ => None,
    }
}

/// A member that may be text or a number, as text (the envelope's `code` comes both ways).
pub(crate) fn text_or_number(raw: Option<&RawValue>) -> Option<String> {
    match scalar(raw) {
        Scalar::Text(t) => Some(t.into_owned()),
        Scalar::Number(n) => Some(n.to_owned()),
        Scalar::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_in_any_case_others_skipped() {
        let body = br#"{"Code":100,"extra":{"deep":[1,2]},"message":"h\u00f3la","DATA":{"cip":1}}"#;
        let [code, message, data, none] =
            members(body, &["code", "message", "data", "absent"], Names::AnyCase).unwrap();
        assert_eq!(text_or_number(code).as_deref(), Some("100"));
        assert_eq!(text(message).as_deref(), Some("hóla"));
        assert_eq!(data.unwrap().get(), r#"{"cip":1}"#);
        assert!(none.is_none());
        let [exact, other] = members(br#"{"Cip":1,"cipUrl":"u"}"#, &["cip", "cipUrl"], Names::Exact).unwrap();
        assert!(exact.is_none() && other.is_some());
    }

    #[test]
    fn only_one_object_is_read() {
        for bad in [&b"[1]"[..], b"\"x\"", b"{\"a\":1} {}", b"{\"a\":", b"<html>", b""] {
            assert!(members(bad, &["a"], Names::Exact).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let [a] = members(b" {\"a\":1,\"a\":2} ", &["a"], Names::Exact).unwrap();
        assert_eq!(a.unwrap().get(), "2");
    }

    #[test]
    fn scalars_keep_exact_digits() {
        let [n, s, b] =
            members(br#"{"n":-201.010,"s":"25.50","b":true}"#, &["n", "s", "b"], Names::Exact).unwrap();
        assert!(matches!(scalar(n), Scalar::Number("-201.010")));
        assert!(matches!(scalar(s), Scalar::Text(t) if t == "25.50"));
        assert!(matches!(scalar(b), Scalar::Other));
        assert!(text(n).is_none());
    }
}
