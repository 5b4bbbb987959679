//! Authorization and bearer tokens over HTTP.

mod common;

use std::time::Duration;

use chrono::TimeDelta;
use common::{JsonBody, auth_body, client, hash, start, start_with};
use pagoefectivo_sandbox::{SandboxConfig, Service};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn authorization_grants_a_jwt_for_the_configured_lifetime() {
    let config = SandboxConfig { token_lifetime: Duration::from_secs(300), ..SandboxConfig::default() };
    let h = start_with(config).await;
    let body = auth_body(&h.sandbox, &Service::demo());
    let reply = h.post("authorizations", body).await;
    assert_eq!(reply.status, 201);
    assert!(reply.text.starts_with(r#"{"code":100,"message":"Solicitud exitosa.","data":{"token":""#));
    let data = &reply.json()["data"];
    assert_eq!(data["codeService"], "DEM");
    assert_eq!(data["token"].as_str().expect("token").split('.').count(), 3);
    let start =
        chrono::DateTime::parse_from_rfc3339(data["tokenStart"].as_str().expect("start")).expect("start");
    let end = chrono::DateTime::parse_from_rfc3339(data["tokenExpires"].as_str().expect("end")).expect("end");
    assert!(data["tokenStart"].as_str().expect("start").ends_with("-05:00"));
    assert_eq!(end - start, TimeDelta::seconds(300));
}

#[tokio::test]
async fn authorization_tolerates_what_clients_send() {
    let h = start().await;
    let demo = Service::demo();
    // Any offset, fractions, idService as a string, PascalCase keys: the hash covers the date text as sent.
    for date in [
        "2020-11-15T15:45:00-0500",
        "2020-11-15T20:45:00Z",
        "2020-11-15T20:45:00+00:00",
        "2020-11-15T15:45:00.1234567-05:00",
    ] {
        let body = json!({
            "AccessKey": demo.access_key,
            "IDSERVICE": "1234",
            "DateRequest": date,
            "HashString": hash(&demo, date),
        });
        assert_eq!(h.post("authorizations", body).await.status, 201, "{date}");
    }
}

#[tokio::test]
async fn authorization_errors() {
    let h = start().await;
    let demo = Service::demo();
    let mut body = auth_body(&h.sandbox, &demo);
    body.as_object_mut().expect("object").remove("accessKey");
    let reply = h.post("authorizations", body).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.text,
        r#"{"code":"111","message":"Solicitud con datos inválidos.","data":[{"code":"112","message":"Requerido.","field":"accessKey"}]}"#
    );

    let mut body = auth_body(&h.sandbox, &demo);
    body["hashString"] = json!("0".repeat(64));
    let reply = h.post("authorizations", body).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.text, r#"{"code":"104","message":"Credenciales inválidas.","data":[]}"#);

    let mut body = auth_body(&h.sandbox, &demo);
    body["idService"] = json!(999);
    assert_eq!(h.post("authorizations", body).await.status, 401);
    let reply = h.call_raw(Method::POST, "authorizations", Some("{".into())).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["code"], "111");
}

#[tokio::test]
async fn tokens_are_required_and_expire_by_the_sandbox_clock() {
    let config = SandboxConfig { token_lifetime: Duration::from_secs(300), ..SandboxConfig::default() };
    let h = start_with(config).await;
    let body = h.cip_body("10", "A");
    let anonymous = client().post(h.url("cips")).json_body(&body).send().await.expect("send");
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        anonymous.text().await.expect("text"),
        r#"{"code":"107","message":"Token inválido o expirado.","data":[]}"#
    );
    let forged = client()
        .post(h.url("cips"))
        .bearer_auth("eyJhbGciOiJIUzI1NiJ9.e30.c2ln")
        .json_body(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(forged.status(), 401);

    assert_eq!(h.post("cips", body.clone()).await.status, 201);
    h.sandbox.control().advance_clock(Duration::from_secs(301));
    let reply = h.post("cips", h.cip_body("10", "A")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json()["code"], "107");
}
