//! What the client makes of answers the real API's stack can give: envelopes in any case, failure
//! codes in a 2xx, unreadable creations, empty acknowledgements, pages from proxies.

mod common;

use std::time::Duration;

use common::hostile::{Answer, Hostile, config};
use pagoefectivo::{Client, CreateCipRequest, Currency, ErrorCode};

fn order(tc: &str) -> CreateCipRequest {
    CreateCipRequest::new(Currency::PEN, "25.50".parse().unwrap(), tc, "ana@example.pe")
        .expires_in(Duration::from_secs(3600))
}

async fn client() -> (Hostile, Client) {
    let (h, base) = Hostile::start().await;
    (h, Client::new(config(&base).build().unwrap()).unwrap())
}

const FOUND: &str = r#"{"cip":2523136,"transactionCode":"T1","amount":25.5,"currency":"PEN","status":22,
    "statusName":"Generado.","dateCreation":"2026-01-01T00:00:00-05:00","dateExpiry":"2026-01-02T00:00:00-05:00",
    "datePayment":"1900-01-01T00:00:00-05:00","dateRemoval":"1900-01-01T00:00:00-05:00","token":"AB"}"#;

#[tokio::test]
async fn a_creation_whose_cip_cannot_be_read_is_outcome_unknown() {
    let pascal = r#"{"Code":100,"Message":"Solicitud exitosa.","Data":{"Cip":2523136,"Currency":"PEN",
        "Amount":25.5,"TransactionCode":"T1","DateExpiry":"2026-01-02T00:00:00-05:00","CipUrl":"https://x/A.html"}}"#;
    for body in [pascal, r#"{"code":100,"message":"ok","data":{}}"#, "{}", "", "<html>Created</html>"] {
        let (h, client) = client().await;
        h.script("POST", "/v1/cips", vec![Answer::json(201, body)]);
        let e = client.cips().create(&order("ORD-9")).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::OutcomeUnknown, "{body}: {e}");
        assert_eq!(e.transaction_code(), Some("ORD-9"));
        assert_eq!(e.http_status(), Some(201));
        assert_eq!(e.attempts(), 1);
        assert!(e.request_id().is_some_and(|r| r.starts_with("req_")));
        assert!(e.hint().is_some());
        assert!(!e.is_retryable());
        assert_eq!(h.count("POST", "/v1/cips"), 1, "never resent");
    }
}

#[tokio::test]
async fn a_failure_code_in_a_2xx_envelope_is_that_failure() {
    let (h, client) = client().await;
    h.script(
        "POST",
        "/v1/cips",
        vec![Answer::json(
            200,
            r#"{"Code":"111","Message":"Solicitud con datos inválidos.","Data":[{"Code":"113","Message":"Valor invalido.","Field":"amount"}]}"#,
        )],
    );
    let e = client.cips().create(&order("ORD-1")).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ValidationError, "{e}");
    assert_eq!(e.field_errors()[0].field, "amount");
    assert_eq!(e.pe_code(), Some("111"));
    h.script(
        "POST",
        "/v1/cips/search",
        vec![Answer::json(200, r#"{"code":"508","message":"Servicio inválido.","data":[]}"#)],
    );
    let e = client.cips().get(2523136).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthenticationError, "{e}");
}

#[tokio::test]
async fn the_envelope_is_read_in_any_case_and_an_unreadable_search_is_an_error() {
    let (h, client) = client().await;
    h.always(
        "POST",
        "/v1/cips/search",
        Answer::json(200, &format!(r#"{{"CODE":100,"Message":"ok","Data":[{FOUND}]}}"#)),
    );
    assert_eq!(client.cips().get(2523136).await.unwrap().cip, 2523136);
    // Items in a shape this SDK cannot read: an error, never "no such CIP".
    let pascal_items = FOUND.replace("\"cip\"", "\"Cip\"").replace("\"status\"", "\"Status\"");
    for data in [format!("[{pascal_items}]"), "{}".to_owned(), r#""x""#.to_owned()] {
        h.always("POST", "/v1/cips/search", Answer::json(200, &format!(r#"{{"Code":100,"Data":{data}}}"#)));
        let e = client.cips().get(2523136).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::MalformedResponse, "{data}: {e}");
        assert_eq!(e.http_status(), Some(200));
    }
    // An answer with no data at all is unreadable too; only an empty list means "none".
    h.always("POST", "/v1/cips/search", Answer::json(200, r#"{"code":100,"message":"ok"}"#));
    assert_eq!(client.cips().search(&[1]).await.unwrap_err().code(), ErrorCode::MalformedResponse);
    h.always("POST", "/v1/cips/search", Answer::json(200, r#"{"code":100,"message":"ok","data":[]}"#));
    assert_eq!(client.cips().get(1).await.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn an_empty_acknowledgement_of_delete_or_extend_is_a_success() {
    let (h, client) = client().await;
    h.script("DELETE", "/v1/cips/7", vec![Answer::empty(204)]);
    client.cips().delete(7).await.unwrap();
    h.script("PATCH", "/v1/cips/7", vec![Answer::empty(200)]);
    let later = pagoefectivo::time::now_lima() + chrono::Duration::hours(5);
    client.cips().extend(7, later).await.unwrap();
    assert_eq!(
        (h.count("DELETE", "/v1/cips/7"), h.count("PATCH", "/v1/cips/7")),
        (1, 1),
        "no retry after success"
    );
}

#[tokio::test]
async fn a_proxy_page_is_named_for_what_it_is() {
    let (h, client) = client().await;
    h.always(
        "POST",
        "/v1/cips/search",
        Answer::html(403, "<!DOCTYPE html><html><h1>Forbidden by policy</h1></html>"),
    );
    let e = client.cips().get(1).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ApiError, "{e}");
    assert!(e.message().contains("proxy"), "{e}");
    assert!(!e.message().contains("credentials"), "{e}");
    assert_eq!(e.http_status(), Some(403));
}

#[tokio::test]
async fn a_refused_authorization_keeps_the_credentials_hint() {
    let (h, client) = client().await;
    let refused = r#"{"code":"111","message":"Solicitud con datos inválidos.","data":[{"code":"113","message":"Valor invalido.","field":"hashString"}]}"#;
    h.always("POST", "/v1/authorizations", Answer::json(400, refused));
    let e = client.cips().get(1).await.unwrap_err();
    assert!(e.hint().is_some_and(|h| h.contains("access_key")), "{e}");
    h.always(
        "POST",
        "/v1/authorizations",
        Answer::json(401, r#"{"code":"104","message":"Credenciales inválidas.","data":[]}"#),
    );
    let e = client.cips().get(1).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthenticationError);
    assert!(e.hint().is_some_and(|h| h.contains("access_key")), "{e}");
}
