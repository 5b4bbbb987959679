//! The CIP endpoints over HTTP: create, search, extend, delete, vouchers and routing.

mod common;

use std::time::Duration;

use chrono::TimeDelta;
use common::{Harness, client, lima, start, start_with};
use pagoefectivo_sandbox::{CipStatus, Decimal, Endpoint, SandboxConfig, Service};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn create_answers_like_the_real_api() {
    let h = start().await;
    let control = h.sandbox.control();
    let expiry = control.now() + TimeDelta::hours(3);
    // The official demo's PascalCase, the spec's space-separated date, -0500, explicit nulls.
    let date = expiry.format("%Y-%m-%d %H:%M:%S-0500").to_string();
    let body = format!(
        r#"{{"Currency":"PEN","Amount":201.010,"TransactionCode":"101","DateExpiry":"{date}",
            "UserEmail":"a@b.pe","UserName":null,"AdminEmail":null,"ServiceId":1234}}"#
    );
    let reply = h.call_raw(Method::POST, "cips", Some(body)).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let record = &control.cips()[0];
    assert_eq!(record.cip, 2_523_136);
    let expected = format!(
        r#"{{"code":100,"message":"Solicitud exitosa.","data":{{"cip":2523136,"currency":"PEN","amount":201.01,"transactionCode":"101","dateExpiry":"{}","cipUrl":"http://{}/{}.html"}}}}"#,
        lima(expiry),
        h.sandbox.addr(),
        record.guid
    );
    assert_eq!(reply.text, expected);
    assert_eq!(record.amount, Decimal::new(20101, 2));
    assert_eq!(record.status, CipStatus::Generated);
    assert_eq!(record.guid, record.guid.to_uppercase());

    let reply = h.post("cips", h.cip_body("25.00", "101")).await;
    assert_eq!(reply.status, 201);
    assert!(reply.text.contains(r#""cip":2523137,"currency":"PEN","amount":25,"#));
    assert_eq!(control.request_count(Endpoint::CipsCreate), 2);
}

#[tokio::test]
async fn create_uses_the_default_expiry_for_every_spelling_of_none() {
    let h = start().await;
    // Absent, null, and .NET's default(DateTimeOffset), which the official C# demo sends.
    for expiry in [None, Some(Value::Null), Some(json!("0001-01-01T00:00:00+00:00"))] {
        let mut body = h.cip_body("1", "X");
        let obj = body.as_object_mut().expect("object");
        obj.remove("dateExpiry");
        if let Some(v) = expiry.clone() {
            obj.insert("DateExpiry".into(), v);
        }
        let reply = h.post("cips", body).await;
        assert_eq!(reply.status, 201, "{expiry:?}: {}", reply.text);
    }
    for record in h.sandbox.control().cips() {
        assert_eq!(record.date_expiry - record.date_creation, TimeDelta::hours(4));
    }
}

#[tokio::test]
async fn times_in_any_offset_are_the_same_instant() {
    let h = start().await;
    let control = h.sandbox.control();
    let at = control.now() + TimeDelta::days(1);
    let utc = at.with_timezone(&chrono::Utc);
    let forms = [
        utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        utc.format("%Y-%m-%dT%H:%M:%S+00:00").to_string(),
        at.format("%Y-%m-%dT%H:%M:%S-0500").to_string(),
        at.format("%Y-%m-%d %H:%M:%S.1234567-05:00").to_string(),
    ];
    for (i, form) in forms.iter().enumerate() {
        let mut body = h.cip_body("1", &format!("T{i}"));
        body["dateExpiry"] = json!(form);
        let reply = h.post("cips", body).await;
        assert_eq!(reply.status, 201, "{form}: {}", reply.text);
        let answered: Value = serde_json::from_str(&reply.text).expect("json");
        assert_eq!(answered["data"]["dateExpiry"], lima(at), "{form}");
        let cip = answered["data"]["cip"].as_u64().expect("cip");
        let reply = h.call(Method::PATCH, &format!("cips/{cip}"), Some(json!({ "dateExpiry": form }))).await;
        assert_eq!(reply.status, 200, "{form}: {}", reply.text);
    }
}

#[tokio::test]
async fn numbers_in_string_fields_are_read_as_text() {
    let h = start().await;
    let mut body = h.cip_body("10", "ignored");
    body["transactionCode"] = json!(84);
    body["userId"] = json!(200);
    body["userUbigeo"] = json!(150101);
    let reply = h.post("cips", body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let answered: Value = serde_json::from_str(&reply.text).expect("json");
    assert_eq!(answered["data"]["transactionCode"], "84");
    let record = &h.sandbox.control().cips()[0];
    assert_eq!((record.user_id.as_deref(), record.user_ubigeo.as_deref()), (Some("200"), Some("150101")));
}

#[tokio::test]
async fn create_validation_errors() {
    let h = start().await;
    let reply = h.post("cips", json!({ "amount": 0, "userPhone": "12ab" })).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.text,
        concat!(
            r#"{"code":"111","message":"Solicitud con datos inválidos.","data":["#,
            r#"{"code":"112","message":"Requerido.","field":"currency"},"#,
            r#"{"code":"113","message":"Valor invalido.","field":"amount"},"#,
            r#"{"code":"112","message":"Requerido.","field":"transactionCode"},"#,
            r#"{"code":"112","message":"Requerido.","field":"userEmail"},"#,
            r#"{"code":"113","message":"Valor invalido.","field":"userPhone"}]}"#
        )
    );
    let mut past = h.cip_body("1", "X");
    past["dateExpiry"] = json!(lima(h.sandbox.control().now() - TimeDelta::minutes(1)));
    let reply = h.post("cips", past).await;
    assert_eq!(reply.json()["data"][0]["field"], "dateExpiry");

    let reply = h.call_raw(Method::POST, "cips", Some("amount=1".into())).await;
    assert_eq!(reply.text, r#"{"code":"111","message":"Solicitud con datos inválidos.","data":[]}"#);

    let reply = h.post("cips", h.cip_body("100000.01", "X")).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["code"], "511");
    assert_eq!(h.post("cips", h.cip_body("100000.00", "X")).await.status, 201);

    let mut other = h.cip_body("1", "X");
    other["serviceId"] = json!(4321);
    let reply = h.post("cips", other).await;
    assert_eq!(reply.text, r#"{"code":"508","message":"Servicio asociado al token es inválido.","data":[]}"#);
    assert_eq!(h.sandbox.control().cips().len(), 1);
}

#[tokio::test]
async fn search_extend_delete_and_the_voucher_page() {
    let h = start().await;
    let control = h.sandbox.control();
    let cip = h.create("25.50").await;
    let found = h.search(&[cip, 99, cip]).await;
    assert_eq!(found.len(), 2);
    let item = &found[0];
    let keys: Vec<&str> = item.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 11);
    assert_eq!(item["cip"], cip);
    assert_eq!(item["amount"].to_string(), "25.5");
    assert_eq!((item["status"].as_u64(), item["statusName"].as_str()), (Some(22), Some("Generado.")));
    assert_eq!(item["datePayment"], "1900-01-01T00:00:00-05:00");
    assert_eq!(item["dateRemoval"], "1900-01-01T00:00:00-05:00");
    let guid = item["token"].as_str().expect("token").to_owned();

    let voucher = format!("http://{}/{guid}.html", h.sandbox.addr());
    let page = h.http.get(&voucher).send().await.expect("voucher");
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().expect("ct").starts_with("text/html"));
    let html = page.text().await.expect("html");
    assert!(html.contains(&format!("id=\"cip\">{cip}<")) && html.contains("S/ 25.50"), "{html}");
    assert!(html.contains("Cómo pagar") && html.contains("<svg"), "Spanish first, with the QR code");
    let english =
        h.http.get(&voucher).header("Accept-Language", "en-US,en;q=0.9").send().await.expect("voucher");
    assert!(english.text().await.expect("html").contains("How to pay"));

    let later = lima(control.now() + TimeDelta::days(2));
    let reply = h.call(Method::PATCH, &format!("cips/{cip}"), Some(json!({ "dateExpiry": later }))).await;
    assert_eq!(reply.text, r#"{"code":100,"message":"Solicitud exitosa.","data":{}}"#);
    assert_eq!(h.search(&[cip]).await[0]["dateExpiry"], later.as_str());

    let reply = h.call(Method::DELETE, &format!("cips/{cip}"), None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text, r#"{"code":100,"message":"Solicitud exitosa.","data":{}}"#);
    let item = &h.search(&[cip]).await[0];
    assert_eq!((item["status"].as_u64(), item["statusName"].as_str()), (Some(25), Some("Eliminado.")));
    assert_eq!(item["dateRemoval"], lima(control.cip(cip).expect("cip").date_removal.expect("removed")));
    let gone = h.http.get(&voucher).send().await.expect("voucher");
    assert_eq!(gone.status(), 404);
    assert_eq!(gone.headers()["content-type"], "application/xml");
    let browser = h.http.get(&voucher).header("Accept", "text/html,*/*").send().await.expect("voucher");
    assert_eq!(browser.status(), 404);
    assert!(
        browser.text().await.expect("html").contains("anulado"),
        "a browser is told the code was cancelled"
    );
    let xml = gone.text().await.expect("xml");
    assert!(
        xml.contains("<Code>NoSuchKey</Code>") && xml.contains(&format!("<Key>{guid}.html</Key>")),
        "{xml}"
    );

    let reply = h.call(Method::DELETE, &format!("cips/{cip}"), None).await;
    assert_eq!(reply.status, 409);
    assert_eq!(
        reply.text,
        r#"{"code":"121","message":"El CIP no se encuentra en un estado válido para esta operación.","data":[]}"#
    );
    let reply = h.call(Method::PATCH, &format!("cips/{cip}"), Some(json!({ "dateExpiry": later }))).await;
    assert_eq!(reply.status, 409);
    let reply = h.call(Method::DELETE, "cips/12345", None).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.text, r#"{"code":"120","message":"CIP no encontrado.","data":[]}"#);
    assert_eq!(h.call(Method::DELETE, "cips/abc", None).await.status, 404);
}

#[tokio::test]
async fn generated_cips_expire_lazily_and_extension_revives_them() {
    let h = start().await;
    let control = h.sandbox.control();
    let mut body = h.cip_body("5", "LAZY");
    body["dateExpiry"] = json!(lima(control.now() + TimeDelta::hours(1)));
    let reply = h.post("cips", body).await;
    let cip = reply.json()["data"]["cip"].as_u64().expect("cip");

    control.advance_clock(Duration::from_secs(2 * 3600));
    // The 2 h token lapsed with the jump too: authenticate again.
    let h = Harness { token: common::token_for(&h.sandbox, &h.http, &Service::demo()).await, ..h };
    let item = &h.search(&[cip]).await[0];
    assert_eq!((item["status"].as_u64(), item["statusName"].as_str()), (Some(21), Some("Expirado.")));
    assert_eq!(control.cip(cip).expect("cip").status, CipStatus::Expired);
    assert_eq!(h.call(Method::DELETE, &format!("cips/{cip}"), None).await.status, 409);
    assert!(control.pay(cip).is_err());

    let stale = lima(control.now() - TimeDelta::seconds(1));
    let reply = h.call(Method::PATCH, &format!("cips/{cip}"), Some(json!({ "DateExpiry": stale }))).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["data"][0]["code"], "113");
    let fresh = lima(control.now() + TimeDelta::hours(1));
    let reply = h.call(Method::PATCH, &format!("cips/{cip}"), Some(json!({ "dateExpiry": fresh }))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(h.search(&[cip]).await[0]["status"], 22);
}

#[tokio::test]
async fn services_cannot_see_each_other() {
    let other = Service {
        id_service: 77,
        access_key: "OTHERACCESSKEY000000".into(),
        secret_key: "othersecret".into(),
        code_service: "OTH".into(),
    };
    let config = SandboxConfig { services: vec![Service::demo(), other.clone()], ..SandboxConfig::default() };
    let h = start_with(config).await;
    let cip = h.create("1").await;
    let h2 = Harness { token: common::token_for(&h.sandbox, &h.http, &other).await, ..h };
    assert!(h2.search(&[cip]).await.is_empty());
    assert_eq!(h2.call(Method::DELETE, &format!("cips/{cip}"), None).await.status, 404);
    let mut body = h2.cip_body("1", "X");
    body["serviceId"] = json!(77);
    assert_eq!(h2.post("cips", body).await.status, 201);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let h = start().await;
    let reply = h.post("settlements", json!({})).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["code"], "404");
    let reply = h.call(Method::GET, "cips", None).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.headers["allow"], "POST");
    assert_eq!(h.call(Method::GET, "cips/1", None).await.status, 405);
    assert_eq!(h.sandbox.control().request_count(Endpoint::Any), 4);
}

#[tokio::test]
async fn concurrent_creates_get_distinct_numbers() {
    let h = std::sync::Arc::new(start().await);
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let h = std::sync::Arc::clone(&h);
            tokio::spawn(async move { h.post("cips", h.cip_body("1.5", &format!("T{i}"))).await })
        })
        .collect();
    let mut cips = Vec::new();
    for task in tasks {
        let reply = task.await.expect("task");
        assert_eq!(reply.status, 201);
        cips.push(reply.json()["data"]["cip"].as_u64().expect("cip"));
    }
    cips.sort_unstable();
    cips.dedup();
    assert_eq!(cips.len(), 64);
    let found: Vec<Value> = h.search(&cips).await;
    assert_eq!(found.len(), 64);
}

#[tokio::test]
async fn shutdown_and_drop_stop_the_server() {
    let h = start().await;
    let url = h.url("cips");
    h.sandbox.shutdown().await;
    let sent = client().post(&url).body("{}").send().await;
    assert!(sent.is_err(), "still serving after shutdown: {sent:?}");

    let h = start().await;
    let url = h.url("cips");
    drop(h.sandbox);
    let mut stopped = false;
    for _ in 0..50 {
        if client().post(&url).body("{}").send().await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(stopped, "still serving after drop");
}
