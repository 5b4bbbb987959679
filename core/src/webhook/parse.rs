//! Reading a notification body: borrowed, keys in any case, every scalar from its exact text.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde_json::Value;
use serde_json::value::RawValue;

use super::event::{CipPaid, Event, OtherEvent, RefundEvent};
use super::{failure, reason};
use crate::error::Error;
use crate::money::{self, Currency};
use crate::refund::RefundStatus;
use crate::time;

/// A notification as sent, borrowed from the body: parsing allocates only
/// what the event keeps. Keys are matched case-insensitively (`eventType`,
/// `EventType`: an ASP.NET sender may write either) and every value is kept as
/// its raw JSON text, so a CIP, amount or transaction code may be a number or
/// a string and money never meets a float.
#[derive(Default)]
struct Wire<'a> {
    event_type: Option<&'a RawValue>,
    operation_number: Option<&'a RawValue>,
    data: Option<&'a RawValue>,
}

#[derive(Default)]
struct WireData<'a> {
    cip: Option<&'a RawValue>,
    currency: Option<&'a RawValue>,
    amount: Option<&'a RawValue>,
    payment_date: Option<&'a RawValue>,
    transaction_code: Option<&'a RawValue>,
    refund_id: Option<&'a RawValue>,
    merchant_refund_id: Option<&'a RawValue>,
    status: Option<&'a RawValue>,
    reason_code: Option<&'a RawValue>,
}

/// Reads a JSON object into named raw slots, keys compared case-insensitively;
/// other keys are skipped without being parsed.
struct Slots<'s, 'a, const N: usize> {
    names: [&'static str; N],
    slots: [&'s mut Option<&'a RawValue>; N],
}

impl<'de: 'a, 'a, const N: usize> serde::de::Visitor<'de> for Slots<'_, 'a, N> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let Slots { names, slots } = self;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match names.iter().position(|n| n.eq_ignore_ascii_case(&key)) {
                Some(i) => *slots[i] = Some(map.next_value::<&'de RawValue>()?),
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Over `&str`: the body's UTF-8 is checked once, in [`parse_event`], not again per string.
/// An object key, borrowed from the body unless it has escapes: serde's own `Cow<str>` always
/// copies, which was nine allocations per notification.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
        }
        d.deserialize_str(Text)
    }
}

fn read_slots<'a, const N: usize>(
    json: &'a str,
    names: [&'static str; N],
    slots: [&mut Option<&'a RawValue>; N],
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    serde::Deserializer::deserialize_map(&mut de, Slots { names, slots })?;
    de.end()
}

impl<'a> Wire<'a> {
    fn read(body: &'a str) -> Result<Wire<'a>, serde_json::Error> {
        let mut w = Wire::default();
        read_slots(
            body,
            ["eventType", "operationNumber", "data"],
            [&mut w.event_type, &mut w.operation_number, &mut w.data],
        )?;
        Ok(w)
    }
}

/// The fields of `data` a notification may carry.
const DATA_NAMES: [&str; 9] = [
    "cip",
    "currency",
    "amount",
    "paymentDate",
    "transactionCode",
    "refundId",
    "merchantRefundId",
    "status",
    "reasonCode",
];

impl<'a> WireData<'a> {
    fn read(data: Option<&'a RawValue>) -> Result<WireData<'a>, serde_json::Error> {
        let mut d = WireData::default();
        let Some(raw) = data.filter(|r| r.get() != "null") else { return Ok(d) };
        read_slots(raw.get(), DATA_NAMES, d.slots())?;
        Ok(d)
    }

    fn slots(&mut self) -> [&mut Option<&'a RawValue>; 9] {
        [
            &mut self.cip,
            &mut self.currency,
            &mut self.amount,
            &mut self.payment_date,
            &mut self.transaction_code,
            &mut self.refund_id,
            &mut self.merchant_refund_id,
            &mut self.status,
            &mut self.reason_code,
        ]
    }
}

/// The body read in one pass when `data` is an object, as it is in every notification
/// PagoEfectivo sends: its fields are read as the body is, where [`Wire::read`] keeps `data`
/// raw for [`WireData::read`] to read again. Anything else (no object, `data` null, twice or
/// not an object) is an error here, and the two-pass reading decides.
fn read_one_pass(body: &str) -> Result<(Wire<'_>, WireData<'_>), serde_json::Error> {
    let (mut wire, mut data) = (Wire::default(), WireData::default());
    let mut de = serde_json::Deserializer::from_str(body);
    serde::Deserializer::deserialize_map(&mut de, OnePass { wire: &mut wire, data: &mut data })?;
    de.end()?;
    Ok((wire, data))
}

struct OnePass<'s, 'a> {
    wire: &'s mut Wire<'a>,
    data: &'s mut WireData<'a>,
}

impl<'de: 'a, 'a> serde::de::Visitor<'de> for OnePass<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a notification object")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut data_seen = false;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if key.eq_ignore_ascii_case("data") {
                if std::mem::replace(&mut data_seen, true) {
                    return Err(serde::de::Error::custom("data twice"));
                }
                map.next_value_seed(DataSeed(&mut *self.data))?;
            } else if key.eq_ignore_ascii_case("eventType") {
                self.wire.event_type = Some(map.next_value()?);
            } else if key.eq_ignore_ascii_case("operationNumber") {
                self.wire.operation_number = Some(map.next_value()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `data`'s fields into their slots; an error unless it is an object.
struct DataSeed<'s, 'a>(&'s mut WireData<'a>);

impl<'de: 'a, 'a> serde::de::DeserializeSeed<'de> for DataSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(Slots { names: DATA_NAMES, slots: self.0.slots() })
    }
}

/// The text of a JSON string, or of a number written where a string was
/// expected (`"84"`, `84` -> `84`, as .NET's binder reads them); `None` for
/// null, booleans, arrays and objects.
fn scalar(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    let text = raw?.get();
    if text.starts_with('"') {
        // A raw value is valid JSON: a string without escapes is its text between the quotes.
        match text.get(1..text.len() - 1) {
            Some(inner) if !inner.contains('\\') => Some(Cow::Borrowed(inner)),
            _ => serde_json::from_str::<Cow<'_, str>>(text).ok(),
        }
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Some(Cow::Borrowed(text))
    } else {
        None
    }
}

/// Only a JSON string (currency, dates, statuses are never numbers).
fn string(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    raw.filter(|r| r.get().starts_with('"')).and_then(|r| scalar(Some(r)))
}

fn owned(v: Option<Cow<'_, str>>) -> Option<String> {
    v.map(Cow::into_owned)
}

/// Parses a notification body (already verified). Unknown fields are ignored;
/// unknown event types become [`Event::Other`] whatever their shape.
pub fn parse_event(raw_body: &[u8]) -> Result<Event, Error> {
    let bad = |what: &str| failure(reason::MALFORMED_BODY, format!("notification body: {what}"));
    let Ok(body) = std::str::from_utf8(raw_body) else {
        return Err(bad("not a JSON object"));
    };
    let (wire, one_pass) = match read_one_pass(body) {
        Ok((wire, data)) => (wire, Some(data)),
        Err(_) => (Wire::read(body).map_err(|_| bad("not a JSON object"))?, None),
    };
    let event_type = string(wire.event_type).ok_or_else(|| bad("no eventType"))?;
    let event_type = event_type.as_ref();
    let is_refund = event_type.starts_with("refund.") || event_type == "cip.refunded";
    if event_type != "cip.paid" && !is_refund {
        return other_event(raw_body, event_type, &wire, one_pass);
    }
    let data = match one_pass {
        Some(data) => data,
        None => {
            WireData::read(wire.data).map_err(|_| bad(&format!("{event_type}: data is not an object")))?
        }
    };
    let operation_number =
        scalar(wire.operation_number).ok_or_else(|| bad("no operationNumber"))?.into_owned();
    let cip = scalar(data.cip).and_then(|c| crate::cip::parse_cip(&c)).ok_or_else(|| bad("no data.cip"))?;
    let currency = string(data.currency)
        .and_then(|c| c.parse::<Currency>().ok())
        .ok_or_else(|| bad("data.currency is not PEN or USD"))?;
    // Kept as sent (padded to two decimals, never rounded): a genuine payment is
    // recorded exactly, and an odd amount is for reconciliation to report.
    let amount = scalar(data.amount)
        .and_then(|a| Decimal::from_str_exact(&a).or_else(|_| Decimal::from_scientific(&a)).ok())
        .filter(|a| !a.is_sign_negative())
        .map(money::at_least_two_decimals)
        .ok_or_else(|| bad("no data.amount"))?;
    if is_refund {
        let status = match string(data.status) {
            Some(s) => s.into_owned(),
            None => event_type.rsplit('.').next().unwrap_or("").to_owned(),
        };
        return Ok(Event::Refund(RefundEvent {
            event_type: event_type.to_owned(),
            operation_number,
            refund_id: owned(scalar(data.refund_id)),
            cip,
            merchant_refund_id: owned(scalar(data.merchant_refund_id)),
            currency,
            amount,
            status: RefundStatus::parse(&status),
            reason_code: owned(scalar(data.reason_code)),
        }));
    }
    let payment_date = match string(data.payment_date) {
        Some(s) => time::parse_optional(&s).map_err(|_| bad("data.paymentDate is not a time"))?,
        None => None,
    };
    Ok(Event::CipPaid(CipPaid {
        operation_number,
        cip,
        currency,
        amount,
        payment_date,
        transaction_code: owned(scalar(data.transaction_code)),
    }))
}

/// Any other event type, kept whole (its body is already verified and bounded).
fn other_event(
    raw_body: &[u8],
    event_type: &str,
    wire: &Wire<'_>,
    data: Option<WireData<'_>>,
) -> Result<Event, Error> {
    let body: Value = serde_json::from_slice(raw_body)
        .map_err(|_| failure(reason::MALFORMED_BODY, "notification body: not JSON"))?;
    let cip = data
        .or_else(|| WireData::read(wire.data).ok())
        .and_then(|d| scalar(d.cip))
        .and_then(|c| crate::cip::parse_cip(&c));
    Ok(Event::Other(OtherEvent {
        event_type: event_type.to_owned(),
        operation_number: owned(scalar(wire.operation_number)),
        cip,
        body,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_strings_with_escapes_read_as_plain_ones() {
        let plain = br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"12","currency":"PEN","amount":"1.50","transactionCode":"A/B"}}"#;
        let escaped = br#"{"\u0065ventType":"cip.paid","Operation\u004eumber":"\u0037","data":{"cip":"1\u0032","CURRENCY":"P\u0045N","amount":"1.50","transactionCode":"A\/B"}}"#;
        let (Event::CipPaid(a), Event::CipPaid(b)) =
            (parse_event(plain).unwrap(), parse_event(escaped).unwrap())
        else {
            panic!("not cip.paid")
        };
        assert_eq!((a.operation_number.as_str(), a.cip, a.currency), ("7", 12, Currency::PEN));
        assert_eq!(a, b);
        assert_eq!(b.transaction_code.as_deref(), Some("A/B"));
    }

    #[test]
    fn data_read_in_one_pass_or_two_gives_the_same_event() {
        let body = br#"{"data":{"amount":1.5,"x":[1,{"y":null}],"cip":12,"currency":"USD"},"eventType":"cip.paid","operationNumber":3}"#;
        let (wire, data) = read_one_pass(std::str::from_utf8(body).unwrap()).unwrap();
        let two = WireData::read(Wire::read(std::str::from_utf8(body).unwrap()).unwrap().data).unwrap();
        for (a, b) in [(data.cip, two.cip), (data.amount, two.amount), (data.currency, two.currency)] {
            assert_eq!(a.map(RawValue::get), b.map(RawValue::get));
        }
        assert_eq!(wire.operation_number.map(RawValue::get), Some("3"));
        // Not an object, null, or twice: the two-pass reading decides, as before.
        for body in [
            &br#"{"eventType":"cip.paid","operationNumber":"1","data":5}"#[..],
            br#"{"eventType":"cip.paid","operationNumber":"1","data":"x"}"#,
            br#"{"eventType":"cip.paid","operationNumber":"1","data":[]}"#,
        ] {
            assert!(read_one_pass(std::str::from_utf8(body).unwrap()).is_err());
            let e = parse_event(body).unwrap_err();
            assert!(e.to_string().contains("data is not an object"), "{e}");
        }
        let twice = br#"{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"9","currency":"PEN"},"data":{"cip":"8","currency":"PEN","amount":"2"}}"#;
        let Event::CipPaid(p) = parse_event(twice).unwrap() else { panic!("not cip.paid") };
        assert_eq!(p.cip, 8, "the last data, whole, as serde reads it");
        let other = br#"{"eventType":"cip.other","data":null}"#;
        assert!(matches!(parse_event(other).unwrap(), Event::Other(_)));
        let other = br#"{"eventType":"cip.other","operationNumber":"4","data":{"cip":"77"}}"#;
        let Event::Other(o) = parse_event(other).unwrap() else { panic!("not other") };
        assert_eq!((o.cip, o.operation_number.as_deref()), (Some(77), Some("4")));
    }

    #[test]
    fn a_body_that_is_not_utf8_is_malformed() {
        let e = parse_event(b"{\"eventType\":\"cip.paid\xff\"}").unwrap_err();
        assert_eq!(e.reason(), Some(reason::MALFORMED_BODY), "{e}");
    }
}
