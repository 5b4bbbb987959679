//! The independently computed vectors of tests/vectors/, run against the core.

use pagoefectivo::{hash_string, webhook};
use serde_json::Value;

fn load(name: &str) -> Vec<Value> {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

#[test]
fn hash_string_vectors() {
    let vectors = load("auth-hashstring.json");
    assert!(vectors.len() >= 9);
    for v in vectors {
        let got = hash_string(
            v["idService"].as_u64().unwrap() as u32,
            v["accessKey"].as_str().unwrap(),
            v["secretKey"].as_str().unwrap(),
            v["dateRequest"].as_str().unwrap(),
        );
        assert_eq!(got, v["hashString"].as_str().unwrap(), "{}", v["name"]);
    }
}

#[test]
fn webhook_signature_vectors() {
    let vectors = load("webhook-signature.json");
    assert!(vectors.len() >= 19);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let body = v["body"].as_str().unwrap().as_bytes();
        let result = webhook::verify(body, v["signature"].as_str(), v["secret"].as_str().unwrap());
        if v["valid"].as_bool().unwrap() {
            let event = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            let parsed: Value = serde_json::from_slice(body).unwrap();
            assert_eq!(event.event_type(), parsed["eventType"].as_str().unwrap(), "{name}");
            assert_eq!(event.cip().unwrap().to_string(), parsed["data"]["cip"].as_str().unwrap(), "{name}");
            if v["signature"].as_str().unwrap().trim() == v["signature"].as_str().unwrap()
                && !v["signature"].as_str().unwrap().chars().any(|c| c.is_ascii_uppercase())
            {
                assert_eq!(
                    webhook::sign(body, v["secret"].as_str().unwrap()),
                    v["signature"].as_str().unwrap()
                );
            }
        } else {
            let err = result.expect_err(name);
            assert_eq!(err.code().as_str(), "signature_verification_failed", "{name}");
            assert_eq!(err.reason(), v["reason"].as_str(), "{name}");
        }
    }
}
