//! The JSON Schema of every shape that crosses to another language, generated from the core's own types.
//!
//! `schema/pagoefectivo.schema.json` is this document, checked by a test, so
//! a field added here and missing in a binding's declarations fails CI
//! (TypeScript types are generated from it; the Python stubs, PHP classes
//! and uniffi records are checked against it field by field).

use schemars::generate::{Contract, SchemaSettings};
use serde_json::{Map, Value, json};

use crate::audit::Exchange;
use crate::cip::{Cip, CipInfo};
use crate::cip_request::CreateCipRequest;
use crate::error::{ErrorInner, FieldError};
use crate::reconcile::{PaymentRecord, Reconciliation, ReportPage};
use crate::refund::{CreateRefundRequest, Refund, RefundEligibility};
use crate::refund_audit::RefundAuditRecord;
use crate::settings::Settings;
use crate::webhook::Event;

/// rust_decimal describes a Decimal as a string with a digits pattern; say
/// `format: decimal` too, so generators map it to Decimal/BigDecimal, not to a plain string.
fn mark_decimals(schema: &mut Value) {
    match schema {
        Value::Object(m) => {
            let decimal = m.get("type") == Some(&json!("string"))
                && m.get("pattern").and_then(Value::as_str).is_some_and(|p| p.starts_with("^-?\\d+"));
            if decimal {
                m.insert("format".into(), json!("decimal"));
            }
            m.values_mut().for_each(mark_decimals);
        }
        Value::Array(items) => items.iter_mut().for_each(mark_decimals),
        _ => {}
    }
}

/// The schema document: every shape under `$defs`, by name.
pub fn document() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.contract = Contract::Serialize;
    let mut g = settings.into_generator();
    // Requests as their canonical JSON; results, events and records as they cross.
    let roots = [
        ("CreateCipRequest", g.subschema_for::<CreateCipRequest>()),
        ("CreateRefundRequest", g.subschema_for::<CreateRefundRequest>()),
        ("Cip", g.subschema_for::<Cip>()),
        ("CipInfo", g.subschema_for::<CipInfo>()),
        ("Refund", g.subschema_for::<Refund>()),
        ("RefundEligibility", g.subschema_for::<RefundEligibility>()),
        ("Event", g.subschema_for::<Event>()),
        ("Reconciliation", g.subschema_for::<Reconciliation>()),
        ("PaymentRecord", g.subschema_for::<PaymentRecord>()),
        ("ReportPage", g.subschema_for::<ReportPage>()),
        ("Settings", g.subschema_for::<Settings>()),
        ("Error", g.subschema_for::<ErrorInner>()),
        ("FieldError", g.subschema_for::<FieldError>()),
        ("Exchange", g.subschema_for::<Exchange>()),
        ("RefundAuditRecord", g.subschema_for::<RefundAuditRecord>()),
    ];
    let mut defs: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    defs.values_mut().for_each(mark_decimals);
    let roots: Vec<&str> = roots.iter().map(|(name, _)| *name).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/pagoefectivo-sdk/schema/pagoefectivo.schema.json",
        "title": "pagoefectivo-sdk shapes",
        "description": "Every request, result, event and error as it crosses from the Rust core to another language. Generated: do not edit.",
        "roots": roots,
        "$defs": defs,
    })
}
