//! An object's values as a list, written straight from its `Serialize` (no tree, no second parse): pe_webhook_event's reply.

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeMap, SerializeStruct, Serializer};
use serde_json::Error;

use crate::fields::{Field, SEPARATOR};

/// Appends to `out` the values of what `value` serializes as a JSON object (a struct or a map, keys dropped),
/// in its order, each written by serde_json as it would write it inside the object: `{"a":1,"b":"x"}` is `[1,"x"]`.
pub fn write<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    value.serialize(Values { out, fields: false })
}

/// The same values as fields (crate::fields: text joined by U+001F, null as U+001E), `1\x1fx` for the object
/// above; an error when one is not a string, an integer or null, or holds U+0000, U+001E or U+001F (then `out`
/// holds part of it: write the JSON list instead).
pub fn write_fields<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    value.serialize(Values { out, fields: true })
}

struct Values<'a> {
    out: &'a mut Vec<u8>,
    fields: bool,
}

/// The list being written: a comma (or the separator) before every value but the first.
struct List<'a> {
    out: &'a mut Vec<u8>,
    fields: bool,
    first: bool,
}

fn not_an_object() -> Error {
    ser::Error::custom("not a JSON object")
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<(), Error> {
            Err(not_an_object())
        })*
    };
}

impl<'a> Serializer for Values<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = List<'a>;
    type SerializeStruct = List<'a>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_map(self, _len: Option<usize>) -> Result<List<'a>, Error> {
        if !self.fields {
            self.out.push(b'[');
        }
        Ok(List { out: self.out, fields: self.fields, first: true })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<List<'a>, Error> {
        // serde_json writes an exact number (arbitrary_precision) or a RawValue as a struct of this private name.
        if name.starts_with("$serde_json::private::") {
            return Err(not_an_object());
        }
        self.serialize_map(Some(len))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(not_an_object())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_an_object())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_an_object())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_an_object())
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_an_object())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_an_object())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_an_object())
    }
}

impl SerializeMap for List<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, _key: &T) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let first = std::mem::take(&mut self.first);
        if self.fields {
            if !first {
                self.out.push(SEPARATOR);
            }
            return value.serialize(Field { out: &mut *self.out });
        }
        if !first {
            self.out.push(b',');
        }
        value.serialize(&mut serde_json::Serializer::new(&mut *self.out))
    }

    fn end(self) -> Result<(), Error> {
        if !self.fields {
            self.out.push(b']');
        }
        Ok(())
    }
}

impl SerializeStruct for List<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, _key: &'static str, value: &T) -> Result<(), Error> {
        self.serialize_value(value)
    }

    fn end(self) -> Result<(), Error> {
        SerializeMap::end(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn list(value: &impl Serialize) -> Value {
        let mut out = Vec::new();
        write(value, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn the_values_of_an_object_in_order_as_written() {
        let text = r#"{"b":"x\u0000\"","a":2.50,"n":null,"nested":{"k":[1,{"y":true}]}}"#;
        let object: Value = serde_json::from_str(text).unwrap();
        assert_eq!(list(&object), json!(["x\u{0}\"", object["a"], null, {"k": [1, {"y": true}]}]));
        let mut out = Vec::new();
        write(&object, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"["x\u0000\"",2.50,null,{"k":[1,{"y":true}]}]"#);
        assert_eq!(list(&json!({})), json!([]));
    }

    #[test]
    fn anything_but_an_object_is_refused() {
        for value in [json!([1]), json!("s"), json!(1), json!(null)] {
            assert!(write(&value, &mut Vec::new()).is_err(), "{value}");
            assert!(write_fields(&value, &mut Vec::new()).is_err(), "{value}");
        }
    }

    fn fields(value: &impl Serialize) -> Option<String> {
        let mut out = Vec::new();
        write_fields(value, &mut out).ok().map(|()| String::from_utf8(out).unwrap())
    }

    #[test]
    fn scalars_as_fields_and_anything_else_refused() {
        #[derive(Serialize)]
        struct Scalars {
            s: &'static str,
            n: Option<u8>,
            i: i64,
            u: u64,
        }
        let object = Scalars { s: "a\"b é", n: None, i: -7, u: u64::MAX };
        assert_eq!(fields(&object).unwrap(), "a\"b é\x1f\x1e\x1f-7\x1f18446744073709551615");
        assert_eq!(fields(&json!({"only": ""})).unwrap(), "");
        for bad in [
            json!({"a": "x", "b": "has \u{1f} inside"}),
            json!({"a": "has \u{1e}"}),
            json!({"a": "has \u{0}"}),
            json!({"a": 2.5}),
            json!({"a": 7}),
            json!({"a": true}),
            json!({"a": [1]}),
            json!({"a": {"b": 1}}),
        ] {
            assert_eq!(fields(&bad), None, "{bad}");
        }
    }
}
