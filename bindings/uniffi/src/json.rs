//! JSON text in and out of the boundary, and reading typed values from JSON arguments.

use pagoefectivo::Error;
use serde::Serialize;
use serde_json::Value;

/// Parses a JSON argument; the parser's message gives line and column only, never the text (it may hold a secret).
pub fn parse(text: &str, name: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::invalid_field(name, format!("is not valid JSON: {e}")))
}

/// A core result as JSON text. The core's results all derive Serialize.
pub fn text<T: Serialize>(value: T) -> String {
    serde_json::to_string(&value).unwrap_or_else(|_| "null".to_owned())
}

/// A map of strings as a JSON object of strings (the shape the option readers accept).
pub fn object<'a>(map: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    Value::Object(map.into_iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

/// A signed integer from Kotlin/Java (which have no unsigned types callable from Java) as the core's unsigned one.
pub fn non_negative<T: TryFrom<i64>>(value: i64, name: &str) -> Result<T, Error> {
    T::try_from(value).map_err(|_| Error::invalid_field(name, "must be a non-negative integer in range"))
}

/// An optional millisecond count from Kotlin/Java.
pub fn millis(value: Option<i64>, name: &str) -> Result<Option<u64>, Error> {
    value.map(|v| non_negative(v, name)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_numbers_from_the_jvm_are_checked() {
        assert_eq!(non_negative::<u64>(5, "cip").unwrap(), 5);
        assert_eq!(non_negative::<u64>(-1, "cip").unwrap_err().field_errors()[0].field, "cip");
        assert!(non_negative::<u32>(i64::from(u32::MAX) + 1, "id").is_err());
        assert_eq!(millis(None, "t").unwrap(), None);
        assert!(millis(Some(-5), "t").is_err());
        assert!(parse("{not json", "request").unwrap_err().message().contains("not valid JSON"));
    }
}
