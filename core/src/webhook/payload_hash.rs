//! The payload hash of an event: what tells a redelivery from a notification changed under the same key.
//!
//! SHA-256 (hex) over the event's fields as this SDK reads them, each written
//! with its length (or a tag for an absent one), so no two different events
//! write the same bytes. Money enters as the parsed decimal's mantissa and
//! scale, times as instant and offset.
//! Every dedup check computes one, so it writes binary fields into one buffer
//! rather than JSON (which cost three times as much); the patterns below list
//! every field, so a field added to an event cannot be left out of its hash.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::event::{CipPaid, Event, OtherEvent, RefundEvent};

struct Fields(Vec<u8>);

impl Fields {
    fn text(&mut self, s: &str) -> &mut Self {
        self.0.extend_from_slice(&u32::try_from(s.len()).unwrap_or(u32::MAX).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self
    }
    fn optional_text(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.tag(1).text(s),
            None => self.tag(0),
        }
    }
    fn tag(&mut self, t: u8) -> &mut Self {
        self.0.push(t);
        self
    }
    fn number(&mut self, n: u64) -> &mut Self {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }
    fn optional_number(&mut self, n: Option<u64>) -> &mut Self {
        match n {
            Some(n) => self.tag(1).number(n),
            None => self.tag(0),
        }
    }
    fn money(&mut self, amount: &Decimal) -> &mut Self {
        self.0.extend_from_slice(&amount.mantissa().to_le_bytes());
        self.0.extend_from_slice(&amount.scale().to_le_bytes());
        self
    }
    fn time(&mut self, t: Option<&DateTime<FixedOffset>>) -> &mut Self {
        match t {
            Some(t) => {
                self.tag(1);
                self.0.extend_from_slice(&t.timestamp().to_le_bytes());
                self.0.extend_from_slice(&t.timestamp_subsec_nanos().to_le_bytes());
                self.0.extend_from_slice(&t.offset().local_minus_utc().to_le_bytes());
                self
            }
            None => self.tag(0),
        }
    }
}

/// SHA-256 (hex) of `event`'s type and fields.
pub(crate) fn payload_hash(event: &Event) -> String {
    let mut f = Fields(Vec::with_capacity(160));
    f.text(event.event_type());
    match event {
        Event::CipPaid(CipPaid {
            operation_number,
            cip,
            currency,
            amount,
            payment_date,
            transaction_code,
        }) => {
            f.tag(b'P').text(operation_number).number(*cip).text(currency.as_str()).money(amount);
            f.time(payment_date.as_ref()).optional_text(transaction_code.as_deref());
        }
        Event::Refund(RefundEvent {
            event_type: _,
            operation_number,
            refund_id,
            cip,
            merchant_refund_id,
            currency,
            amount,
            status,
            reason_code,
        }) => {
            f.tag(b'R').text(operation_number).optional_text(refund_id.as_deref()).number(*cip);
            f.optional_text(merchant_refund_id.as_deref()).text(currency.as_str()).money(amount);
            f.text(status.as_str()).optional_text(reason_code.as_deref());
        }
        Event::Other(OtherEvent { event_type: _, operation_number, cip, body }) => {
            f.tag(b'O').optional_text(operation_number.as_deref()).optional_number(*cip);
            // Writing JSON to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut f.0, body);
        }
    }
    let mut hex = [0u8; 64];
    // hex::encode collects chars one by one (it was a quarter of the JSON version's time).
    let _ = hex::encode_to_slice(Sha256::digest(&f.0), &mut hex);
    std::str::from_utf8(&hex).map(str::to_owned).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::parse_event;

    fn hash(body: &str) -> String {
        parse_event(body.as_bytes()).unwrap().payload_hash()
    }

    #[test]
    fn a_redelivery_hashes_the_same_and_any_changed_field_does_not() {
        let paid = r#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"1234","currency":"PEN","amount":10.00,"paymentDate":"2026-12-01T10:00:00-05:00","transactionCode":"T1"}}"#;
        let base = hash(paid);
        assert_eq!(base.len(), 64);
        assert_eq!(base, hash(paid), "a redelivery");
        // Key order and spacing are not the payload: the same event read again.
        let reordered = r#"{ "data": {"transactionCode":"T1","amount":10.00,"currency":"PEN","cip":"1234","paymentDate":"2026-12-01T10:00:00-05:00"}, "operationNumber":"7", "eventType":"cip.paid" }"#;
        assert_eq!(base, hash(reordered));
        // Nor is the offset an instant is written in (the SDK reads times in Lima's).
        assert_eq!(base, hash(&paid.replace("10:00:00-05:00", "15:00:00+00:00")));
        for (from, to) in [
            ("10.00", "10.01"),
            (r#""PEN""#, r#""USD""#),
            ("10:00:00-05:00", "10:00:01-05:00"),
            (r#""T1""#, r#""T2""#),
        ] {
            assert_ne!(base, hash(&paid.replace(from, to)), "{from} -> {to}");
        }
        let refund = r#"{"eventType":"refund.refunded","operationNumber":"9","data":{"cip":"1234","refundId":"r1","currency":"PEN","amount":5.00,"status":"refunded"}}"#;
        assert_ne!(hash(refund), hash(&refund.replace(r#""r1""#, r#""r2""#)));
        let other = r#"{"eventType":"cip.expired","operationNumber":"9","data":{"cip":"1234","x":1}}"#;
        assert_ne!(hash(other), hash(&other.replace(r#""x":1"#, r#""x":2"#)));
    }
}
