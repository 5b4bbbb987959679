//! Entry points for the fuzz targets in `fuzz/`: every parser of untrusted input, reachable from outside the crate.
//! Not part of the API; each function only runs a parser and drops the result.

use serde_json::Value;

use crate::boundary;
use crate::call::Data;
use crate::cip::{Cip, CipInfo};
use crate::envelope;
use crate::reconcile::{OrderColumns, Orders, Payments, ReportColumns, ReportPage};
use crate::refund::Refund;
use crate::{Config, CreateCipRequest, CreateRefundRequest, time, webhook};

/// A notification body with a header and a secret taken from the input.
pub fn notification(body: &[u8], signature: &str, secret: &str) {
    let _ = webhook::verify(body, Some(signature), secret);
    let _ = webhook::verify(body, Some(&webhook::sign(body, secret)), secret);
    let _ = webhook::parse_event(body);
}

/// An API answer: the envelope, then each result shape read from its data.
pub fn answer(bytes: &[u8]) {
    let Some(env) = envelope::parse(bytes) else { return };
    let _ = envelope::to_error(400, Some(&env), bytes);
    let data = Data(env.data);
    let _ = Cip::from_wire(data.json());
    let _ = CipInfo::from_wire(data.json());
    let value = data.value();
    let _ = Refund::from_wire(&value);
    let _ = ReportPage::from_wire(&value);
    if let Ok(items) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(data.json()) {
        items.iter().for_each(|i| drop(CipInfo::from_wire(i.get())));
    }
}

/// A time as a caller, an answer and a report file give it.
pub fn times(text: &str) {
    let _ = time::parse(text);
    let _ = time::parse_wire(text);
    let _ = time::parse_optional(text);
}

/// Reconciliation CSV files.
pub fn csv(bytes: &[u8]) {
    let _ = Orders::from_csv(bytes, &OrderColumns::default());
    let _ = Payments::from_report_csv(bytes, &ReportColumns::default());
}

/// Request JSON from a binding: requests, options, and the offline operations.
pub fn request_json(bytes: &[u8]) {
    let Ok(v) = serde_json::from_slice::<Value>(bytes) else { return };
    let _ = CreateCipRequest::from_json(&v);
    let _ = CreateRefundRequest::from_json(&v);
    let _ = Config::from_options(&v);
    let _ = boundary::wait_options(&v);
    for op in boundary::ops::OPS.iter().filter(|op| **op != "reconcile.files") {
        let _ = boundary::ops::call(op, &v);
    }
}
