//! A verified event's fields laid out flat for the Kotlin side, so it builds the event without reading JSON.
//!
//! The webhook hot path answers `P` (a `cip.paid`) or `R` (a refund event)
//! followed by the fields in a fixed order, big-endian:
//!
//! | field | layout |
//! |---|---|
//! | text (`eventType`, `dedupKey`, ...) | `i32` UTF-8 length (`-1`: null), the bytes |
//! | CIP number | `i64` |
//! | amount | `i64` unscaled value, `u8` scale (`BigDecimal.valueOf(unscaled, scale)`) |
//! | time | `u8` 1 present / 0 null; if present `i64` epoch seconds, `i32` nanoseconds, `i32` offset seconds |
//!
//! `P`: eventType, dedupKey, operationNumber, cip, currency, amount, paymentDate, transactionCode.
//! `R`: eventType, dedupKey, operationNumber, refundId, cip, merchantRefundId, currency, amount, status, reasonCode.
//!
//! Every value is the core's (its own parsing and checks decided them); an event
//! this layout cannot carry exactly (other event types, an amount past 64 bits)
//! gets the JSON reply (`reply::encode`) instead, which the Kotlin side reads as before.

use pagoefectivo::webhook::Event;
use pagoefectivo::{Decimal, Error};

use crate::reply;

pub const CIP_PAID: u8 = b'P';
pub const REFUND: u8 = b'R';

/// The reply for a verification's result: flat when the layout holds the event exactly, else JSON.
pub fn encode(result: Result<Event, Error>) -> Vec<u8> {
    match &result {
        Ok(event) => flat(event).unwrap_or_else(|| reply::encode(result)),
        Err(e) => reply::failure(e),
    }
}

fn flat(event: &Event) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(160);
    let key = event.dedup_key();
    match event {
        Event::CipPaid(p) => {
            out.push(CIP_PAID);
            text(&mut out, Some(event.event_type()));
            text(&mut out, Some(&key));
            text(&mut out, Some(&p.operation_number));
            out.extend_from_slice(&i64::try_from(p.cip).ok()?.to_be_bytes());
            text(&mut out, Some(p.currency.as_str()));
            amount(&mut out, &p.amount)?;
            time(
                &mut out,
                p.payment_date
                    .map(|t| (t.timestamp(), t.timestamp_subsec_nanos(), t.offset().local_minus_utc())),
            );
            text(&mut out, p.transaction_code.as_deref());
        }
        Event::Refund(r) => {
            out.push(REFUND);
            text(&mut out, Some(event.event_type()));
            text(&mut out, Some(&key));
            text(&mut out, Some(&r.operation_number));
            text(&mut out, r.refund_id.as_deref());
            out.extend_from_slice(&i64::try_from(r.cip).ok()?.to_be_bytes());
            text(&mut out, r.merchant_refund_id.as_deref());
            text(&mut out, Some(r.currency.as_str()));
            amount(&mut out, &r.amount)?;
            text(&mut out, Some(r.status.as_str()));
            text(&mut out, r.reason_code.as_deref());
        }
        Event::Other(_) => return None,
    }
    Some(out)
}

fn text(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        // A notification body is at most a few MiB (the core's limit), far below i32::MAX.
        Some(s) => {
            out.extend_from_slice(&(s.len() as i32).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
    }
}

fn amount(out: &mut Vec<u8>, d: &Decimal) -> Option<()> {
    out.extend_from_slice(&i64::try_from(d.mantissa()).ok()?.to_be_bytes());
    out.push(u8::try_from(d.scale()).ok()?);
    Some(())
}

/// A time as (epoch seconds, nanoseconds, offset seconds).
fn time(out: &mut Vec<u8>, t: Option<(i64, u32, i32)>) {
    match t {
        Some((seconds, nanos, offset)) => {
            out.push(1);
            out.extend_from_slice(&seconds.to_be_bytes());
            // Below 2 * 10^9 (a leap second at most), so it fits.
            out.extend_from_slice(&(nanos as i32).to_be_bytes());
            out.extend_from_slice(&offset.to_be_bytes());
        }
        None => out.push(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagoefectivo::webhook;

    const BODY: &str = r#"{"eventType":"cip.paid","operationNumber":"1253","data":{"cip":"11546901","currency":"PEN","amount":22.05,"paymentDate":"2026-11-20T18:04:11-05:00"}}"#;

    #[test]
    fn a_paid_event_is_flat_and_exact() {
        let out = encode(webhook::parse_event(BODY.as_bytes()));
        let mut want = vec![CIP_PAID];
        for s in ["cip.paid", "cip.paid:1253:11546901", "1253"] {
            want.extend_from_slice(&(s.len() as i32).to_be_bytes());
            want.extend_from_slice(s.as_bytes());
        }
        want.extend_from_slice(&11546901i64.to_be_bytes());
        want.extend_from_slice(&3i32.to_be_bytes());
        want.extend_from_slice(b"PEN");
        want.extend_from_slice(&2205i64.to_be_bytes());
        want.push(2);
        want.push(1);
        want.extend_from_slice(&1_795_215_851i64.to_be_bytes());
        want.extend_from_slice(&0i32.to_be_bytes());
        want.extend_from_slice(&(-18000i32).to_be_bytes());
        want.extend_from_slice(&(-1i32).to_be_bytes());
        assert_eq!(out, want);
    }

    #[test]
    fn other_events_and_errors_stay_json() {
        let other = br#"{"eventType":"cip.expired","operationNumber":"1","data":{"cip":"2"}}"#;
        assert_eq!(encode(webhook::parse_event(other))[0], reply::OK);
        assert_eq!(encode(webhook::parse_event(b"{"))[0], reply::ERR);
    }
}
