//! The `/_sandbox/` control API, as the CLI and non-Rust tests drive it.

mod common;

use common::{Harness, JsonBody, read_json, start};
use pagoefectivo_sandbox::Endpoint;
use reqwest::Method;
use serde_json::{Value, json};

async fn control_call(h: &Harness, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("http://{}/_sandbox/{path}", h.sandbox.addr());
    let mut request = h.http.request(method, url);
    if let Some(body) = body {
        request = request.json_body(&body);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    (status, read_json(response).await)
}

#[tokio::test]
async fn health_and_cips() {
    let h = start().await;
    let (status, health) = control_call(&h, Method::GET, "health", None).await;
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));

    let cip = h.create("12.30").await;
    let (status, list) = control_call(&h, Method::GET, "cips", None).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["cip"], cip);
    assert_eq!(list[0]["amount"].to_string(), "12.30");
    assert_eq!(list[0]["status"], "generated");
    let (status, one) = control_call(&h, Method::GET, &format!("cips/{cip}"), None).await;
    assert_eq!((status, &one["transactionCode"]), (200, &json!("ORD-1")));

    let (status, error) = control_call(&h, Method::GET, "cips/42", None).await;
    assert_eq!(status, 404);
    assert!(error["error"].as_str().expect("error").contains("42"));
}

#[tokio::test]
async fn pay_expire_and_clock() {
    let h = start().await;
    let cip = h.create("5").await;
    let (status, paid) = control_call(&h, Method::POST, &format!("cips/{cip}/pay"), None).await;
    assert_eq!(status, 200);
    assert_eq!(paid["cip"], cip);
    assert!(paid["operationNumber"].is_string());
    assert!(paid["datePayment"].as_str().expect("date").ends_with("-05:00"));
    let (status, again) = control_call(&h, Method::POST, &format!("cips/{cip}/pay"), None).await;
    assert_eq!(status, 409);
    assert!(again["error"].is_string());

    let other = h.create("5").await;
    let (status, expired) = control_call(&h, Method::POST, &format!("cips/{other}/expire"), None).await;
    assert_eq!((status, expired["status"].as_str()), (200, Some("expired")));

    let before = h.sandbox.control().now();
    let (status, now) =
        control_call(&h, Method::POST, "clock/advance", Some(json!({ "seconds": 3600 }))).await;
    assert_eq!(status, 200);
    let now = chrono::DateTime::parse_from_rfc3339(now["now"].as_str().expect("now")).expect("date");
    assert!(now - before >= chrono::TimeDelta::seconds(3600));
    let (status, _) = control_call(&h, Method::POST, "clock/advance", Some(json!({ "seconds": -1 }))).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn faults_and_notification_url() {
    let h = start().await;
    let fault = json!({"endpoint":"cips_create","kind":"status","status":503,"times":1});
    let (status, echoed) = control_call(&h, Method::POST, "faults", Some(fault.clone())).await;
    assert_eq!((status, &echoed), (201, &fault));
    let (_, listed) = control_call(&h, Method::GET, "faults", None).await;
    assert_eq!(listed, json!([fault]));
    assert_eq!(h.post("cips", h.cip_body("1", "F")).await.status, 503);
    assert_eq!(h.sandbox.control().request_count(Endpoint::CipsCreate), 1);

    let bad = json!({"endpoint":"cips_create","kind":"explode"});
    let (status, error) = control_call(&h, Method::POST, "faults", Some(bad)).await;
    assert_eq!(status, 400);
    assert!(error["error"].is_string());

    let rated = json!({"endpoint":"any","kind":"unauthorized","rate":1.0});
    assert_eq!(control_call(&h, Method::POST, "faults", Some(rated)).await.0, 201);
    assert_eq!(h.post("cips", h.cip_body("1", "F")).await.status, 401);
    assert_eq!(control_call(&h, Method::DELETE, "faults", None).await.0, 200);
    assert_eq!(h.post("cips", h.cip_body("1", "F")).await.status, 201);

    let url = json!({ "url": "http://127.0.0.1:9/hook" });
    let (status, set) = control_call(&h, Method::PUT, "notification-url", Some(url.clone())).await;
    assert_eq!((status, &set), (200, &url));
    assert_eq!(h.sandbox.control().notification_url().as_deref(), Some("http://127.0.0.1:9/hook"));
    let (_, cleared) = control_call(&h, Method::PUT, "notification-url", Some(json!({ "url": null }))).await;
    assert_eq!(cleared, json!({ "url": null }));

    let (status, deliveries) = control_call(&h, Method::GET, "deliveries", None).await;
    assert_eq!((status, deliveries), (200, json!([])));
    let (status, _) = control_call(&h, Method::GET, "nothing-here", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_dashboard_controls_delete_extend_replay_and_state() {
    let h = start().await;
    let (a, b) = (h.create("5").await, h.create("6").await);
    let (status, extended) =
        control_call(&h, Method::POST, &format!("cips/{a}/extend"), Some(json!({"hours": 72}))).await;
    assert_eq!((status, extended["status"].as_str()), (200, Some("generated")));
    let (status, deleted) = control_call(&h, Method::POST, &format!("cips/{b}/delete"), None).await;
    assert_eq!((status, deleted["status"].as_str()), (200, Some("deleted")));
    let (status, _) = control_call(&h, Method::POST, &format!("cips/{b}/delete"), None).await;
    assert_eq!(status, 409);
    let (status, _) =
        control_call(&h, Method::POST, &format!("cips/{b}/extend"), Some(json!({"nope": 1}))).await;
    assert_eq!(status, 400);

    // A paid CIP's notification (no URL set: recorded as undeliverable), then replayed as a new delivery.
    control_call(&h, Method::POST, &format!("cips/{a}/pay"), None).await;
    let (status, _) = control_call(&h, Method::POST, "deliveries/0/replay", None).await;
    assert_eq!(status, 202);
    let (status, _) = control_call(&h, Method::POST, "deliveries/9/replay", None).await;
    assert_eq!(status, 404);
    let (status, state) = control_call(&h, Method::GET, "state", None).await;
    assert_eq!(status, 200);
    assert_eq!(state["cips"].as_array().map(Vec::len), Some(2));
    let deliveries = state["deliveries"].as_array().expect("deliveries");
    assert_eq!(deliveries.len(), 2);
    assert_eq!(deliveries[0]["body"], deliveries[1]["body"]);
    assert!(state["now"].as_str().expect("now").ends_with("-05:00"));
    assert!(state["requests"]["any"].as_u64().is_some());

    for (path, kind) in [("ui", "text/html"), ("ui/app.js", "text/javascript"), ("ui/app.css", "text/css")] {
        let page =
            h.http.get(format!("http://{}/_sandbox/{path}", h.sandbox.addr())).send().await.expect("ui");
        assert_eq!(page.status(), 200, "{path}");
        assert!(page.headers()["content-type"].to_str().expect("type").starts_with(kind), "{path}");
        let text = page.text().await.expect("text");
        for external in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!text.contains(external), "{path} loads nothing from elsewhere");
        }
    }
}
