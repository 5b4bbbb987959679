//! schema/pagoefectivo.schema.json is the core's description of every shape, current and true:
//! regenerate with `UPDATE_SCHEMA=1 cargo test -p pagoefectivo --test schema`.

mod common;

use std::path::PathBuf;

use pagoefectivo::{Client, CreateCipRequest, Currency, Decimal, webhook};
use serde_json::Value;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema/pagoefectivo.schema.json")
}

#[test]
fn the_checked_in_schema_is_the_generated_one() {
    let generated = serde_json::to_string_pretty(&pagoefectivo::schema::document()).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path(), &generated).unwrap();
    }
    let stored = std::fs::read_to_string(path()).unwrap_or_default();
    assert!(
        stored == generated,
        "schema/pagoefectivo.schema.json is stale: run UPDATE_SCHEMA=1 cargo test -p pagoefectivo --test schema"
    );
}

/// The properties a `$defs` entry declares, following `allOf` and `$ref`.
fn properties(doc: &Value, schema: &Value, out: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return properties(doc, &doc["$defs"][name], out);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        all.iter().for_each(|s| properties(doc, s, out));
    }
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        out.extend(p.keys().cloned());
    }
}

fn assert_shape(doc: &Value, def: &Value, value: &Value, what: &str) {
    let mut declared = Vec::new();
    properties(doc, def, &mut declared);
    declared.sort();
    declared.dedup();
    let mut actual: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    actual.sort();
    assert_eq!(declared, actual, "{what}: the schema and the serialized value disagree");
}

/// Real values serialize to exactly the declared properties (Serialize and the schema cannot drift).
#[tokio::test]
async fn real_values_have_exactly_the_declared_properties() {
    let doc = pagoefectivo::schema::document();
    let sb = common::sandbox().await;
    let client = Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    let order = CreateCipRequest::new(Currency::PEN, Decimal::new(2550, 2), "ORD-S", "a@b.pe");
    let cip = client.cips().create(&order).await.unwrap();
    assert_shape(&doc, &doc["$defs"]["Cip"], &serde_json::to_value(&cip).unwrap(), "Cip");
    let info = client.cips().get(cip.cip).await.unwrap();
    assert_shape(&doc, &doc["$defs"]["CipInfo"], &serde_json::to_value(&info).unwrap(), "CipInfo");
    let settings = client.config().settings();
    assert_shape(&doc, &doc["$defs"]["Settings"], &settings, "Settings");
    let body = br#"{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN","amount":1.00}}"#;
    let event = serde_json::to_value(webhook::parse_event(body).unwrap()).unwrap();
    assert_shape(&doc, &doc["$defs"]["Event"]["oneOf"][0], &event, "Event cip_paid");
    let e = client.cips().get(1).await.unwrap_err();
    assert_shape(&doc, &doc["$defs"]["Error"], &serde_json::to_value(&e).unwrap(), "Error");
    sb.shutdown().await;
}
